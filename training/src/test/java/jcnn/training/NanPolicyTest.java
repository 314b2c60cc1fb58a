package jcnn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import jcnn.core.Tensor;
import jcnn.core.testing.ScalarEngineExtension;
import jcnn.training.data.Dataset;
import jcnn.training.nn.Flatten;
import jcnn.training.nn.Linear;
import jcnn.training.nn.Module;
import jcnn.training.nn.ReLU;
import jcnn.training.nn.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Non-finite losses and gradients: stop names the step and the layer and leaves the last good checkpoint; skip
 * leaves such a batch out (no update) and counts it. Both with an absurd learning rate on real data, and with a
 * layer rigged to produce an infinite gradient at a chosen step, so the layer named can be checked exactly.
 */
@ExtendWith(ScalarEngineExtension.class)
class NanPolicyTest {

    @TempDir
    Path dir;

    @Test
    void anAbsurdLearningRateStopsNamingTheStepAndTheLayer() {
        Recipe r = TinyRuns.recipe("epochs=2", "batch=32", "lr=1e6", "schedule=constant", "limit=160");
        Dataset.Split split = TinyRuns.split(r);
        Path file = dir.resolve(Checkpoint.FILE_NAME);
        History h = new Trainer(TinyRuns.model(r), r).showProgress(false).checkpointTo(file)
                .fit(split.train(), split.validation());
        System.out.println("nanPolicy=stop, lr=1e6: " + h.stopReason());
        assertTrue(h.diverged());
        assertTrue(h.stopReason().matches("training stopped at epoch 1/2, batch [1-4]/4 \\(step [1-4]\\): "
                + "(the loss is (NaN|-?Infinity)|non-finite gradient of \\w+\\.\\w+ \\(layer \\w+\\))"
                + "; no epoch finished, so there is no checkpoint"), h.stopReason());
        assertTrue(h.epochs().isEmpty());
        assertFalse(Files.exists(file), "no checkpoint of bad weights");
    }

    @Test
    void skipCountsTheSkippedBatchesAndStopsWhenAnEpochIsMostlySkipped() {
        // lr 1e6: epoch 1 skips some batches and ruins the weights, epoch 2 then skips all four. That epoch's
        // weights used to be kept as the run's result (issue 15, item 4); now the run stops there as diverged.
        Recipe r = TinyRuns.recipe("epochs=2", "batch=32", "lr=1e6", "schedule=constant", "limit=160");
        Dataset.Split split = TinyRuns.split(r);
        History h = new Trainer(TinyRuns.model(r), r).showProgress(false).nanPolicy(NanPolicy.SKIP)
                .fit(split.train(), split.validation());
        System.out.println("nanPolicy=skip, lr=1e6: " + h.skippedBatches() + " of 8 batches skipped, "
                + h.epochs().size() + "/2 epochs finished: " + h.stopReason());
        assertTrue(h.diverged(), "epoch 2 skipped all its batches");
        assertTrue(h.stopReason().startsWith("training diverged at epoch 2/2: 4 of its 4 batches were skipped"),
                h.stopReason());
        assertEquals(1, h.epochs().size(), "only epoch 1 is recorded");
        long skippedInEpoch1 = h.skippedBatches() - 4;
        assertTrue(skippedInEpoch1 > 0 && skippedInEpoch1 <= 2, "skipped in epoch 1: " + skippedInEpoch1);
        // The epoch counts only the images of the batches that were used.
        assertEquals(128 - 32 * skippedInEpoch1, h.epochs().get(0).trainImages());
    }

    /**
     * Passes values and gradients through unchanged, except at forward call {@code armedAt} (1-based): then its
     * backward adds +Infinity to its own parameter's gradient and to its input's, as an overflow in a layer would.
     */
    static final class GradientBomb extends Module {
        private final Tensor gain = addParameter("gain", Tensor.zeros(1));
        private final int armedAt;
        private final int armedUntil;
        private int calls;

        GradientBomb(int armedAt) {
            this(armedAt, armedAt);
        }

        /** Poisons the gradient of forward calls armedAt..armedUntil (1-based, inclusive). */
        GradientBomb(int armedAt, int armedUntil) {
            this.armedAt = armedAt;
            this.armedUntil = armedUntil;
        }

        @Override
        public Tensor forward(Tensor x) {
            ++calls;
            boolean armed = calls >= armedAt && calls <= armedUntil;
            Tensor y = Tensor.result("bomb", x.shape(), x, gain);
            System.arraycopy(x.data(), 0, y.data(), 0, x.size());
            y.onBackward(dy -> {
                float extra = armed ? Float.POSITIVE_INFINITY : 0f;
                float[] dx = x.grad();
                if (dx != null) {
                    for (int i = 0; i < dx.length; i++) {
                        dx[i] += dy[i] + extra;
                    }
                }
                gain.grad()[0] += extra;
            });
            return y;
        }

        @Override
        public int[] outputShape(int[] input) {
            return input.clone();
        }
    }

    private static Sequential rigged(int armedAt) {
        return rigged(armedAt, armedAt);
    }

