package jcnn.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Random;
import jcnn.core.testing.PropertyCheck;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class ClassificationMetricsTest {

    /*
     * Four samples, three classes (logits):
     *   sample 0: {2, 1, 0}  true 0  -> rank 0 (hit at k=1)
     *   sample 1: {2, 1, 0}  true 1  -> rank 1 (hit at k=2)
     *   sample 2: {1, 1, 1}  true 2  -> all tied; classes 0 and 1 come first by index: rank 2 (hit at k=3)
     *   sample 3: {0, 5, 5}  true 1  -> tied with class 2 but has the lower index: rank 0 (hit at k=1)
     * top-1 = 2/4, top-2 = 3/4, top-3 = 4/4.
     */
    private static final float[] SCORES = {2, 1, 0, 2, 1, 0, 1, 1, 1, 0, 5, 5};
    private static final int[] TRUE = {0, 1, 2, 1};

    @Test
    void accuracyCountsExactMatches() {
        assertEquals(0.75, ClassificationMetrics.accuracy(new int[] {0, 1, 2, 2}, new int[] {0, 1, 2, 0}));
        assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.accuracy(new int[0], new int[0]));
        assertThrows(IllegalArgumentException.class,
                () -> ClassificationMetrics.accuracy(new int[] {1}, new int[] {1, 2}));
    }

    @Test
    void argmaxTakesTheFirstMaximum() {
        assertArrayEquals(new int[] {0, 0, 0, 1}, ClassificationMetrics.argmax(SCORES, 3));
    }

    @Test
    void topKRanksTiesByClassIndex() {
        assertEquals(0.5, ClassificationMetrics.topKAccuracy(TRUE, SCORES, 3, 1));
        assertEquals(0.75, ClassificationMetrics.topKAccuracy(TRUE, SCORES, 3, 2));
        assertEquals(1.0, ClassificationMetrics.topKAccuracy(TRUE, SCORES, 3, 3));
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.topKAccuracy(TRUE, SCORES, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.topKAccuracy(TRUE, SCORES, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.topKAccuracy(TRUE, SCORES, 4, 1));
        float[] withNan = SCORES.clone();
        withNan[4] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassificationMetrics.topKAccuracy(TRUE, withNan, 3, 1));
        assertEquals("scores[1, 1] is NaN", e.getMessage());
    }

    record Case(long seed, int numClasses, int n) {
    }

    /** Top-1 is the accuracy of argmax, and top-k never decreases with k. Small score range: many ties. */
    @Test
    void topOneIsArgmaxAccuracyAndTopKIsMonotone() {
        Gen<Case> cases = longs().all().zip(integers().between(1, 7), integers().between(1, 40), Case::new);
        PropertyCheck.forAll(200, cases, c -> {
            int numClasses = c.numClasses(), n = c.n();
            Random rnd = new Random(c.seed());
            int[] y = new int[n];
            float[] s = new float[n * numClasses];
            for (int i = 0; i < n; i++) {
                y[i] = rnd.nextInt(numClasses);
            }
            for (int i = 0; i < s.length; i++) {
                s[i] = rnd.nextInt(4);
            }
            assertEquals(ClassificationMetrics.accuracy(y, ClassificationMetrics.argmax(s, numClasses)),
                    ClassificationMetrics.topKAccuracy(y, s, numClasses, 1));
            double previous = 0;
            for (int k = 1; k <= numClasses; k++) {
                double topK = ClassificationMetrics.topKAccuracy(y, s, numClasses, k);
                assertTrue(topK >= previous, "top-" + k + " < top-" + (k - 1));
                previous = topK;
            }
            assertEquals(1.0, previous);
        });
    }
}
