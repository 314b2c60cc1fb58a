package jcnn.eval.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Agreement and logit differences on hand-made logits, where every figure can be checked by eye. */
class LogitAgreementTest {

    private static final int[] LABELS = {0, 1, 2, 1};

    // 4 images x 3 classes; the second model changes its mind on images 1 and 3.
    private static final float[] FIRST = {
            3, 1, 0,
            0, 2, 1,
            0, 0, 5,
            1, 4, 0};
    private static final float[] SECOND = {
            3, 1, 0,
            0, 1, 2.5f,
            0, 0, 5,
            4.5f, 4, 0};

    @Test
    void countsAgreementAndWhoIsRightWhereTheyDisagree() {
        LogitAgreement a = LogitAgreement.of(LABELS, FIRST, SECOND, 3);
        assertEquals(4, a.images());
        assertEquals(2, a.samePrediction());
        assertEquals(0.5, a.agreement());
        assertEquals(2, a.onlyFirstCorrect());    // images 1 and 3: the first model is right, the second not
        assertEquals(0, a.onlySecondCorrect());
    }

    @Test
    void findsTheLargestDifferenceAndItsPlace() {
        LogitAgreement a = LogitAgreement.of(LABELS, FIRST, SECOND, 3);
        assertEquals(3.5, a.maxAbsDifference());
        assertEquals(3, a.maxImage());
        assertEquals(0, a.maxClass());
        assertEquals((1 + 1.5 + 3.5) / 12, a.meanAbsDifference(), 1e-12);
        assertEquals(5, a.maxAbsLogit());
        assertFalse(a.identical());
    }

    @Test
    void identicalLogitsAgreeCompletely() {
        LogitAgreement a = LogitAgreement.of(LABELS, FIRST, FIRST.clone(), 3);
        assertEquals(1.0, a.agreement());
        assertEquals(0.0, a.maxAbsDifference());
        assertEquals(0.0, a.meanAbsDifference());
        assertTrue(a.identical());
    }

    @Test
    void aNaNLogitIsTheLargestDifferenceNotAHiddenOne() {
        float[] second = FIRST.clone();
        second[7] = Float.NaN;
        LogitAgreement a = LogitAgreement.of(LABELS, FIRST, second, 3);
        assertTrue(Double.isNaN(a.maxAbsDifference()));
        assertEquals(2, a.maxImage());
        assertEquals(1, a.maxClass());
        assertFalse(a.identical());
    }

    @Test
    void logitsOfAnotherShapeAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> LogitAgreement.of(LABELS, FIRST, new float[9], 3));
    }
}
