package jcnn.eval.metrics;

/**
 * Sums doubles in exactly the order numpy's {@code np.sum} does, so that averages printed by this package agree
 * with scikit-learn's to the last bit.
 *
 * <p>Why bother: a report shows 2 decimals, and a macro average that lands within one ulp of a rounding boundary
 * (x.xx5) prints differently depending on the summation order. numpy does not add left to right: for float arrays
 * it uses pairwise summation with eight running accumulators per block of up to 128 elements, splitting larger
 * arrays in two (numpy/_core/src/umath/loops_utils.h.src, {@code pairwise_sum}). This is a straight port of that
 * routine for contiguous arrays; it is not meant as a general-purpose accurate sum (use Kahan for that).
 */
final class PairwiseSum {

    private static final int BLOCK = 128;   // numpy's PW_BLOCKSIZE
    private static final int UNROLL = 8;    // numpy's eight partial sums

    private PairwiseSum() {
    }

    /** {@code np.sum(a)} for a float64 array. The reduction starts from the identity 0.0, as numpy's does. */
    static double sum(double[] a) {
        return 0.0 + pairwise(a, 0, a.length);
    }

    /** {@code np.mean(a)}: the pairwise sum divided by the count. */
    static double mean(double[] a) {
        return sum(a) / a.length;
    }

    private static double pairwise(double[] a, int off, int n) {
        if (n < UNROLL) {
            double s = 0.0;
            for (int i = 0; i < n; i++) {
                s += a[off + i];
            }
            return s;
        }
        if (n <= BLOCK) {
            double[] r = new double[UNROLL];
            System.arraycopy(a, off, r, 0, UNROLL);
            int i = UNROLL;
            for (; i < n - n % UNROLL; i += UNROLL) {
                for (int j = 0; j < UNROLL; j++) {
                    r[j] += a[off + i + j];
                }
            }
            // The grouping of the final combination is part of the result; keep numpy's parentheses.
            double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                s += a[off + i];
            }
            return s;
        }
        // Split in two, keeping the first half a multiple of the unroll factor as numpy does.
        int n2 = n / 2;
        n2 -= n2 % UNROLL;
        return pairwise(a, off, n2) + pairwise(a, off + n2, n - n2);
    }
}
