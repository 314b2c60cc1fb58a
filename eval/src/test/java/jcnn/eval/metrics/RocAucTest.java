package jcnn.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.Random;
import jcnn.core.testing.PropertyCheck;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.tribuo.classification.evaluation.LabelEvaluationUtil;

/**
 * ROC curves and AUCs against three oracles: cases worked by hand, a brute-force count over all
 * (positive, negative) pairs, and Tribuo's independent port of scikit-learn's roc_curve.
 */
class RocAucTest {

    // ---------------------------------------------------------------------------------------------------------
    // Binary, by hand

    /*
     * Five samples; sorted by decreasing score:  0.9 (+)  0.8 (-)  0.8 (+)  0.3 (-)  0.1 (+).  P = 3, N = 2.
     * Points (fpr, tpr, threshold): (0, 0, +inf), (0, 1/3, 0.9), (1/2, 2/3, 0.8) [the tie: one diagonal step],
     * (1, 2/3, 0.3), (1, 1, 0.1).
     * Trapezoids: 0 + 1/2 * (1/3 + 2/3) / 2 + 1/2 * (2/3 + 2/3) / 2 + 0 = 1/4 + 1/3 = 7/12.
     * Mann–Whitney: the positive 0.9 beats both negatives (2), 0.8 ties one and beats one (1.5), 0.1 beats none:
     * 3.5 / (3 * 2) = 7/12.
     */
    private static final boolean[] POSITIVE = {true, false, true, false, true};
    private static final double[] SCORES = {0.9, 0.8, 0.8, 0.3, 0.1};

