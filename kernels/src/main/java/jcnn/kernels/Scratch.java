package jcnn.kernels;

/**
 * Per-thread scratch buffers that grow and are then reused, so that a training step in steady state does not
 * allocate. A buffer is identified by a small slot number; a kernel must not hold a slot across a call to
 * another kernel that uses the same slot.
 */
public final class Scratch {

    private static final int SLOTS = 8;
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[SLOTS][]);
    private static final ThreadLocal<int[][]> INT_BUFFERS = ThreadLocal.withInitial(() -> new int[SLOTS][]);

    private Scratch() {
    }

    /** A buffer of at least {@code size} floats for the calling thread; its contents are unspecified. */
    public static float[] get(int slot, int size) {
        float[][] slots = BUFFERS.get();
        float[] buffer = slots[slot];
        if (buffer == null || buffer.length < size) {
            buffer = new float[size];
            slots[slot] = buffer;
        }
        return buffer;
    }

    /** An int buffer of at least {@code size} for the calling thread, in its own slots; contents unspecified. */
    public static int[] ints(int slot, int size) {
        int[][] slots = INT_BUFFERS.get();
        int[] buffer = slots[slot];
        if (buffer == null || buffer.length < size) {
            buffer = new int[size];
            slots[slot] = buffer;
        }
        return buffer;
    }
}
