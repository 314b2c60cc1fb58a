package jcnn.bench;

import java.util.concurrent.TimeUnit;
import jcnn.kernels.Kernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * sgemm on every {@link GemmShape}: squares, the seed CNN's GEMMs as our engine runs them, and the ANCHORS.md
 * shapes. JMH measures the time per operation (all {@code images} GEMMs of a shape); {@link Report} turns it into
 * GFLOP/s with {@link GemmShape#flops()} and into a percentage of the FMA peak.
 *
 * <p>Average time rather than a throughput in flops keeps the JSON plain JMH; the conversion lives in one place.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GemmBench {

    /** Every shape by default (JMH uses all constants of an enum parameter); narrow with {@code -p shape=...}. */
    @Param
    public GemmShape shape;

    @Param({"scalar", "vector"})
    public String kernel;

    @Param({"1", "2"})
    public int threads;

    private Kernels k;
    private float[] a, b, c;

    @Setup
    public void setup() {
        k = BenchKernels.create(kernel, threads);
        float[][] operands = shape.operands(42);
        a = operands[0];
        b = operands[1];
        c = operands[2];
    }

    @Benchmark
    public float[] sgemm() {
        run(k, shape, a, b, c);
        return c;
    }

    /** All GEMMs of one operation; the offsets advance per image only for the operands that are per image. */
    static void run(Kernels k, GemmShape s, float[] a, float[] b, float[] c) {
        for (int i = 0; i < s.images; i++) {
            k.sgemm(s.transA, s.transB, s.m, s.n, s.k,
                    a, i * s.strideA(), s.lda(),
                    b, i * s.strideB(), s.ldb(),
                    c, i * s.strideC(), s.ldc(), s.accumulate);
        }
    }
}
