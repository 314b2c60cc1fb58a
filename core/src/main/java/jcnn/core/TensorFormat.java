package jcnn.core;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a tensor's values as PyTorch's {@code print(tensor)} does, so that a student who knows one reads the
 * other: {@code tensor([[ 0.1000, -2.0000], [ 3.0000, 4.5000]])}, with the rows of a matrix under each other.
 *
 * <p>The rules are PyTorch's default print options ({@code torch/_tensor_str.py}): 4 digits after the point;
 * integers printed as {@code 2.}; scientific notation when the largest and smallest non-zero magnitudes differ by
 * more than 1000, the largest exceeds 1e8 or the smallest is under 1e-4; a tensor of more than 1000 elements is
 * summarised, each dimension longer than 6 showing its first and last 3 entries around {@code ...}; lines of at
 * most 80 characters. The number format is chosen from the entries that are printed (all of them, or the edges
 * of a summarised tensor). Numbers are rounded from the exact value of the float (half to even), as Python's
 * formatting does.
 *
 * <p>Non-goals: print options, other dtypes, complex numbers.
 */
final class TensorFormat {

    static final int PRECISION = 4;
    static final int THRESHOLD = 1000;    // more elements than this are summarised
    static final int EDGE_ITEMS = 3;
    static final int LINE_WIDTH = 80;

    private static final String PREFIX = "tensor(";

    private TensorFormat() {
    }

    /** {@code tensor([...])} without the suffix: the values only. */
    static String values(float[] data, int[] shape) {
        boolean summarise = data.length > THRESHOLD;
        Formatter f = new Formatter(summarise ? printed(data, shape) : data);
        StringBuilder sb = new StringBuilder(PREFIX);
        if (shape.length == 0) {
            sb.append(f.format(data[0]).strip());
        } else {
            block(sb, data, shape, 0, 0, PREFIX.length(), summarise, f);
        }
        return sb.toString();
    }

    /** The entries a summarised tensor shows: along every dimension longer than 6, the first 3 and the last 3. */
    private static float[] printed(float[] data, int[] shape) {
        List<Integer> offsets = new ArrayList<>(List.of(0));
        int stride = data.length;
        for (int n : shape) {
            stride /= n;
            List<Integer> next = new ArrayList<>();
            for (int o : offsets) {
                for (int i = 0; i < n; i++) {
                    if (n > 2 * EDGE_ITEMS && i == EDGE_ITEMS) {
                        i = n - EDGE_ITEMS;
                    }
                    next.add(o + i * stride);
                }
            }
            offsets = next;
        }
        float[] v = new float[offsets.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = data[offsets.get(i)];
        }
        return v;
    }

    /** Dimension {@code d} of the block of values starting at {@code offset}, indented by {@code indent}. */
    private static void block(StringBuilder sb, float[] data, int[] shape, int d, int offset, int indent,
                              boolean summarise, Formatter f) {
        int n = shape[d];
        int stride = 1;
        for (int i = d + 1; i < shape.length; i++) {
            stride *= shape[i];
        }
        if (d == shape.length - 1) {
            vector(sb, data, n, offset, indent, summarise, f);
            return;
        }
        int remaining = shape.length - d;
        String separator = "," + "\n".repeat(remaining - 1) + " ".repeat(indent + 1);
        sb.append('[');
        boolean cut = summarise && n > 2 * EDGE_ITEMS;
        for (int i = 0; i < n; i++) {
            if (cut && i == EDGE_ITEMS) {
                sb.append("...").append(separator);
                i = n - EDGE_ITEMS;
            }
            block(sb, data, shape, d + 1, offset + i * stride, indent + 1, summarise, f);
            if (i < n - 1) {
                sb.append(separator);
            }
        }
        sb.append(']');
    }

    private static void vector(StringBuilder sb, float[] data, int n, int offset, int indent, boolean summarise,
                               Formatter f) {
        int perLine = Math.max(1, (LINE_WIDTH - indent) / (f.width + 2));
        boolean cut = summarise && n > 2 * EDGE_ITEMS;
        sb.append('[');
        int onLine = 0;
        int printed = 0;
        int total = cut ? 2 * EDGE_ITEMS + 1 : n;
        for (int i = 0; i < n; i++) {
            String item;
            if (cut && i == EDGE_ITEMS) {
                item = " ...";
                i = n - EDGE_ITEMS - 1;   // the loop's i++ lands on the first of the last EDGE_ITEMS
            } else {
                item = f.format(data[offset + i]);
            }
            if (printed > 0) {
                sb.append(onLine == perLine ? ",\n" + " ".repeat(indent + 1) : ", ");
                if (onLine == perLine) {
                    onLine = 0;
                }
            }
            sb.append(item);
            onLine++;
            printed++;
        }
        assert printed == total;
        sb.append(']');
    }

    /** PyTorch's {@code _Formatter}: one number format and one width for every entry of a tensor. */
    private static final class Formatter {
        boolean intMode = true;
        boolean sciMode;
        int width = 1;

        Formatter(float[] data) {
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            boolean any = false;
            for (float v : data) {
                if (Float.isFinite(v) && v != 0f) {
                    any = true;
                    min = Math.min(min, Math.abs(v));
                    max = Math.max(max, Math.abs(v));
                    intMode &= v == Math.ceil(v);
                }
            }
            if (!any) {
                return;   // zeros, infinities and NaNs only: PyTorch keeps the integer mode and width 1, no padding
            }
            sciMode = max / min > 1000 || max > 1e8 || (!intMode && min < 1e-4);
            for (float v : data) {
                if (Float.isFinite(v) && v != 0f) {
                    width = Math.max(width, plain(v).length());
                }
            }
        }

        /** The entry right-aligned in the common width. */
        String format(float v) {
            String s = plain(v);
            return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
        }

        private String plain(float v) {
            if (Float.isNaN(v)) {
                return "nan";
            }
            if (Float.isInfinite(v)) {
                return v > 0 ? "inf" : "-inf";
            }
            if (sciMode) {
                return scientific(v);
            }
            if (intMode) {
                return fixed(v, 0) + ".";
            }
            return fixed(v, PRECISION);
        }

        /** Python's {@code f"{v:.{digits}f}"}: exact value, half to even, and the sign of a negative zero kept. */
        private static String fixed(float v, int digits) {
            String s = new BigDecimal(v).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
            return negative(v) && !s.startsWith("-") ? "-" + s : s;
        }

        /** Python's {@code f"{v:.4e}"}: {@code 1.2346e+05}, {@code -3.0000e-07}. */
        private static String scientific(float v) {
            if (v == 0f) {
                return (negative(v) ? "-" : "") + "0." + "0".repeat(PRECISION) + "e+00";
            }
            BigDecimal r = new BigDecimal(v).round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
            int exponent = r.precision() - r.scale() - 1;
            BigDecimal mantissa = r.movePointLeft(exponent).setScale(PRECISION, RoundingMode.UNNECESSARY);
            String e = String.valueOf(Math.abs(exponent));
            return mantissa.toPlainString() + (exponent < 0 ? "e-" : "e+") + (e.length() < 2 ? "0" + e : e);
        }

        private static boolean negative(float v) {
            return (Float.floatToRawIntBits(v) & 0x8000_0000) != 0;
        }
    }
}
