package jcnn.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jcnn.kernels.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Java FMA peak: what the JIT makes of nothing but independent vector FMAs, in the species every vector kernel
 * of this JVM uses ({@link VectorWidth#FLOAT}), at 1 and 2 threads. {@link Report} divides the sgemm figures of the
 * same run by it, so "% of peak" compares figures measured under the same conditions (a constant measured on
 * another day, on another host, once printed 101%).
 *
 * <p>Why this is the peak: twelve accumulators are independent chains, enough to cover the FMA latency (4 cycles)
 * times the FMA ports (2) with room to spare, and few enough to stay in the 16 vector registers of AVX2 next to the
 * multiplier and the addend. The multiplier and addend make every lane converge to 1: no denormals, no infinities,
 * whose slow paths would measure something else. The sum of the accumulators is returned so that nothing is dead.
 *
 * <p>One op is {@link #LANE_FMAS_PER_THREAD} lane FMAs on each of {@code threads} threads (the calling thread does
 * one share, a fixed pool the others; a few ms per op, so the hand-off is noise); the work per thread does not
 * depend on the width, so Report converts the average time to GFLOP/s without knowing it. The C program
 * {@code src/main/c/fma-peak.c} does the same work, for the native peak beside this one.
 *
 * <p>Non-goals: the peak of other instruction mixes (loads, shuffles); GEMM needs loads too, so its ceiling is a
 * little under this one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FmaPeakBench {

    /** Lane FMAs per thread per op: 12 accumulators x 16 lanes x 2^19 at 512 bits (twice the iterations at 256). */
    static final long LANE_FMAS_PER_THREAD = 12L * 16 << 19;

    @Param({"1", "2"})
    public int threads;

    private ExecutorService pool;

    @Setup(Level.Trial)
    public void setup() {
        BenchKernels.requireVector();
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "fma-peak");
            t.setDaemon(true);
            return t;
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @Benchmark
    public float fma() throws InterruptedException, ExecutionException {
        List<Future<Float>> others = new ArrayList<>();
        for (int t = 1; t < threads; t++) {
            float seed = 0.5f + t;
            others.add(pool.submit(() -> Loop.burn(seed)));
        }
        float sum = Loop.burn(0.5f);
        for (Future<Float> f : others) {
            sum += f.get();
        }
        return sum;
    }

    /**
     * The vector loop, in its own class so that FmaPeakBench loads in a JVM without the incubator module; the setup
     * then skips with the flag named instead of failing to link.
     */
    static final class Loop {
        /** A {@code static final} copy: C2 intrinsifies vector operations only on a constant species. */
        private static final VectorSpecies<Float> S = VectorWidth.FLOAT;

        static float burn(float seed) {
            FloatVector m = FloatVector.broadcast(S, 0.9999f), c = FloatVector.broadcast(S, 1e-4f);
            FloatVector a0 = FloatVector.broadcast(S, seed), a1 = a0.add(0.001f), a2 = a0.add(0.002f),
                    a3 = a0.add(0.003f), a4 = a0.add(0.004f), a5 = a0.add(0.005f), a6 = a0.add(0.006f),
                    a7 = a0.add(0.007f), a8 = a0.add(0.008f), a9 = a0.add(0.009f), a10 = a0.add(0.010f),
                    a11 = a0.add(0.011f);
            // An int counter: C2 optimises int counted loops best (2^23 / lanes iterations at most).
            int reps = (int) (LANE_FMAS_PER_THREAD / (12L * S.length()));
            for (int i = 0; i < reps; i++) {
                a0 = a0.fma(m, c);
                a1 = a1.fma(m, c);
                a2 = a2.fma(m, c);
                a3 = a3.fma(m, c);
                a4 = a4.fma(m, c);
                a5 = a5.fma(m, c);
                a6 = a6.fma(m, c);
                a7 = a7.fma(m, c);
                a8 = a8.fma(m, c);
                a9 = a9.fma(m, c);
                a10 = a10.fma(m, c);
                a11 = a11.fma(m, c);
            }
            return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                    .reduceLanes(VectorOperators.ADD);
        }
    }
}
