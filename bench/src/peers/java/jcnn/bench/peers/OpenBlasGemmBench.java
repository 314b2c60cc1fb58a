package jcnn.bench.peers;

import java.util.concurrent.TimeUnit;
import jcnn.bench.GemmShape;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * OpenBLAS {@code cblas_sgemm} (bytedeco's bundled build) on exactly the shapes, operands and per-image offsets of
 * {@code jcnn.bench.GemmBench}, row-major, so that the two time the same work: one op = all {@code images} GEMMs.
 *
 * <p>The operands live off-heap in {@link FloatPointer}s: passing {@code float[]} would let JavaCPP copy each
 * array in and out on every call, which would time the copies instead of OpenBLAS. One pointer view per image is
 * made in setup, so the measured loop allocates nothing.
 *
 * <p>Run without {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE} in the environment (bench/run-peers.sh
 * unsets them for this command only): the machine-wide values force the AVX2 kernels.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OpenBlasGemmBench {

    @Param
    public GemmShape shape;

    @Param({"1", "2"})
    public int threads;

    private FloatPointer a, b, c;
    private FloatPointer[] aAt, bAt, cAt;   // per-image views: the same memory at the image's offset
    private int transA, transB;
    private float beta;

    @Setup
    public void setup() {
        String coretype = System.getenv("OPENBLAS_CORETYPE");
        if (coretype != null) {
            System.err.println("warning: OPENBLAS_CORETYPE=" + coretype + " is set: OpenBLAS is not at its best;"
                    + " unset OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for this command (bench/run-peers.sh does)");
        }
        openblas.blas_set_num_threads(threads);
        float[][] operands = shape.operands(42);
        a = new FloatPointer(operands[0]);
        b = new FloatPointer(operands[1]);
        c = new FloatPointer(operands[2]);
        aAt = views(a, shape.strideA());
        bAt = views(b, shape.strideB());
        cAt = views(c, shape.strideC());
        transA = shape.transA ? openblas.CblasTrans : openblas.CblasNoTrans;
        transB = shape.transB ? openblas.CblasTrans : openblas.CblasNoTrans;
        beta = shape.accumulate ? 1f : 0f;
    }

    private FloatPointer[] views(FloatPointer base, int stride) {
        FloatPointer[] v = new FloatPointer[shape.images];
        for (int i = 0; i < v.length; i++) {
            v[i] = new FloatPointer(base).position((long) i * stride);
        }
        return v;
    }

    @Benchmark
    public FloatPointer sgemm() {
        GemmShape s = shape;
        for (int i = 0; i < s.images; i++) {
            openblas.cblas_sgemm(openblas.CblasRowMajor, transA, transB, s.m, s.n, s.k,
                    1f, aAt[i], s.lda(), bAt[i], s.ldb(), beta, cAt[i], s.ldc());
        }
        return c;
    }

    @TearDown
    public void tearDown() {
        a.close();
        b.close();
        c.close();
    }
}
