package jcnn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import jcnn.core.Engine;
import jcnn.kernels.KernelProvider;
import jcnn.training.data.Dataset;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;
import org.junit.jupiter.api.Test;

/**
 * Test-time augmentation ({@code tta=true}): {@link Evaluator#evaluate(jcnn.training.nn.Module, Dataset, int,
 * boolean, boolean)} with {@code mirror} classifies each image and its mirror image and averages the probabilities;
 * validation during training uses it when the recipe asks.
 */
class MirroredEvaluationTest {

    @Test
    void mirroringFlipsEveryRowOfEveryChannelAndTwiceIsTheIdentity() {
        // 2 images, 2 channels, 2x3: the value of pixel (i, ch, r, c) is 1000i + 100ch + 10r + c.
        float[] in = new float[2 * 2 * 2 * 3];
        for (int i = 0; i < in.length; i++) {
            int img = i / 12, ch = i / 6 % 2, r = i / 3 % 2, c = i % 3;
            in[i] = 1000 * img + 100 * ch + 10 * r + c;
        }
        float[] out = new float[in.length];
        Evaluator.mirrorImages(in, out, 2, 2, 2, 3);
        assertArrayEquals(new float[] {2, 1, 0, 12, 11, 10, 102, 101, 100, 112, 111, 110}, Arrays.copyOf(out, 12));
        assertArrayEquals(new float[] {1102, 1101, 1100, 1112, 1111, 1110}, Arrays.copyOfRange(out, 18, 24));
        float[] back = new float[in.length];
        Evaluator.mirrorImages(out, back, 2, 2, 2, 3);
        assertArrayEquals(in, back);
    }

    @Test
    void theAveragedLogitsSoftmaxToTheMeanOfTheTwoSoftmaxes() {
        SplittableRandom rng = new SplittableRandom(7);
        int rows = 50, classes = 10;
        float[] a = new float[rows * classes], b = new float[rows * classes], out = new float[rows * classes];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rng.nextGaussian() * 5);
            b[i] = (float) (rng.nextGaussian() * 5);
        }
        Evaluator.averageProbabilities(a, b, out, rows, classes);
        for (int i = 0; i < rows; i++) {
            double[] pa = softmax(a, i * classes, classes), pb = softmax(b, i * classes, classes);
            double[] p = softmax(out, i * classes, classes);
            for (int j = 0; j < classes; j++) {
                assertEquals((pa[j] + pb[j]) / 2, p[j], 1e-6, "row " + i + " class " + j);
            }
            // And the logits themselves are the log of the mean: normalised, not shifted.
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(out[i * classes + j]);
            }
            assertEquals(1, sum, 1e-5, "row " + i);
        }
    }

    @Test
    void classesBothPassesRuleOutKeepFiniteLogits() {
        float[] a = {1000, -1000, 0}, b = {-1000, 1000, 0}, out = new float[3];
        Evaluator.averageProbabilities(a, b, out, 1, 3);
        assertEquals(Math.log(0.5), out[0], 1e-6);
        assertEquals(Math.log(0.5), out[1], 1e-6);
        assertTrue(Float.isFinite(out[2]) && out[2] < -990, "class 2: " + out[2]);
    }

    @Test
    @SuppressWarnings("try")
    void aMirroredEvaluationIsTheAverageOfThePlainAndTheMirroredImagesEvaluations() {
        Dataset data = TinyRuns.fashion().limit(300);
        Dataset mirrored = mirrored(data);
        Sequential model = SeedCnn.create(new SplittableRandom(3));
        try (Engine.Scope scalar = Engine.using(KernelProvider.scalar())) {
            int batch = 128;   // two full batches and a tail of 44: the mirrored tail has buffers of its own
            Evaluation plain = Evaluator.evaluate(model, data, batch, true);
            Evaluation flipped = Evaluator.evaluate(model, mirrored, batch, true);
            Evaluation both = Evaluator.evaluate(model, data, batch, true, true);

            float[] expected = new float[plain.logits().length];
            Evaluator.averageProbabilities(plain.logits(), flipped.logits(), expected, data.size(), 10);
            assertArrayEquals(expected, both.logits());
            assertEquals(Evaluator.countCorrect(expected, data.labels(), data.size(), 10) / 300.0, both.accuracy());
            assertEquals(plain.accuracy(), Evaluator.evaluate(model, data, batch, false, false).accuracy());
            assertTrue(both.loss() > 0 && Double.isFinite(both.loss()), "loss " + both.loss());
        }
    }

    @Test
    @SuppressWarnings("try")
    void validationDuringTrainingIsMirroredWhenTheRecipeSaysTta() {
        Recipe r = TinyRuns.recipe("epochs=1", "batch=64", "validation=0.25", "tta=true");
        Dataset.Split split = TinyRuns.split(r);
        Sequential model = TinyRuns.model(r);
        try (Engine.Scope scalar = Engine.using(KernelProvider.scalar())) {
            History h = new Trainer(model, r).showProgress(false).fit(split.train(), split.validation());
            // One epoch: the kept weights are those the epoch ended with, which the model now holds.
            Evaluation mirrored = Evaluator.evaluate(model, split.validation(), Evaluator.BATCH, false, true);
            Evaluation plain = Evaluator.evaluate(model, split.validation(), Evaluator.BATCH, false, false);
            assertEquals(mirrored.accuracy(), h.last().validationAccuracy());
            assertEquals(mirrored.loss(), h.last().validationLoss());
            assertTrue(mirrored.loss() != plain.loss(), "the mirrored pass changed nothing: " + plain.loss());
        }
    }

    private static Dataset mirrored(Dataset d) {
        float[] flipped = new float[d.images().length];
        Evaluator.mirrorImages(d.images(), flipped, d.size(), d.channels(), d.rows(), d.cols());
        return new Dataset(flipped, d.labels(), d.channels(), d.rows(), d.cols());
    }

    private static double[] softmax(float[] v, int off, int n) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, v[off + j]);
        }
        double[] p = new double[n];
        for (int j = 0; j < n; j++) {
            p[j] = Math.exp(v[off + j] - max);
            sum += p[j];
        }
        for (int j = 0; j < n; j++) {
            p[j] /= sum;
        }
        return p;
    }
}