    private static Sequential rigged(int armedAt, int armedUntil) {
        SplittableRandom rng = new SplittableRandom(3);
        return new Sequential()
                .add("flatten", new Flatten())
                .add("fc1", new Linear(784, 16, rng))
                .add("bomb", new GradientBomb(armedAt, armedUntil))
                .add("relu", new ReLU())
                .add("fc2", new Linear(16, 10, rng));
    }

    @Test
    void theLayerNamedIsTheFirstNonFiniteGradientInBackwardOrder() {
        // Forward calls: epoch 1 makes 4 training and 1 validation call, so call 7 is epoch 2, batch 2.
        Recipe r = TinyRuns.recipe("epochs=2", "batch=32", "lr=0.05", "limit=160");
        Dataset.Split split = TinyRuns.split(r);
        Path file = dir.resolve(Checkpoint.FILE_NAME);
        History h = new Trainer(rigged(7), r).showProgress(false).checkpointTo(file)
                .fit(split.train(), split.validation());
        System.out.println("nanPolicy=stop, rigged layer: " + h.stopReason());
        // fc1's gradients are infinite too, and fc1 comes first in the model: the layer where backward first
        // met the problem is the one named.
        assertEquals("training stopped at epoch 2/2, batch 2/4 (step 6): non-finite gradient of bomb.gain"
                + " (layer bomb); the checkpoint " + file + " keeps epoch 1", h.stopReason());
    }

    @Test
    void skippingMostOfAnEpochStopsAsDivergedInsteadOfKeepingTheWeights() {
        // Issue 15, item 4: lr 1e6 used to skip 48 of 50 batches and save that epoch's ruined weights as the
        // result. Forward calls 6-8 are epoch 2's batches 1-3 of 4 (epoch 1: 4 training calls, 1 validation).
        Recipe r = TinyRuns.recipe("epochs=3", "batch=32", "lr=0.05", "limit=160");
        Dataset.Split split = TinyRuns.split(r);
        History h = new Trainer(rigged(6, 8), r).showProgress(false).nanPolicy(NanPolicy.SKIP)
                .fit(split.train(), split.validation());
        System.out.println("nanPolicy=skip, 3 of 4 batches poisoned: " + h.stopReason());
        assertTrue(h.diverged(), "a run that skips most of an epoch has diverged");
        assertEquals(1, h.epochs().size(), "epoch 2 is neither recorded nor checkpointed");
        assertTrue(h.stopReason().startsWith("training diverged at epoch 2/3: 3 of its 4 batches were skipped"),
                h.stopReason());
    }

    @Test
    void skippingLeavesTheWeightsAndTheOptimizerAsTheyWere() {
        Recipe r = TinyRuns.recipe("epochs=1", "batch=32", "lr=0.05", "limit=160");
        Dataset.Split split = TinyRuns.split(r);
        Sequential model = rigged(2);
        Trainer t = new Trainer(model, r).showProgress(false).nanPolicy(NanPolicy.SKIP);
        History h = t.fit(split.train(), split.validation());
        assertEquals(1, h.skippedBatches());
        assertFalse(h.diverged());
        assertEquals(96, h.last().trainImages(), "3 of 4 batches used");
        for (Tensor p : model.parameters()) {
            for (float v : p.data()) {
                assertTrue(Float.isFinite(v));
            }
        }
        assertEquals(0f, ((GradientBomb) model.children().get("bomb")).gain.data()[0]);
    }

    @Test
    void aStopKeepsTheCheckpointOfTheLastGoodEpoch() throws IOException {
        // Epochs 1 and 2 are fine; after epoch 2 (and its checkpoint) a weight is poisoned, so epoch 3 fails.
        Recipe r = TinyRuns.recipe("epochs=3", "batch=32", "lr=0.05", "limit=160");
        Dataset.Split split = TinyRuns.split(r);
        Sequential model = TinyRuns.model(r);
        Path file = dir.resolve(Checkpoint.FILE_NAME);
        float[][] afterTwo = new float[1][];
        Trainer t = new Trainer(model, r).showProgress(false).checkpointTo(file);
        t.addListener(m -> {
            if (m.epoch() == 2) {
                afterTwo[0] = model.namedParameters().get("fc2.bias").data().clone();
                model.namedParameters().get("fc2.bias").data()[0] = Float.NaN;
            }
        });
        History h = t.fit(split.train(), split.validation());
        System.out.println("nanPolicy=stop, poisoned after epoch 2: " + h.stopReason());
        assertTrue(h.stopReason().startsWith("training stopped at epoch 3/3, batch 1/4 (step 9): the loss is NaN"),
                h.stopReason());
        assertTrue(h.stopReason().endsWith("keeps epoch 2"), h.stopReason());
        assertEquals(2, h.epochs().size());

        Checkpoint c = Checkpoint.load(file);
        assertEquals(2, c.epoch());
        assertArrayEquals(afterTwo[0], c.weights().get("fc2.bias").data(), "the checkpoint holds epoch 2's weights");
        System.out.println("checkpoint on disk after the stop: epoch " + c.epoch() + " of 3, weights finite");
    }
}