    @Test
    void curveHasOnePointPerDistinctScore() {
        RocCurve c = RocAuc.curve(POSITIVE, SCORES);
        assertArrayEquals(new double[] {0, 0, 0.5, 1, 1}, c.fpr());
        assertArrayEquals(new double[] {0, 1.0 / 3, 2.0 / 3, 2.0 / 3, 1}, c.tpr());
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 0.9, 0.8, 0.3, 0.1}, c.thresholds());
        assertEquals(3, c.positives());
        assertEquals(2, c.negatives());
        assertEquals(7.0 / 12, c.auc(), 1e-15);
        assertEquals(7.0 / 12, bruteForceAuc(POSITIVE, SCORES), 1e-15);
    }

    @Test
    void perfectReversedAndConstantScores() {
        boolean[] pos = {true, true, false, false};
        assertEquals(1.0, RocAuc.auc(pos, new double[] {4, 3, 2, 1}));
        assertEquals(0.0, RocAuc.auc(pos, new double[] {1, 2, 3, 4}));
        assertEquals(0.5, RocAuc.auc(pos, new double[] {7, 7, 7, 7}));   // one diagonal step from (0,0) to (1,1)
    }

    @Test
    void undefinedWithoutBothClasses() {
        RocCurve c = RocAuc.curve(new boolean[] {true, true}, new double[] {1, 2});
        assertTrue(Double.isNaN(c.fpr()[1]));
        assertTrue(Double.isNaN(c.auc()));
        assertThrows(IllegalArgumentException.class, () -> RocAuc.curve(new boolean[] {true}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class,
                () -> RocAuc.curve(new boolean[] {true, false}, new double[] {1, Double.NaN}));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Binary, properties

    @Test
    void aucIsTheMannWhitneyStatistic() {
        PropertyCheck.forAll(300, Problem.cases(),
                p -> assertEquals(bruteForceAuc(p.positive, p.scores), RocAuc.auc(p.positive, p.scores), 1e-12));
    }

    @Test
    void curveEqualsTribuosPortOfScikitLearn() {
        PropertyCheck.forAll(200, Problem.cases(), p -> {
            RocCurve ours = RocAuc.curve(p.positive, p.scores);
            LabelEvaluationUtil.ROC theirs = LabelEvaluationUtil.generateROCCurve(p.positive, p.scores);
            assertArrayEquals(theirs.fpr, ours.fpr(), 1e-15);
            assertArrayEquals(theirs.tpr, ours.tpr(), 1e-15);
            assertEquals(LabelEvaluationUtil.binaryAUCROC(p.positive, p.scores), ours.auc(), 1e-12);
        });
    }

    /** Only the order of the scores matters: a strictly increasing map leaves every point of the curve in place. */
    @Test
    void aucIsInvariantUnderStrictlyIncreasingTransforms() {
        PropertyCheck.forAll(200, Problem.cases(), p -> {
            int n = p.scores.length;
            double[] transformed = new double[n];
            for (int i = 0; i < n; i++) {
                transformed[i] = Math.exp(p.scores[i]) * 3 + Math.atan(p.scores[i]) - 10;
            }
            assertEquals(RocAuc.auc(p.positive, p.scores), RocAuc.auc(p.positive, transformed), 1e-12);
        });
    }

    /** Negating the scores swaps "beats" and "loses to" in every pair and keeps the ties: AUC becomes 1 - AUC. */
    @Test
    void negatedScoresGiveTheComplement() {
        PropertyCheck.forAll(200, Problem.cases(), p -> {
            int n = p.scores.length;
            double[] negated = new double[n];
            for (int i = 0; i < n; i++) {
                negated[i] = -p.scores[i];
            }
            assertEquals(1.0, RocAuc.auc(p.positive, p.scores) + RocAuc.auc(p.positive, negated), 1e-12);
        });
    }

    // ---------------------------------------------------------------------------------------------------------
    // Multi-class, by hand

    /*
     * Six samples, two per class; columns are the scores for classes 0, 1, 2.
     *   class 0: {0.8, 0.1, 0.1}, {0.6, 0.3, 0.1}
     *   class 1: {0.7, 0.2, 0.1}, {0.1, 0.8, 0.1}
     *   class 2: {0.2, 0.3, 0.5}, {0.1, 0.2, 0.7}
     *
     * One-vs-rest (column c, class c against the four others):
     *   class 0: 0.8 beats all 4; 0.6 beats 3 of {0.7, 0.1, 0.2, 0.1}         -> 7/8  = 0.875
     *   class 1: 0.2 beats 0.1, loses to 0.3 and 0.3, ties 0.2 (1/2); 0.8 beats 4 -> 5.5/8 = 0.6875
     *   class 2: 0.5 and 0.7 beat all four 0.1                                 -> 1
     *   macro = 2.5625 / 3 = 0.854166...
     *
     * Hand & Till, pair by pair:
     *   A(0|1) col 0, {0.8, 0.6} vs {0.7, 0.1}: 3/4;   A(1|0) col 1, {0.2, 0.8} vs {0.1, 0.3}: 3/4  -> Â = 0.75
     *   A(0|2) col 0, {0.8, 0.6} vs {0.2, 0.1}: 1;     A(2|0) col 2, {0.5, 0.7} vs {0.1, 0.1}: 1    -> Â = 1
     *   A(1|2) col 1, {0.2, 0.8} vs {0.3, 0.2}: 2.5/4; A(2|1) col 2, {0.5, 0.7} vs {0.1, 0.1}: 1    -> Â = 0.8125
     *   M = (0.75 + 1 + 0.8125) / 3 = 0.854166... -- equal to the one-vs-rest macro, as it must be for balanced
     *   classes (see RocAuc.oneVsOne).
     */
    private static final int[] Y3 = {0, 0, 1, 1, 2, 2};
    private static final float[] S3 = {
        0.8f, 0.1f, 0.1f, 0.6f, 0.3f, 0.1f,
        0.7f, 0.2f, 0.1f, 0.1f, 0.8f, 0.1f,
        0.2f, 0.3f, 0.5f, 0.1f, 0.2f, 0.7f};

    @Test
    void oneVsRestByHand() {
        RocAuc.OneVsRest ovr = RocAuc.oneVsRest(Y3, S3, 3);
        assertArrayEquals(new double[] {0.875, 0.6875, 1.0}, ovr.auc(), 1e-15);
        assertEquals(2.5625 / 3, ovr.macroAuc(), 1e-15);
        assertEquals(3, ovr.curves().size());
    }

    @Test
    void handAndTillByHand() {
        RocAuc.OneVsOne ovo = RocAuc.oneVsOne(Y3, S3, 3, ScoreType.LOGITS);
        assertEquals(0.75, ovo.pairAuc()[0][1], 1e-15);
        assertEquals(0.75, ovo.pairAuc()[1][0], 1e-15);
        assertEquals(1.0, ovo.pairAuc()[0][2], 1e-15);
        assertEquals(0.8125, ovo.pairAuc()[1][2], 1e-15);
        assertTrue(Double.isNaN(ovo.pairAuc()[1][1]));
        assertEquals(2.5625 / 3, ovo.macroAuc(), 1e-15);
    }

    @Test
    void handAndTillDiffersFromOneVsRestWhenClassesAreUnbalanced() {
        /*
         * Class 0 has three samples, classes 1 and 2 one each; one score column per class.
         *   class 0: {3, 0, 0}, {1, 0, 0}, {0, 1, 0}
         *   class 1: {2, 0.5, 0}
         *   class 2: {0, 0, 1}
         * A(0|1) col 0, {3, 1, 0} vs {2}: 1/3;       A(1|0) col 1, {0.5} vs {0, 0, 1}: 2/3   -> Â(0,1) = 1/2
         * A(0|2) col 0, {3, 1, 0} vs {0}: 2.5/3;     A(2|0) col 2, {1} vs {0, 0, 0}: 1       -> Â(0,2) = 11/12
         * A(1|2) col 1, {0.5} vs {0}: 1;             A(2|1) col 2, {1} vs {0}: 1             -> Â(1,2) = 1
         * M = (1/2 + 11/12 + 1) / 3 = 29/36.
         * One-vs-rest weights each A(i|j) by the size of class j instead:
         *   class 0, col 0, {3, 1, 0} vs {2, 0}: (2 + 1 + 0.5) / 6 = 7/12
         *   class 1, col 1, {0.5} vs {0, 0, 1, 0}: 3/4   (= 3/4 A(1|0) + 1/4 A(1|2))
         *   class 2, col 2, {1} vs {0, 0, 0, 0}: 1
         *   macro = (7/12 + 9/12 + 12/12) / 3 = 28/36.
         */
        int[] y = {0, 0, 0, 1, 2};
        float[] s = {3, 0, 0, 1, 0, 0, 0, 1, 0, 2, 0.5f, 0, 0, 0, 1};
        RocAuc.OneVsOne ovo = RocAuc.oneVsOne(y, s, 3, ScoreType.LOGITS);
        assertEquals(0.5, ovo.pairAuc()[0][1], 1e-15);
        assertEquals(11.0 / 12, ovo.pairAuc()[0][2], 1e-15);
        assertEquals(1.0, ovo.pairAuc()[1][2], 1e-15);
        assertEquals(29.0 / 36, ovo.macroAuc(), 1e-15);
        RocAuc.OneVsRest ovr = RocAuc.oneVsRest(y, s, 3);
        assertArrayEquals(new double[] {7.0 / 12, 0.75, 1}, ovr.auc(), 1e-15);
        assertEquals(28.0 / 36, ovr.macroAuc(), 1e-15);
    }

    @Test
    void softmaxChangesTheRankingWithinAColumn() {
        /*
         * Two samples, two classes. Logits {2, 0} (class 0) and {3, 2} (class 1).
         * On logits, column 0 ranks the class-1 sample first (3 > 2): A = 0 for class 0.
         * Softmax column 0: e^2 / (e^2 + 1) = 0.88 vs e^3 / (e^3 + e^2) = 0.73: the class-0 sample is first, A = 1.
         */
        int[] y = {0, 1};
        float[] s = {2, 0, 3, 2};
        assertEquals(0.0, RocAuc.oneVsRest(y, s, 2, ScoreType.LOGITS).auc()[0]);
        assertEquals(1.0, RocAuc.oneVsRest(y, s, 2, ScoreType.SOFTMAX).auc()[0]);
        double[] p = ScoreType.SOFTMAX.apply(s, 2);
        assertEquals(Math.exp(2) / (Math.exp(2) + 1), p[0], 1e-15);
        assertEquals(1.0, p[2] + p[3], 1e-15);
    }

    @Test
    void softmaxIsStableForHugeLogits() {
        double[] p = ScoreType.SOFTMAX.apply(new float[] {1000, 999, -1000}, 3);
        assertEquals(1 / (1 + Math.exp(-1)), p[0], 1e-15);
        assertEquals(0.0, p[2]);
    }

    @Test
    void anAbsentClassMakesItsAucAndTheMacroNaN() {
        int[] y = {0, 1, 0, 1};
        float[] s = {1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1};
        RocAuc.OneVsRest ovr = RocAuc.oneVsRest(y, s, 3);
        assertTrue(Double.isNaN(ovr.auc()[2]));
        assertTrue(Double.isNaN(ovr.macroAuc()));
        // Hand & Till averages over the pairs that occur: here only (0, 1).
        RocAuc.OneVsOne ovo = RocAuc.oneVsOne(y, s, 3, ScoreType.LOGITS);
        assertEquals(ovo.pairAuc()[0][1], ovo.macroAuc());
        assertTrue(Double.isNaN(ovo.pairAuc()[0][2]));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Multi-class, properties

    /** Seed, number of classes, and a count: samples per class, or samples in all. */
    record MultiClass(long seed, int numClasses, int count) {
    }

    /** With equal class counts, a one-vs-rest AUC is the mean of its A(i|j), so M equals the OvR macro. */
    @Test
    void handAndTillEqualsOneVsRestForBalancedClasses() {
        Gen<MultiClass> cases = longs().all().zip(integers().between(2, 5), integers().between(1, 6), MultiClass::new);
        PropertyCheck.forAll(100, cases, c -> {
            int numClasses = c.numClasses();
            Random rnd = new Random(c.seed());
            int n = numClasses * c.count();
            int[] y = new int[n];
            float[] s = new float[n * numClasses];
            for (int i = 0; i < n; i++) {
                y[i] = i % numClasses;
            }
            for (int i = 0; i < s.length; i++) {
                s[i] = rnd.nextInt(5);   // ties on purpose
            }
            for (ScoreType type : ScoreType.values()) {
                assertEquals(RocAuc.oneVsRest(y, s, numClasses, type).macroAuc(),
                        RocAuc.oneVsOne(y, s, numClasses, type).macroAuc(), 1e-12, type.name());
            }
        });
    }

    @Test
    void oneVsRestCurvesAreBinaryCurvesOfEachColumn() {
        Gen<MultiClass> cases = longs().all().zip(integers().between(2, 5), integers().between(2, 30), MultiClass::new);
        PropertyCheck.forAll(100, cases, c -> {
            int numClasses = c.numClasses(), n = c.count();
            Random rnd = new Random(c.seed());
            int[] y = new int[n];
            float[] s = new float[n * numClasses];
            for (int i = 0; i < n; i++) {
                y[i] = rnd.nextInt(numClasses);
            }
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) rnd.nextGaussian();
            }
            RocAuc.OneVsRest ovr = RocAuc.oneVsRest(y, s, numClasses);
            for (int k = 0; k < numClasses; k++) {
                boolean[] pos = new boolean[n];
                double[] col = new double[n];
                for (int i = 0; i < n; i++) {
                    pos[i] = y[i] == k;
                    col[i] = s[i * numClasses + k];
                }
                boolean defined = ovr.curves().get(k).positives() > 0 && ovr.curves().get(k).negatives() > 0;
                if (defined) {
                    assertEquals(bruteForceAuc(pos, col), ovr.auc()[k], 1e-12, "class " + k);
                } else {
                    assertTrue(Double.isNaN(ovr.auc()[k]));
                }
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------------
    // Oracles

    /** The definition: over all (positive, negative) pairs, 1 if the positive scores higher, 1/2 on a tie. */
    static double bruteForceAuc(boolean[] positive, double[] scores) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < scores.length; i++) {
            for (int j = 0; j < scores.length; j++) {
                if (positive[i] && !positive[j]) {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        return wins / pairs;
    }

    /**
     * A random binary problem whose scores take few distinct values, so that ties are common; printed with the
     * seed, size and number of distinct scores it was drawn from.
     */
    private record Problem(long seed, int distinctScores, boolean[] positive, double[] scores) {

        /** Seeds, 2 to 60 samples, 1 to 8 distinct scores; only problems with both classes. */
        static Gen<Problem> cases() {
            return longs().all().zip(integers().between(2, 60), integers().between(1, 8), Problem::random)
                    .assuming(Problem::hasBothClasses);
        }

        static Problem random(long seed, int n, int distinctScores) {
            Random rnd = new Random(seed);
            boolean[] positive = new boolean[n];
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                positive[i] = rnd.nextBoolean();
                scores[i] = rnd.nextInt(distinctScores) * 0.5 - 1;
            }
            return new Problem(seed, distinctScores, positive, scores);
        }

        @Override
        public String toString() {
            return "Problem[seed=" + seed + ", n=" + scores.length + ", distinctScores=" + distinctScores
                    + ", positive=" + Arrays.toString(positive) + ", scores=" + Arrays.toString(scores) + "]";
        }

        boolean hasBothClasses() {
            boolean anyPositive = false;
            boolean anyNegative = false;
            for (boolean p : positive) {
                anyPositive |= p;
                anyNegative |= !p;
            }
            return anyPositive && anyNegative;
        }
    }
}
