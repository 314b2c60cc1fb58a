package jcnn.bench;

import java.lang.management.ManagementFactory;
import jcnn.core.Tensor;
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
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Kernels k = BenchKernels.create(kernel, threads);

        SeedCnnStep model = new SeedCnnStep(k, 0.01f, 1);
        SyntheticBatch batch = new SyntheticBatch(64, 42);
        Tensor images = SeedCnnStep.input(batch);
        long perStep = perOperation(steps, () -> model.trainStep(images, batch.labels));

        SyntheticBatch big = new SyntheticBatch(1000, 42);
        Tensor bigImages = SeedCnnStep.input(big);
        float[] logits = new float[1000 * SyntheticBatch.CLASSES];
        long perInference = perOperation(Math.max(3, steps / 5), () -> model.infer(bigImages, logits));

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
