package jcnn.eval.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * Escaping and number formatting for the report page.
 *
 * <p>Every piece of text that reaches the page goes through {@link #escape}, whether it came from a class name, the
 * recipe or an extra section: the report must show a name like {@code <b>&co} as written, never interpret it.
 * Numbers are formatted with {@link java.util.Locale#ROOT}, so a report reads the same on every machine.
 */
final class Html {

    /** What the page shows for a number that does not exist (NaN): an undefined AUC, a missing validation loss. */
    static final String MISSING = "n/a";

    private Html() {
    }

    /**
     * The text with the five characters that can end an element or an attribute value replaced by references;
     * safe both in element content and in double- or single-quoted attribute values.
     */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** 0.91294 -> "91.29%". */
    static String percent(double fraction, int decimals) {
        return Double.isNaN(fraction) ? MISSING : String.format(Locale.ROOT, "%." + decimals + "f%%",
                100 * fraction);
    }

    /** A number with a fixed count of decimals; NaN -> {@link #MISSING}. */
    static String fixed(double value, int decimals) {
        return Double.isNaN(value) ? MISSING : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** An integer with thousands separators: 10000 -> "10,000". */
    static String grouped(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** A setting as a person would type it: {@link #significant} with 6 digits (0.0005, not 5.0E-4). */
    static String compact(double value) {
        return significant(value, 6);
    }

    /**
     * At most {@code digits} significant digits, no trailing zeros, no exponent for ordinary magnitudes; an
     * exponent only below 1e-4 or from 1e9 on (1e-08), where zeros would hide the digits.
     */
    static String significant(double value, int digits) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.isNaN(value) ? MISSING : value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return "0";
        }
        double magnitude = Math.abs(value);
        if (magnitude < 1e-4 || magnitude >= 1e9) {
            // "%.5g" of 1e-8 is "1.0000e-08": drop the zeros of the mantissa.
            return String.format(Locale.ROOT, "%." + (digits - 1) + "e", value).replaceAll("\\.?0+e", "e");
        }
        return new BigDecimal(value).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }

    /** A recipe value: numbers {@link #compact}, null as "none", everything else by {@code toString}. */
    static String value(Object value) {
        if (value == null) {
            return "none";
        }
        if (value instanceof Double d) {
            return compact(d);
        }
        if (value instanceof Float f) {
            return compact(f.doubleValue());
        }
        return String.valueOf(value);
    }
}
