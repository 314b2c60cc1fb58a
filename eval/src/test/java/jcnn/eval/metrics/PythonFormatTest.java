package jcnn.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Python's fixed-point formatting and numpy's summation order, the two details that make reports diff clean. */
class PythonFormatTest {

    @Test
    void roundsTheExactBinaryValueHalfToEvenLikePython() {
        // Expected strings are what CPython prints for format(x, ".2f") etc.
        assertEquals("0.12", PythonFormat.fixed(0.125, 2));   // exact tie -> even digit
        assertEquals("0.38", PythonFormat.fixed(0.375, 2));   // exact tie -> even digit (up this time)
        assertEquals("0.28", PythonFormat.fixed(0.285, 2));   // 0.285 is 0.28499999999999997558... in binary
        assertEquals("0", PythonFormat.fixed(0.5, 0));
        assertEquals("2", PythonFormat.fixed(2.5, 0));
        assertEquals("0.6667", PythonFormat.fixed(2.0 / 3, 4));
        assertEquals("1.000000000000000", PythonFormat.fixed(1.0, 15));
        assertEquals("-0.00", PythonFormat.fixed(-0.001, 2));
        assertEquals("nan", PythonFormat.fixed(Double.NaN, 2));
        assertEquals("-inf", PythonFormat.fixed(Double.NEGATIVE_INFINITY, 2));
    }

    @Test
    void javasOwnFormatterWouldGetTheseWrong() {
        // Why PythonFormat exists: Java rounds the shortest decimal string half-up.
        assertEquals("0.13", String.format(Locale.ROOT, "%.2f", 0.125));
        assertEquals("0.29", String.format(Locale.ROOT, "%.2f", 0.285));
    }

    @Test
    void rightAlignsWithoutTruncating() {
        assertEquals("      abc", PythonFormat.right("abc", 9));
        assertEquals("precision", PythonFormat.right("precision", 9));
        assertEquals("toolongforit", PythonFormat.right("toolongforit", 9));
        assertEquals("         ", PythonFormat.right("", 9));
    }

    @Test
    void sumsInNumpysPairwiseOrder() {
        // Ten values for which np.sum (pairwise) and a left-to-right loop differ in the last bit (numpy 2.4.6).
        double[] a = {0x1.dd5b61587fd28p-3, 0x1.d8d08ead45f20p-3, 0x1.c01045c2cd788p-3, 0x1.d6a24a79e3256p-2,
            0x1.28bc82f697c4ep-2, 0x1.60165b5456240p-6, 0x1.acd7053aa42a3p-1, 0x1.1ce794bb05232p-1,
            0x1.48dace8666678p-1, 0x1.7cbc6ca11d458p-3};
        double leftToRight = 0;
        for (double x : a) {
            leftToRight += x;
        }
        assertEquals(0x1.d681eaaa56ff0p+1, leftToRight);
        assertEquals(0x1.d681eaaa56feep+1, PairwiseSum.sum(a));

        // Longer arrays exercise the block split: np.sum([1/(i+1) for i in range(300)]) and
        // np.sum / np.mean of [(i%7)*0.1 + 1/(i+3) for i in range(1000)].
        double[] harmonic = new double[300];
        for (int i = 0; i < harmonic.length; i++) {
            harmonic[i] = 1.0 / (i + 1);
        }
        assertEquals(0x1.92172a3e6965ap+2, PairwiseSum.sum(harmonic));
        double[] b = new double[1000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (i % 7) * 0.1 + 1.0 / (i + 3);
        }
        assertEquals(0x1.31affde4df8d2p+8, PairwiseSum.sum(b));
        assertEquals(0x1.390622b51e42bp-2, PairwiseSum.mean(b));
        assertEquals(0.0, PairwiseSum.sum(new double[0]));
    }
}
