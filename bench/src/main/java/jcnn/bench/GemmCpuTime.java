package jcnn.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import jcnn.kernels.Kernels;

/**
 * sgemm in GFLOP per second of the calling thread's CPU time, one thread, beside the FMA peak measured the same
 * way: the figure to compare two builds on a host shared with other work, where JMH's wall-clock times measure
 * mostly the other processes (on 2026-12-02, at a load of 10-17 on 2 vCPUs, JMH's error bars were 100-800%).
 * CPU time leaves out the time the thread waits for a core, not what sharing a core or its caches costs, so the
 * figures are still lower than on a quiet machine; compare builds only within one session, alternated.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -Dvector.bits=256 -cp bench/target/benchmarks.jar
 * jcnn.bench.GemmCpuTime SQ1024,CONV2_FWD [reps]}: per shape, 3 s of warm-up ({@code -Dwarmup.s}), then
 * {@code reps} (7) rounds of 0.2 s CPU time each; prints the mean and the best round. The vector kernels at this
 * JVM's width, one thread; {@code -Djcnn.gemm.tile=8x2} forces the packed path's tile (docs/vector-gemm.md).
 */
public final class GemmCpuTime {

    /**
     * Wall-clock warm-up per measurement, -Dwarmup.s (default 3): C2 compiles the vector kernels in the first
     * seconds, and with 1.5 s a shape's first rounds were sometimes still half as fast as its later ones (conv2 fwd
     * at 512 bits: mean 50, best 100 GFLOP/s, 2026-12-02).
     */
    private static final long WARMUP_NS = warmupNanos(System.getProperty("warmup.s", "3"));

    /** Where the peak loop's result goes, so that the compiler cannot drop the loop. */
    private static volatile float sink;

    private GemmCpuTime() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: GemmCpuTime SHAPE[,SHAPE...] [reps]  (shapes: GemmShape names)");
            System.exit(2);
        }
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Kernels k = BenchKernels.create("vector", 1);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[] peak = measure(mx, reps, 2.0 * FmaPeakBench.LANE_FMAS_PER_THREAD,
                () -> sink += FmaPeakBench.Loop.burn(0.5f));
        System.out.printf("%-18s %8s %8s%n", "GFLOP/CPU-s", "mean", "best");
        System.out.printf("%-18s %8.1f %8.1f%n", "FMA peak", peak[0], peak[1]);
        for (String name : args[0].split(",")) {
            GemmShape s = GemmShape.valueOf(name.trim());
            float[][] o = s.operands(42);
            double[] g = measure(mx, reps, s.flops(), () -> GemmBench.run(k, s, o[0], o[1], o[2]));
            System.out.printf("%-18s %8.1f %8.1f   %3.0f%% of the peak (best / best)%n", name, g[0], g[1],
                    100 * g[1] / peak[1]);
        }
    }

    private static long warmupNanos(String seconds) {
        double s;
        try {
            s = Double.parseDouble(seconds);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-Dwarmup.s=" + seconds + ": expected seconds, e.g. 3 or 0.5");
        }
        if (!(s >= 0 && s <= 600)) {
            throw new IllegalArgumentException("-Dwarmup.s=" + seconds + ": expected 0 to 600 seconds");
        }
        return (long) (s * 1e9);
    }

    private static double[] measure(ThreadMXBean mx, int reps, double flopsPerOp, Runnable op) {
        long warm = System.nanoTime() + WARMUP_NS;
        while (System.nanoTime() < warm) {
            op.run();
        }
        double best = 0, sum = 0;
        for (int r = 0; r < reps; r++) {
            long c0 = mx.getCurrentThreadCpuTime(), c;
            int ops = 0;
            do {
                op.run();
                ops++;
                c = mx.getCurrentThreadCpuTime();
            } while (c - c0 < 200_000_000L);
            double gflops = flopsPerOp * ops / (c - c0);
            best = Math.max(best, gflops);
            sum += gflops;
        }
        return new double[] {sum / reps, best};
    }
}
