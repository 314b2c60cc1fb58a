package jcnn.bench;

import java.lang.management.ManagementFactory;
import jcnn.kernels.Kernels;

/**
 * The exact number of bytes one training step (and one inference batch) allocates in steady state, for the
 * target of at most 1 KB per step.
 *
 * <p>Why besides {@code -prof gc}: JMH divides the bytes allocated in an iteration by the operations in it, and
 * its own per-iteration bookkeeping (a few KB) is in that count; for a step that takes 100 ms, an iteration holds a
 * handful of steps and the bookkeeping dominates the figure. Here the thread's allocation counter is read
 * around the steps alone.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar jcnn.bench.AllocationCheck [kernel] [threads] [steps]</pre>
 */
public final class AllocationCheck {

    private AllocationCheck() {
    }

    public static void main(String[] args) {
        String kernel = args.length > 0 ? args[0] : "scalar";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        // Enough unmeasured steps for C2 to compile the vector kernels (~10 s): interpreted Vector API code allocates
        // every vector, and 20 steps reported megabytes per step that steady state does not allocate.
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 1500;
        // The benchmarks' own states, so that this measures exactly the step and the inference that JMH times.
        TrainStepBench train = new TrainStepBench();
        train.batch = 64;
        train.kernel = kernel;
        train.threads = threads;
        train.setup();
        long perStep = perOperation(steps, train::step);

        InferenceBench inference = new InferenceBench();
        inference.batch = 1000;
        inference.kernel = kernel;
        inference.threads = threads;
        inference.setup();
        long perInference = perOperation(Math.max(3, steps / 5), inference::infer);
        Kernels k = BenchKernels.create(kernel, threads);

        System.out.printf("kernels %s: %d bytes per training step (batch 64), %d bytes per inference (batch 1000);"
                + " target <= 1024 per step: %s%n", k.name(), perStep, perInference, perStep <= 1024 ? "met" : "NOT met");
    }

    /**
     * Bytes the calling thread allocates per run of {@code body}, after as many unmeasured runs to let the buffer
     * pool fill and the JIT settle.
     */
    static long perOperation(int runs, Runnable body) {
        for (int i = 0; i < runs; i++) {
            body.run();
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        for (int i = 0; i < runs; i++) {
            body.run();
        }
        return (mx.getThreadAllocatedBytes(id) - before) / runs;
    }
}
