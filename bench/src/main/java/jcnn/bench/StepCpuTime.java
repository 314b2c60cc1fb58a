package jcnn.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import jcnn.core.BufferPool;
import jcnn.core.Engine;
import jcnn.core.Ops;
import jcnn.core.Tensor;
import jcnn.kernels.ConvShape;
import jcnn.kernels.Kernels;
import jcnn.kernels.PoolShape;
import jcnn.training.BatchGradient;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;
import jcnn.training.optim.Optimizer;
import jcnn.training.optim.Sgd;

/**
 * The seed CNN's training step and its convolution and pooling kernels, one at a time, in milliseconds of the
 * calling thread's CPU time, one thread: the breakdown to compare two builds on a host shared with other work
 * (see {@link GemmCpuTime} for what CPU time does and does not leave out). The whole step is {@link
 * TrainStepBench}'s (SeedCnn, plain SGD, a synthetic batch); each kernel runs on random data of the shape it has
 * in that step.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar jcnn.bench.StepCpuTime
 * [batch]}: 12 s of warm-up (C2 needs about 10 s for the vector kernels), then per line the best of 5 rounds of
 * 30 calls. The vector kernels at this JVM's width ({@code -Dvector.bits=256} for another).
 */
public final class StepCpuTime {

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private StepCpuTime() {
    }

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        Kernels k = BenchKernels.create("vector", 1);
        Map<String, Runnable> ops = kernels(k, batch);
        Sequential model = SeedCnn.create(new SplittableRandom(1));
        Optimizer optimizer = new Sgd(model.parameters(), 0.01);
        SyntheticBatch data = new SyntheticBatch(batch, 42);
        Tensor images = data.input();
        BufferPool pool = new BufferPool();
        BatchGradient gradient = new BatchGradient(model, 0);
        Runnable step = () -> {
            try (var engine = Engine.using(k); var scope = pool.open()) {
                optimizer.zeroGrad();
                gradient.compute(images, data.labels);
                optimizer.step();
            }
        };
        Runnable whole = () -> {
            try (var engine = Engine.using(k); var scope = pool.open()) {
                optimizer.zeroGrad();
                Tensor loss = Ops.crossEntropy(model.forward(images), data.labels);
                loss.backward();
                optimizer.step();
            }
        };
        long warm = System.nanoTime() + 12_000_000_000L;
        while (System.nanoTime() < warm) {
            step.run();
            whole.run();
            ops.values().forEach(Runnable::run);
        }
        System.out.printf("%s, batch %d, one thread: ms of CPU time (best of 5 x 30 calls)%n", k.name(), batch);
        double kernels = 0;
        for (Map.Entry<String, Runnable> e : ops.entrySet()) {
            double ms = best(e.getValue());
            kernels += ms;
            System.out.printf("  %-24s %7.3f%n", e.getKey(), ms);
        }
        System.out.printf("  %-24s %7.3f%n", "these kernels together", kernels);
        double ms = best(step);
        System.out.printf("  %-24s %7.3f   (%,.0f images per CPU-second)%n", "the step (in chunks)", ms,
                batch / ms * 1e3);
        ms = best(whole);
        System.out.printf("  %-24s %7.3f   (%,.0f images per CPU-second)%n", "the step, batch whole", ms,
                batch / ms * 1e3);
    }

    private static double best(Runnable op) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long c0 = MX.getCurrentThreadCpuTime();
            for (int i = 0; i < 30; i++) {
                op.run();
            }
            best = Math.min(best, (MX.getCurrentThreadCpuTime() - c0) / 1e6 / 30);
        }
        return best;
    }

    /** The seed CNN's convolution and pooling kernels at batch {@code n}, each on its own random operands. */
    private static Map<String, Runnable> kernels(Kernels k, int n) {
        Random r = new Random(1);
        ConvShape c1 = new ConvShape(n, 1, 28, 28, 16, 3, 3, 1, 1), c2 = new ConvShape(n, 16, 14, 14, 32, 3, 3, 1, 1);
        PoolShape p1 = new PoolShape(n, 16, 28, 28, 2, 2), p2 = new PoolShape(n, 32, 14, 14, 2, 2);
        float[] x1 = random(r, c1.inputSize()), w1 = random(r, c1.weightSize()), b1 = random(r, 16);
        float[] y1 = random(r, c1.outputSize()), dy1 = random(r, c1.outputSize());
        float[] x2 = random(r, c2.inputSize()), w2 = random(r, c2.weightSize()), b2 = random(r, 32);
        float[] y2 = random(r, c2.outputSize()), dy2 = random(r, c2.outputSize());
        float[] dw1 = new float[w1.length], db1 = new float[16], dw2 = new float[w2.length], db2 = new float[32];
        float[] dx2 = new float[x2.length];
        float[] py1 = new float[p1.outputSize()], py2 = new float[p2.outputSize()];
        float[] pdy1 = random(r, p1.outputSize()), pdy2 = random(r, p2.outputSize());
        int[] am1 = new int[p1.outputSize()], am2 = new int[p2.outputSize()];
        float[] pdx1 = new float[p1.inputSize()], pdx2 = new float[p2.inputSize()];
        k.reluMaxPoolForward(y1, p1, py1, am1);   // valid argmax for the backward lines
        k.reluMaxPoolForward(y2, p2, py2, am2);
        Map<String, Runnable> ops = new LinkedHashMap<>();
        ops.put("conv1 forward", () -> k.conv2dForward(x1, w1, b1, y1, c1));
        ops.put("conv1 dW, db", () -> k.conv2dBackward(dy1, x1, w1, null, dw1, db1, c1));
        ops.put("relu+pool1 forward", () -> k.reluMaxPoolForward(y1, p1, py1, am1));
        ops.put("relu+pool1 backward", () -> k.reluMaxPoolBackwardAssign(pdy1, am1, py1, p1, pdx1));
        ops.put("conv2 forward", () -> k.conv2dForward(x2, w2, b2, y2, c2));
        ops.put("conv2 dX", () -> k.conv2dBackward(dy2, x2, w2, dx2, null, null, c2));
        ops.put("conv2 dW, db", () -> k.conv2dBackward(dy2, x2, w2, null, dw2, db2, c2));
        ops.put("relu+pool2 forward", () -> k.reluMaxPoolForward(y2, p2, py2, am2));
        ops.put("relu+pool2 backward", () -> k.reluMaxPoolBackwardAssign(pdy2, am2, py2, p2, pdx2));
        return ops;
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }
}
