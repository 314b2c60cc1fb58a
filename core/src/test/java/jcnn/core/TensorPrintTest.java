package jcnn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcnn.core.testing.ScalarEngineExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code Tensor.toString()} prints as PyTorch 2.x prints the same values with its default print options; every
 * expected text below is what {@code print(torch.tensor(...))} writes (the suffix after the values is ours).
 */
@ExtendWith(ScalarEngineExtension.class)
@SuppressWarnings("try")
class TensorPrintTest {

    private static String values(Tensor t) {
        String s = t.toString();
        return s.substring(0, s.lastIndexOf(", shape=")) + ")";
    }

    private static float[] range(int n) {
        return range(0, n);
    }

    /** torch.arange(from, from + n). */
    private static float[] range(int from, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = from + i;
        }
        return v;
    }

    @Test
    void aMatrixPrintsItsRowsUnderEachOtherWithFourDecimals() {
        Tensor t = Tensor.of(new float[] {1f, -2.5f, 3f, 0.5f}, 2, 2);
        assertEquals("tensor([[ 1.0000, -2.5000],\n"
                   + "        [ 3.0000,  0.5000]], shape=(2,2))", t.toString());
    }

    @Test
    void integersPrintWithATrailingPoint() {
        assertEquals("tensor([0., 1., 2.])", values(Tensor.of(range(3), 3)));
        assertEquals("tensor([0., 0.])", values(Tensor.zeros(2)));
        assertEquals("tensor([  1., -20., 300.])", values(Tensor.of(new float[] {1, -20, 300}, 3)));
    }

    @Test
    void aScalarPrintsItsValueAlone() {
        assertEquals("tensor(3.5000, shape=())", Tensor.scalar(3.5f).toString());
        assertEquals("tensor(2.)", values(Tensor.scalar(2f)));
    }

    @Test
    void wideRangesSwitchToScientificNotation() {
        assertEquals("tensor([1.0000e-05, 1.0000e+00])", values(Tensor.of(new float[] {1e-5f, 1f}, 2)));
        assertEquals("tensor([ 1.0000e+00, -1.2346e+05])", values(Tensor.of(new float[] {1f, -123456f}, 2)));
        assertEquals("tensor([1.0000e+00, 1.0000e+09])", values(Tensor.of(new float[] {1f, 1e9f}, 2)));
    }

    @Test
    void roundingIsHalfToEvenOnTheExactValueOfTheFloat() {
        // as floats, 0.00035 is 3.4999999e-4 and 0.23455 is 0.23454999: both round down, as Python's "%.4f" of
        // the same values does; 0.00025 is 2.5000001e-4 and rounds up
        assertEquals("tensor([0.0003, 0.2345, 0.0003])",
                values(Tensor.of(new float[] {0.00035f, 0.23455f, 0.00025f}, 3)));
        // an exact tie (0.5 at 0 decimals does not occur in fixed mode; 2.5e-5 * 2^k ties do): 0.03125 -> 0.0312
        assertEquals("tensor([0.0312, 1.0000])", values(Tensor.of(new float[] {0.03125f, 1f}, 2)));
    }

    @Test
    void nonFiniteValuesAndNegativeZeroPrintAsPythonWrites()  {
        assertEquals("tensor([nan, inf, -inf])",
                values(Tensor.of(new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, 3)));
        // the width comes from the non-zero finite values, as in PyTorch: -0.0000 sticks out by its sign
        assertEquals("tensor([1.5000,    nan, -0.0000])",
                values(Tensor.of(new float[] {1.5f, Float.NaN, -0.0f}, 3)));
    }

    @Test
    void aLongVectorWrapsAtEightyColumns() {
        // torch.arange(30.): 14 entries of width 3 (+2) per line after the 7-column "tensor(" indent
        assertEquals("tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n"
                   + "        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n"
                   + "        28., 29.])", values(Tensor.of(range(30), 30)));
    }

    @Test
    void aLargeTensorIsSummarisedWithThreeItemsAtEachEnd() {
        // torch.arange(1000., 3000.): from 1000 so that the range stays under PyTorch's 1000x switch to 1e notation
        assertEquals("tensor([1000., 1001., 1002.,  ..., 2997., 2998., 2999.])",
                values(Tensor.of(range(1000, 2000), 2000)));
        // torch.arange(1000., 2200.).reshape(40, 30)
        assertEquals("tensor([[1000., 1001., 1002.,  ..., 1027., 1028., 1029.],\n"
                   + "        [1030., 1031., 1032.,  ..., 1057., 1058., 1059.],\n"
                   + "        [1060., 1061., 1062.,  ..., 1087., 1088., 1089.],\n"
                   + "        ...,\n"
                   + "        [2110., 2111., 2112.,  ..., 2137., 2138., 2139.],\n"
                   + "        [2140., 2141., 2142.,  ..., 2167., 2168., 2169.],\n"
                   + "        [2170., 2171., 2172.,  ..., 2197., 2198., 2199.]])",
                values(Tensor.of(range(1000, 1200), 40, 30)));
        // torch.arange(2000.): 1999 / 1 > 1000, so PyTorch (and this) switch to 1e notation
        assertEquals("tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
                   + "        1.9990e+03])",
                values(Tensor.of(range(2000), 2000)));
    }

    @Test
    void aSummarisedTensorChoosesItsFormatFromThePrintedEntries() {
        // as PyTorch does: a tiny value that is not printed does not switch the whole tensor to 1e notation
        float[] v = new float[1001];
        java.util.Arrays.fill(v, 0.5f);
        v[500] = 1e-6f;
        assertEquals("tensor([0.5000, 0.5000, 0.5000,  ..., 0.5000, 0.5000, 0.5000])", values(Tensor.of(v, 1001)));
        v[1000] = 1e-6f;
        assertEquals("tensor([5.0000e-01, 5.0000e-01, 5.0000e-01,  ..., 5.0000e-01, 5.0000e-01,\n"
                   + "        1.0000e-06])", values(Tensor.of(v, 1001)));
    }

    @Test
    void higherDimensionsAreSeparatedByBlankLines() {
        // torch.arange(8.).reshape(2, 2, 2)
        assertEquals("tensor([[[0., 1.],\n"
                   + "         [2., 3.]],\n"
                   + "\n"
                   + "        [[4., 5.],\n"
                   + "         [6., 7.]]])", values(Tensor.of(range(8), 2, 2, 2)));
    }

    @Test
    void aBatchOfImagesStaysAFewLinesLong() {
        String s = Tensor.zeros(64, 1, 28, 28).toString();
        assertTrue(s.lines().count() < 80, s);   // 6 of 64 images, 6 of 28 rows each
        assertTrue(s.endsWith("]]]], shape=(64,1,28,28))"), s);
    }

    @Test
    void theSuffixSaysWhereATensorCameFrom() {
        Tensor x = Tensor.of(new float[] {1f, -2.5f}, 2).requiresGrad(true);
        assertEquals("tensor([ 1.0000, -2.5000], shape=(2), requiresGrad=true)", x.toString());
        Tensor y = Ops.mul(x, x);
        assertEquals("tensor([1.0000, 6.2500], shape=(2), grad_fn=<mul>)", y.toString());
        try (var off = NoGrad.enter()) {
            assertEquals("tensor(7.2500, shape=(), op=sum)", Ops.sum(y).toString());
        }
    }

    @Test
    void errorMessagesKeepTheShortFormWithoutValues() {
        Tensor big = Tensor.of(range(10), 10).requiresGrad(true);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Ops.mul(big, big).backward());
        assertEquals("backward: Tensor(10) from mul requiresGrad is not a scalar; pass the output gradient with"
                + " backward(gradient)", e.getMessage());
    }
}
