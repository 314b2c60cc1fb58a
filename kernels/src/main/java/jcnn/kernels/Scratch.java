package jcnn.kernels;

/**
 * One named per-thread buffer that grows and is then reused, so that a training step in steady state does not
 * allocate. Each kernel class owns its buffers as {@code static final} fields named for what they hold
 * ({@code COLUMNS}, {@code PACKED_B}, ...); two kernels never share one, so a kernel may call another while holding
 * its own buffer.
 */
final class Scratch {

    private final ThreadLocal<float[]> floats = new ThreadLocal<>();
    private final ThreadLocal<int[]> ints = new ThreadLocal<>();

    /** A buffer of at least {@code size} floats for the calling thread; its contents are unspecified. */
    float[] floats(int size) {
        float[] buffer = floats.get();
        if (buffer == null || buffer.length < size) {
            buffer = new float[size];
            floats.set(buffer);
        }
        return buffer;
    }

    /** A buffer of at least {@code size} ints for the calling thread; its contents are unspecified. */
    int[] ints(int size) {
        int[] buffer = ints.get();
        if (buffer == null || buffer.length < size) {
            buffer = new int[size];
            ints.set(buffer);
        }
        return buffer;
    }
}
