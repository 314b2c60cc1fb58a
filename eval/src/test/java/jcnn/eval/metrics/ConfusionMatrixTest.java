package jcnn.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    // 10 samples, 3 classes; tallied by hand into rows = true, columns = predicted:
    //   {3, 1, 0}, {1, 2, 1}, {0, 0, 2}
    private static final int[] TRUE = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2};
    private static final int[] PRED = {0, 0, 0, 1, 0, 1, 1, 2, 2, 2};

    @Test
    void talliesRowsAsTrueAndColumnsAsPredicted() {
        ConfusionMatrix m = ConfusionMatrix.of(TRUE, PRED, 3);
        assertArrayEquals(new long[][] {{3, 1, 0}, {1, 2, 1}, {0, 0, 2}}, m.toArray());
        assertEquals(4, m.support(0));
        assertEquals(3, m.predictedCount(2));
        assertEquals(7, m.correct());
        assertEquals(10, m.total());
        assertEquals(0.7, m.accuracy());
        assertEquals(ClassificationMetrics.accuracy(TRUE, PRED), m.accuracy());
    }

    @Test
    void iouIsDiagonalOverRowPlusColumnMinusDiagonal() {
        // class 0: 3 / (4 + 4 - 3) = 3/5; class 1: 2 / (4 + 3 - 2) = 2/5; class 2: 2 / (2 + 3 - 2) = 2/3
        assertArrayEquals(new double[] {0.6, 0.4, 2.0 / 3}, ConfusionMatrix.of(TRUE, PRED, 3).iou(), 1e-15);
        // A class that never occurs and is never predicted has an empty union.
        ConfusionMatrix absent = ConfusionMatrix.of(new int[] {0, 1}, new int[] {0, 1}, 3);
        assertTrue(Double.isNaN(absent.iou()[2]));
    }

    @Test
    void iouOfTheSeedRunMatchesWhatTheStudyPrinted() {
        double[] iou = ConfusionMatrix.fromCounts(SeedRuns.WITH_OPTIMISATION).iou();
        for (int c = 0; c < iou.length; c++) {
            assertEquals(SeedRuns.WITH_OPTIMISATION_IOU[c], Math.round(iou[c] * 1e4) / 1e4, "class " + c);
        }
    }

    @Test
    void rendersReadably() {
        String expected = ""
                + "true \\ predicted  0  1  2\n"
                + "0 cat             3  1  0\n"
                + "1 dog             1  2  1\n"
                + "2 bird            0  0  2\n";
        assertEquals(expected, ConfusionMatrix.of(TRUE, PRED, 3).render(new String[] {"cat", "dog", "bird"}));
        assertEquals(""
                + "true \\ predicted  0  1  2\n"
                + "0                 3  1  0\n"
                + "1                 1  2  1\n"
                + "2                 0  0  2\n", ConfusionMatrix.of(TRUE, PRED, 3).toString());
    }

    @Test
    void rendersTheSeedRunWithFashionMnistNames() {
        String text = ConfusionMatrix.fromCounts(SeedRuns.WITH_OPTIMISATION).render(ClassNames.fashionMnist());
        String[] lines = text.split("\n");
        assertEquals(11, lines.length);
        assertEquals("true \\ predicted    0    1    2    3    4    5    6    7    8    9", lines[0]);
        assertEquals("6 Shirt           143    1   72   22   42    0  717    0    3    0", lines[7]);
    }

    @Test
    void rejectsLabelsOutOfRangeNamingTheSample() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of(new int[] {0, 3}, new int[] {0, 1}, 3));
        assertEquals("trueLabels[1] = 3 is outside [0, 3)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new int[] {0}, new int[] {0, 1}, 3));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new int[0], new int[0], 3));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.fromCounts(new long[][] {{0, 0}, {0, 0}}));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.fromCounts(new long[][] {{1, 0}, {0}}));
    }
}
