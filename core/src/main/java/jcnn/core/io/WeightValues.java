package jcnn.core.io;

/**
 * The check every weight loader makes before a value reaches a model: each weight must be finite and small enough
 * for float32 arithmetic. One NaN in conv1.weight used to be accepted and gave a silently wrong accuracy; a NaN or
 * 3e38 in fc2 ended in {@code error: scores[0, 0] is NaN}, naming neither the file nor the tensor.
 *
 * <p>The bound on magnitude: above 2^64 (about 1.8e19) a weight's square overflows float32, and a layer's sums of
 * such products overflow for any input; no trained network holds such a weight. The formats themselves allow any
 * float, so the generic readers ({@link Safetensors#read}) do not check: a reference file may hold infinities on
 * purpose. Loaders of weights call this.
 */
public final class WeightValues {

    /** The largest magnitude accepted: 2^64, the square root of float32's largest value, rounded down. */
    public static final float MAX_MAGNITUDE = 0x1p64f;

    private WeightValues() {
    }

    /**
     * The first value that is not a usable weight, described as {@code [index] is NaN}; null when all are fine.
     */
    public static String firstBad(float[] values) {
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (Float.isNaN(v)) {
                return "[" + i + "] is NaN";
            }
            if (Float.isInfinite(v)) {
                return "[" + i + "] is " + (v > 0 ? "+" : "-") + "Infinity";
            }
            if (Math.abs(v) > MAX_MAGNITUDE) {
                return "[" + i + "] is " + v + ", beyond the 1.8e19 (2^64) at which float32 arithmetic on it"
                        + " overflows";
            }
        }
        return null;
    }

    /**
     * Refuses weights with a value that is not finite or too large: {@code FILE: conv1.weight[0] is NaN}.
     *
     * @param source the file, as the message should name it
     * @param name   the tensor's name
     * @throws IllegalArgumentException naming the file, the tensor and the index
     */
    public static void requireUsable(String source, String name, float[] values) {
        String bad = firstBad(values);
        if (bad != null) {
            throw new IllegalArgumentException(source + ": " + name + bad);
        }
    }
}
