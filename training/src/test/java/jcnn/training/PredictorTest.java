package jcnn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import jcnn.core.NoGrad;
import jcnn.core.Tensor;
import jcnn.core.testing.ScalarEngineExtension;
import jcnn.training.data.Dataset;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Predictor gives what a hand-written NoGrad forward, argmax and softmax give, for one image and for batches. */
@ExtendWith(ScalarEngineExtension.class)
@SuppressWarnings("try")
class PredictorTest {

    private static final Sequential MODEL = SeedCnn.create(new SplittableRandom(5));

    private static Dataset images(int n) {
        SplittableRandom rng = new SplittableRandom(9);
        float[] x = new float[n * 784];
        int[] labels = new int[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble(-1, 1);
        }
        return new Dataset(x, labels, 28, 28);
    }

    @Test
    void aBatchPredictsWhatTheLogitsSay() {
        Dataset data = images(300);   // more than one inner batch of 256
        List<Predictor.Prediction> got = Predictor.seedCnn(MODEL).predict(data);
        assertEquals(300, got.size());
        float[] logits;
        try (NoGrad off = NoGrad.enter()) {
            logits = MODEL.forward(Tensor.of(data.images().clone(), 300, 1, 28, 28)).data().clone();
        }
        for (int i = 0; i < 300; i++) {
            Predictor.Prediction p = got.get(i);
            int best = 0;
            for (int j = 1; j < 10; j++) {
                best = logits[i * 10 + j] > logits[i * 10 + best] ? j : best;
            }
            assertEquals(best, p.classIndex(), "image " + i);
            assertEquals(SeedCnn.CLASS_NAMES.get(best), p.className());
            double sum = 0;
            for (int j = 0; j < 10; j++) {
                sum += p.probabilities()[j];
                // p_j / p_best = exp(l_j - l_best)
                assertEquals(Math.exp(logits[i * 10 + j] - logits[i * 10 + best]),
                        p.probabilities()[j] / p.probability(), 1e-5, "image " + i + ", class " + j);
            }
            assertEquals(1.0, sum, 1e-5);
        }
    }

    @Test
    void oneImageGivesTheSameAnswerAsItsBatch() {
        Dataset data = images(3);
        Predictor predictor = Predictor.seedCnn(MODEL);
        List<Predictor.Prediction> batch = predictor.predict(Tensor.of(data.images(), 3, 1, 28, 28));
        for (int i = 0; i < 3; i++) {
            Predictor.Prediction one = predictor.predict(data, i);
            assertEquals(batch.get(i).classIndex(), one.classIndex());
            assertEquals(batch.get(i).probability(), one.probability(), 1e-6f);
        }
        float[] first = java.util.Arrays.copyOf(data.images(), 784);
        assertEquals(batch.get(0).classIndex(), predictor.predict(first).classIndex());
        assertEquals(batch.get(0).classIndex(), predictor.predict(Tensor.of(first, 1, 28, 28)).get(0).classIndex());
        assertTrue(one(predictor, data).toString().matches("[A-Za-z/ -]+ \\(\\d\\), p = 0\\.\\d{4}"),
                one(predictor, data).toString());
        assertTrue(MODEL.parameters().get(0).grad() == null || allZero(MODEL.parameters().get(0).grad()),
                "predicting must not record a graph or touch gradients");
    }

    @Test
    void wrongShapesAreRejectedWithTheShapes() {
        Predictor predictor = Predictor.seedCnn(MODEL);
        String m = assertThrows(IllegalArgumentException.class, () -> predictor.predict(new float[783])).getMessage();
        assertTrue(m.contains("(1,28,28)") && m.contains("783"), m);
        m = assertThrows(IllegalArgumentException.class, () -> predictor.predict(Tensor.zeros(2, 28, 28))).getMessage();
        assertTrue(m.contains("(2,28,28)"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> new Predictor(MODEL, SeedCnn.INPUT_SHAPE, List.of("a", "b"))).getMessage();
        assertTrue(m.contains("(1,10)") && m.contains("2 class names"), m);
        assertThrows(IndexOutOfBoundsException.class, () -> predictor.predict(images(2), 2));
    }

    @Test
    void softmaxDoesNotOverflow() {
        float[] p = Predictor.softmax(new float[] {1000f, 1000f, -1000f}, 0, 3);
        assertEquals(0.5f, p[0]);
        assertEquals(0.5f, p[1]);
        assertEquals(0f, p[2]);
    }

    private static Predictor.Prediction one(Predictor predictor, Dataset data) {
        return predictor.predict(data, 1);
    }

    private static boolean allZero(float[] g) {
        for (float v : g) {
            if (v != 0f) {
                return false;
            }
        }
        return true;
    }
}
