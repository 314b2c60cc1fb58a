package jcnn.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The report against scikit-learn's text. The expected strings of the hand-made cases were printed by a Python
 * transcription of scikit-learn 1.3+'s classification_report formatting code (the f-strings quoted in
 * {@link ClassificationReport#format}); the seed cases are the study's own files.
 */
class ClassificationReportTest {

    /*
     * The 3-class example used throughout: rows = true, columns = predicted.
     *        pred 0  1  2   support
     *   true 0   3  1  0     4
     *   true 1   1  2  1     4
     *   true 2   0  0  2     2
     *   predicted 4  3  3    total 10, trace 7
     * precision = 3/4, 2/3, 2/3; recall = 3/4, 2/4, 2/2; f1 = 2tp/(support+predicted) = 6/8, 4/7, 4/5.
     * macro precision = (0.75 + 0.6667 + 0.6667) / 3 = 0.6944; weighted f1 = (4*0.75 + 4*0.5714 + 2*0.8) / 10
     * = 0.6886; accuracy 0.7.
     */
    private static final long[][] THREE = {{3, 1, 0}, {1, 2, 1}, {0, 0, 2}};
    private static final String[] LONG_NAMES = {"cat", "dog", "a rather long name"};

    @Test
    void numbersOfTheThreeClassExample() {
        ClassificationReport r = ClassificationReport.of(ConfusionMatrix.fromCounts(THREE));
        assertEquals(new ClassificationReport.Row(0.75, 0.75, 0.75, 4), r.perClass().get(0));
        assertEquals(new ClassificationReport.Row(2.0 / 3, 0.5, 4.0 / 7, 4), r.perClass().get(1));
        assertEquals(new ClassificationReport.Row(2.0 / 3, 1.0, 0.8, 2), r.perClass().get(2));
        assertEquals(0.7, r.accuracy());
        assertEquals((0.75 + 2.0 / 3 + 2.0 / 3) / 3, r.macroAvg().precision(), 1e-15);
        assertEquals((4 * 0.75 + 4 * 4.0 / 7 + 2 * 0.8) / 10, r.weightedAvg().f1(), 1e-15);
        assertEquals(10, r.weightedAvg().support());
        assertTrue(r.warnings().isEmpty());
    }

    @Test
    void namesWiderThanTheLastLineHeadingWidenTheFirstColumn() {
        String expected = "                    precision    recall  f1-score   support\n"
                + "\n"
                + "               cat       0.75      0.75      0.75         4\n"
                + "               dog       0.67      0.50      0.57         4\n"
                + "a rather long name       0.67      1.00      0.80         2\n"
                + "\n"
                + "          accuracy                           0.70        10\n"
                + "         macro avg       0.69      0.75      0.71        10\n"
                + "      weighted avg       0.70      0.70      0.69        10\n";
        assertReport(expected, ClassificationReport.of(ConfusionMatrix.fromCounts(THREE)).format(LONG_NAMES, 2));
    }

    @Test
    void fourDigits() {
        String expected = "                    precision    recall  f1-score   support\n"
                + "\n"
                + "               cat     0.7500    0.7500    0.7500         4\n"
                + "               dog     0.6667    0.5000    0.5714         4\n"
                + "a rather long name     0.6667    1.0000    0.8000         2\n"
                + "\n"
                + "          accuracy                         0.7000        10\n"
                + "         macro avg     0.6944    0.7500    0.7071        10\n"
                + "      weighted avg     0.7000    0.7000    0.6886        10\n";
        assertReport(expected, ClassificationReport.of(ConfusionMatrix.fromCounts(THREE)).format(LONG_NAMES, 4));
    }

    @Test
    void defaultNamesAreLabelIndicesAndThreeDigits() {
        String expected = "              precision    recall  f1-score   support\n"
                + "\n"
                + "           0      0.750     0.750     0.750         4\n"
                + "           1      0.667     0.500     0.571         4\n"
                + "           2      0.667     1.000     0.800         2\n"
                + "\n"
                + "    accuracy                          0.700        10\n"
                + "   macro avg      0.694     0.750     0.707        10\n"
                + "weighted avg      0.700     0.700     0.689        10\n";
        assertReport(expected, ClassificationReport.of(ConfusionMatrix.fromCounts(THREE)).format(
                ClassNames.indices(3), 3));
    }

    @Test
    void zeroDigitsRoundHalfToEven() {
        // recall of class 1 is exactly 0.5, which Python prints as "0" with 0 digits.
        String expected = "              precision    recall  f1-score   support\n"
                + "\n"
                + "           0          1         1         1         4\n"
                + "           1          1         0         1         4\n"
                + "           2          1         1         1         2\n"
                + "\n"
                + "    accuracy                              1        10\n"
                + "   macro avg          1         1         1        10\n"
                + "weighted avg          1         1         1        10\n";
        assertReport(expected, ClassificationReport.of(ConfusionMatrix.fromCounts(THREE)).format(
                ClassNames.indices(3), 0));
    }

    @Test
    void moreDigitsThanTheHeadingWidthWidenTheFirstColumn() {
        // width = max(len("weighted avg") = 12, digits = 15) = 15; numbers overflow their 9-wide fields, as in Python.
        String expected = "                 precision    recall  f1-score   support\n"
                + "\n"
                + "              a  1.000000000000000 0.500000000000000 0.666666666666667         2\n"
                + "              b  0.666666666666667 1.000000000000000 0.800000000000000         2\n"
                + "\n"
                + "       accuracy                      0.750000000000000         4\n"
                + "      macro avg  0.833333333333333 0.750000000000000 0.733333333333333         4\n"
                + "   weighted avg  0.833333333333333 0.750000000000000 0.733333333333333         4\n";
        ConfusionMatrix m = ConfusionMatrix.fromCounts(new long[][] {{1, 1}, {0, 2}});
        assertReport(expected, ClassificationReport.of(m).format(new String[] {"a", "b"}, 15));
    }

    @Test
    void roundsLikePythonNotLikeJava() {
        // precision of class 0 = 1/8 = 0.125 exactly -> "0.12"; recall of class 1 = 57/200 = 0.28499999... -> "0.28".
        // String.format would print 0.13 and 0.29.
        String expected = "              precision    recall  f1-score   support\n"
                + "\n"
                + "           0       0.12      1.00      0.22         1\n"
                + "           1       1.00      0.28      0.44       200\n"
                + "           2       0.06      1.00      0.11         8\n"
                + "\n"
                + "    accuracy                           0.32       209\n"
                + "   macro avg       0.39      0.76      0.26       209\n"
                + "weighted avg       0.96      0.32      0.43       209\n";
        ConfusionMatrix m = ConfusionMatrix.fromCounts(new long[][] {{1, 0, 0}, {7, 57, 136}, {0, 0, 8}});
        assertReport(expected, ClassificationReport.of(m).toString());
    }

    @Test
    void illDefinedRatiosAreZeroWithAWarning() {
        /*
         * class 1: never true, predicted once  -> recall 0/0
         * class 2: true once, never predicted   -> precision 0/0
         * class 3: neither                      -> precision, recall and f1 all 0/0
         */
        long[][] counts = {{2, 1, 0, 0}, {0, 0, 0, 0}, {1, 0, 0, 0}, {0, 0, 0, 0}};
        String expected = "              precision    recall  f1-score   support\n"
                + "\n"
                + "           0       0.67      0.67      0.67         3\n"
                + "           1       0.00      0.00      0.00         0\n"
                + "           2       0.00      0.00      0.00         1\n"
                + "           3       0.00      0.00      0.00         0\n"
                + "\n"
                + "    accuracy                           0.50         4\n"
                + "   macro avg       0.17      0.17      0.17         4\n"
                + "weighted avg       0.50      0.50      0.50         4\n";
        ClassificationReport r = ClassificationReport.of(ConfusionMatrix.fromCounts(counts));
        assertReport(expected, r.toString());
        assertEquals(List.of(
                "recall of class 1 is ill-defined (no true samples) and set to 0.0",
                "precision of class 2 is ill-defined (no predicted samples) and set to 0.0",
                "precision of class 3 is ill-defined (no predicted samples) and set to 0.0",
                "recall of class 3 is ill-defined (no true samples) and set to 0.0",
                "f1-score of class 3 is ill-defined (neither true nor predicted samples) and set to 0.0"),
                r.warnings());
    }

    @Test
    void reproducesTheSeedStudysReportsByteForByte() throws IOException {
        assertReport(resource("/seed/with-optimisation-PredictionAccuracyScoreReport.txt"),
                ClassificationReport.of(ConfusionMatrix.fromCounts(SeedRuns.WITH_OPTIMISATION)).toString());
        assertReport(resource("/seed/without-optimization-PredictionAccuracyScoreReport.txt"),
                ClassificationReport.of(ConfusionMatrix.fromCounts(SeedRuns.WITHOUT_OPTIMIZATION)).toString());
    }

    @Test
    void fromLabelsEqualsFromTheirMatrix() {
        int[] y = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2};
        int[] p = {0, 0, 0, 1, 0, 1, 1, 2, 2, 2};
        assertEquals(ClassificationReport.of(ConfusionMatrix.fromCounts(THREE)).toString(),
                ClassificationReport.of(y, p, 3).toString());
    }

    @Test
    void rejectsAWrongNumberOfNamesOrNegativeDigits() {
        ClassificationReport r = ClassificationReport.of(ConfusionMatrix.fromCounts(THREE));
        assertThrows(IllegalArgumentException.class, () -> r.format(new String[] {"a", "b"}, 2));
        assertThrows(IllegalArgumentException.class, () -> r.format(LONG_NAMES, -1));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ClassificationReportTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** assertEquals on whole reports, but a failure shows the first differing line, with spaces made visible. */
    static void assertReport(String expected, String actual) {
        if (expected.equals(actual)) {
            return;
        }
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String el = i < e.length ? e[i] : "<none>";
            String al = i < a.length ? a[i] : "<none>";
            if (!el.equals(al)) {
                assertEquals(el.replace(' ', '·'), al.replace(' ', '·'), "report line " + i + " differs");
            }
        }
        assertEquals(expected, actual);
    }
}
