package jcnn.eval.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The two pieces of Python's {@code str.format} that scikit-learn's text reports use: fixed-point numbers
 * ({@code "{:.2f}"}) and right-aligned fields ({@code "{:>9}"}).
 *
 * <p>Why not {@code String.format("%.2f")}: Java rounds the <em>shortest decimal string</em> of the double
 * half-up, so 0.125 prints as 0.13 and 0.285 (really 0.28499999999999997...) as 0.29. Python rounds the
 * <em>exact binary value</em> correctly, ties to even: 0.12 and 0.28. {@code new BigDecimal(double)} is that exact
 * binary value, and HALF_EVEN on it reproduces Python digit for digit.
 */
final class PythonFormat {

    private PythonFormat() {
    }

    /** Python's {@code format(x, f".{digits}f")}, including "nan", "inf" and the sign of negative zero. */
    static String fixed(double x, int digits) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        String magnitude = new BigDecimal(Math.abs(x)).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
        // Python keeps the sign even when the rounded digits are all zero: format(-0.001, ".2f") == "-0.00".
        boolean negative = (Double.doubleToRawLongBits(x) & Long.MIN_VALUE) != 0;
        return negative ? "-" + magnitude : magnitude;
    }

    /** Python's {@code "{:>width}".format(s)}: pad on the left, never truncate. */
    static String right(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
