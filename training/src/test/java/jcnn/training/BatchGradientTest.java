package jcnn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import jcnn.core.BufferPool;
import jcnn.core.Engine;
import jcnn.core.Ops;
import jcnn.core.Tensor;
import jcnn.kernels.KernelProvider;
import jcnn.kernels.Kernels;
import jcnn.training.nn.BatchNorm2d;
import jcnn.training.nn.Conv2d;
import jcnn.training.nn.Flatten;
import jcnn.training.nn.Linear;
import jcnn.training.nn.MaxPool2d;
import jcnn.training.nn.Module;
import jcnn.training.nn.ReLU;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;
import org.junit.jupiter.api.Test;

/**
 * The data-parallel step's gradients: those of the whole batch up to float rounding, bit-identical across thread
 * counts (the chunking is fixed), and exactly the whole batch's for a model whose trunk cannot be chunked.
 */
class BatchGradientTest {

    private static Tensor images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        return Tensor.of(x, n, 1, 28, 28);
    }

    private static int[] labels(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(10);
        }
        return y;
    }

    /** Every parameter's gradient after one computation, copied, in parameter order; the loss last. */
    @SuppressWarnings("try")
    private static List<float[]> gradients(Module model, Kernels kernels, Tensor x, int[] y, boolean chunked,
                                           double smoothing) {
        try (var k = Engine.using(kernels); var scope = new BufferPool().open()) {
            model.zeroGrad();
            float loss;
            if (chunked) {
                BatchGradient gradient = new BatchGradient(model, smoothing);
                gradient.compute(x, y);
                model.zeroGrad();   // twice: the reused buffers must not leak into the next step
                loss = gradient.compute(x, y).loss();
                List<float[]> out = new ArrayList<>();
                for (Tensor p : model.parameters()) {
                    out.add(p.grad().clone());
                }
                out.add(new float[] {loss});
                return out;
            }
            Tensor l = Losses.crossEntropy(model.forward(x), y, smoothing);
            l.backward();
            loss = l.item();
            List<float[]> out = new ArrayList<>();
            for (Tensor p : model.parameters()) {
                out.add(p.grad().clone());
            }
            out.add(new float[] {loss});
            return out;
        }
    }

    private static void assertClose(List<float[]> expected, List<float[]> actual, double tolerance) {
        assertEquals(expected.size(), actual.size());
        for (int p = 0; p < expected.size(); p++) {
            float[] e = expected.get(p), a = actual.get(p);
            double scale = 0;
            for (float v : e) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < e.length; i++) {
                assertTrue(Math.abs(e[i] - a[i]) <= tolerance * scale + 1e-12,
                        "parameter " + p + "[" + i + "]: whole batch " + e[i] + ", chunks " + a[i]);
            }
        }
    }

    @Test
    void chunksGiveTheWholeBatchsGradientsUpToRounding() {
        for (int n : new int[] {1, 15, 16, 17, 37, 64}) {   // one chunk, a full one, a ragged split, several
            Sequential model = SeedCnn.create(new SplittableRandom(5));
            Tensor x = images(n, n);
            int[] y = labels(n, n + 1);
            for (double smoothing : new double[] {0, 0.1}) {
                List<float[]> whole = gradients(model, KernelProvider.scalar(), x, y, false, smoothing);
                List<float[]> chunks = gradients(model, KernelProvider.scalar(), x, y, true, smoothing);
                assertClose(whole, chunks, 1e-5);
            }
        }
    }

    @Test
    void chunksAreBitIdenticalAcrossThreadCounts() {
        boolean vector = ReproducibilityTest.vectorKernelsPresent();   // else the scalar path, threads ignored
        Tensor x = images(53, 1);
        int[] y = labels(53, 2);
        List<float[]> first = null;
        for (int threads : new int[] {1, 2, 4}) {
            Kernels kernels = vector ? KernelProvider.vector(-1, threads) : KernelProvider.scalar();
            Sequential model = SeedCnn.create(new SplittableRandom(5));
            List<float[]> g = gradients(model, kernels, x, y, true, 0);
            if (first == null) {
                first = g;
            } else {
                for (int p = 0; p < g.size(); p++) {
                    assertArrayEquals(first.get(p), g.get(p),
                            kernels.name() + " at " + threads + " threads, parameter " + p);
                }
            }
        }
    }

    /**
     * One instance reuses its chunks and the head's input from batch to batch, and makes them again when the batch
     * size changes (an epoch's last batch is often smaller): each batch's gradients are those of a fresh instance
     * bit for bit, whatever came before it.
     */
    @Test
    @SuppressWarnings("try")
    void aReusedInstanceGivesEachBatchSizeAFreshInstancesNumbers() {
        Kernels kernels = ReproducibilityTest.vectorKernelsPresent() ? KernelProvider.vector(-1, 2)
                : KernelProvider.scalar();
        Sequential model = SeedCnn.create(new SplittableRandom(5));
        BatchGradient reused = new BatchGradient(model, 0);
        for (int n : new int[] {37, 16, 1, 37, 64}) {
            Tensor x = images(n, n);
            int[] y = labels(n, n + 1);
            List<float[]> expected = gradients(model, kernels, x, y, true, 0);
            try (var k = Engine.using(kernels); var scope = new BufferPool().open()) {
                model.zeroGrad();
                float loss = reused.compute(x, y).loss();
                List<Tensor> parameters = model.parameters();
                for (int p = 0; p < parameters.size(); p++) {
                    assertArrayEquals(expected.get(p), parameters.get(p).grad(), "batch of " + n + ", parameter " + p);
                }
                assertEquals(expected.get(expected.size() - 1)[0], loss, 0f, "batch of " + n + ", loss");
            }
        }
    }

    @Test
    void aTrunkWithBatchStatisticsRunsWholeWithTheWholeBatchsNumbers() {
        SplittableRandom rng = new SplittableRandom(3);
        Sequential model = new Sequential()
                .add("conv", Conv2d.same(1, 4, 3, rng))
                .add("bn", new BatchNorm2d(4))
                .add("relu", new ReLU())
                .add("pool", new MaxPool2d(2, 2))
                .add("flatten", new Flatten())
                .add("fc", new Linear(4 * 14 * 14, 10, rng));
        model.train();
        assertEquals(false, model.independentPerSample());
        Tensor x = images(40, 9);
        int[] y = labels(40, 10);
        List<float[]> whole = gradients(model, KernelProvider.scalar(), x, y, false, 0);
        List<float[]> viaBatchGradient = gradients(model, KernelProvider.scalar(), x, y, true, 0);
        for (int p = 0; p < whole.size() - 1; p++) {
            assertArrayEquals(whole.get(p), viaBatchGradient.get(p), "parameter " + p);
        }
    }

    /** A trunk layer that passes its input on, or fails once when told to (on whichever chunk comes first). */
    private static final class FailOnce extends Module {
        final AtomicBoolean armed = new AtomicBoolean();

        @Override
        public Tensor forward(Tensor x) {
            if (armed.getAndSet(false)) {
                throw new IllegalStateException("boom");
            }
            return Ops.relu(x);
        }

        @Override
        public int[] outputShape(int[] input) {
            return input;
        }

        @Override
        public boolean independentPerSample() {
            return true;
        }
    }

    @Test
    @SuppressWarnings("try")
    void aStepThatFailsInTheTrunkLeavesTheNextStepsNumbersUntouched() {
        SplittableRandom rng = new SplittableRandom(4);
        FailOnce failing = new FailOnce();
        Sequential model = new Sequential()
                .add("conv", Conv2d.same(1, 4, 3, rng))
                .add("fail", failing)
                .add("pool", new MaxPool2d(2, 2))
                .add("flatten", new Flatten())
                .add("fc", new Linear(4 * 14 * 14, 10, rng));
        Tensor x = images(40, 5);
        int[] y = labels(40, 6);
        for (int threads : new int[] {1, 2}) {
            Kernels kernels = ReproducibilityTest.vectorKernelsPresent() ? KernelProvider.vector(-1, threads)
                    : KernelProvider.scalar();
            List<float[]> expected = gradients(model, kernels, x, y, true, 0);
            BatchGradient gradient = new BatchGradient(model, 0);
            try (var k = Engine.using(kernels); var scope = new BufferPool().open()) {
                failing.armed.set(true);
                model.zeroGrad();
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> gradient.compute(x, y));
                assertEquals("boom", e.getMessage());
                model.zeroGrad();
                gradient.compute(x, y);   // the chunks' pools were released: this step runs, with the same numbers
                List<Tensor> params = model.parameters();
                for (int p = 0; p < params.size(); p++) {
                    assertArrayEquals(expected.get(p), params.get(p).grad(), "parameter " + p + ", " + threads);
                }
            }
        }
    }
}
