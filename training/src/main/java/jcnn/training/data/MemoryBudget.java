package jcnn.training.data;

import java.util.Locale;

/**
 * Checks that a large allocation fits in the heap before it is made, so that a setting or a file that asks for too
 * much is refused in one line with the figure and the setting to change, instead of an OutOfMemoryError stack trace
 * (or a NegativeArraySizeException, when the size was computed in int).
 *
 * <p>What it measures: the heap this JVM may still grow into, {@code maxMemory - (totalMemory - freeMemory)}. That
 * counts garbage not yet collected as used, so before refusing it asks for a collection once and measures again:
 * a refusal means the memory really is not there. Sizes are computed in long arithmetic throughout.
 *
 * <p>Not a goal: an exact prediction. The estimates say what the big arrays need; the JVM needs some room beyond.
 */
public final class MemoryBudget {

    /** The advice for a heap that is too small: how to give the JVM more. */
    public static final String MORE_HEAP = "give the JVM more heap (-Xmx; for mvn exec:java, MAVEN_OPTS=-Xmx8g)";

    private MemoryBudget() {
    }

    /** A request the heap cannot hold; the message names what needed it, the figures and what to change. */
    public static final class TooLarge extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        private final long bytes;

        TooLarge(String message, long bytes) {
            super(message);
            this.bytes = bytes;
        }

        /** What the refused allocation would have needed, in bytes. */
        public long bytes() {
            return bytes;
        }
    }

    /** Bytes the heap may still grow into now (garbage counts as used until it is collected). */
    public static long available() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * Refuses, before anything is allocated, a request of {@code bytes} that the heap cannot hold.
     *
     * @param what   what needs it, for the message: "the batch buffers for batch=3000000"
     * @param advice what to change: "lower batch", or {@link #MORE_HEAP}
     * @throws TooLarge with e.g. {@code the batch buffers for batch=100000000: would take 313.6 GB but the JVM has
     *                  3.9 GB of heap left (of 4.0 GB): lower batch}
     */
    public static void require(long bytes, String what, String advice) {
        require(bytes, what, advice, Runtime.getRuntime().maxMemory());
    }

    /** As {@link #require(long, String, String)}, against a heap of {@code maxHeap} bytes (tests). */
    static void require(long bytes, String what, String advice, long maxHeap) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size for " + what + ": " + bytes);
        }
        long used = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        if (bytes <= maxHeap - used) {
            return;
        }
        System.gc();   // garbage counts as used until collected; refuse only what a collection cannot free
        used = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        long left = Math.max(0, maxHeap - used);
        if (bytes > left) {
            throw new TooLarge(what + ": would take " + size(bytes) + " but the JVM has " + size(left) + " of heap left (of " + size(maxHeap) + "): " + advice,
                    bytes);
        }
    }

    /**
     * The bytes of the trainer's input arrays for batches of {@code batch} images of {@code imageSize} floats: the
     * images as floats and the labels as ints, computed in long ({@code batch * 784} overflows an int from batch
     * 2,739,147 on). Only the images there are count: a batch larger than the training set holds the set.
     */
    public static long batchBufferBytes(int batch, int trainImages, int imageSize) {
        long n = Math.min(batch, (long) Math.max(trainImages, 1));
        return n * imageSize * Float.BYTES + n * Integer.BYTES;
    }

    /**
     * Refuses a batch size whose input arrays cannot be Java arrays (more than {@code Integer.MAX_VALUE} floats) or
     * do not fit the heap, naming {@code batch}. Call before allocating the batch buffers.
     *
     * @return the number of images a batch array must hold: {@code min(batch, trainImages)}
     */
    public static int checkBatch(int batch, int trainImages, int imageSize) {
        if (batch <= 0) {
            throw new IllegalArgumentException("invalid batch=" + batch + ": expected a positive number of images");
        }
        int n = Math.min(batch, Math.max(trainImages, 1));
        long floats = (long) n * imageSize;
        if (floats > Integer.MAX_VALUE - 8) {
            throw new TooLarge(String.format(Locale.ROOT, "invalid batch=%d: a batch of %d images of %d floats is"
                    + " %d floats, more than a Java array holds (%d); lower batch to at most %d", batch, n,
                    imageSize, floats, Integer.MAX_VALUE - 8, (Integer.MAX_VALUE - 8) / imageSize), floats * 4);
        }
        require(batchBufferBytes(batch, trainImages, imageSize), "the batch buffers for batch=" + batch + " ("
                + n + " images)", "lower batch");
        return n;
    }

    /**
     * Refuses a training step whose activations and their gradients cannot fit: {@code floatsPerImage} is the sum
     * of every layer's output size for one image (the model summary's output shapes), each kept for the backward
     * pass with a gradient of the same size, plus the input.
     *
     * @return the estimate, in bytes
     */
    public static long checkTrainingStep(int batch, int trainImages, int imageSize, long floatsPerImage) {
        long n = Math.min(batch, (long) Math.max(trainImages, 1));
        long bytes = n * (imageSize + 2 * floatsPerImage) * Float.BYTES;
        require(bytes, "the activations and gradients of one training step at batch=" + batch + " (" + n
                + " images, about " + size((imageSize + 2 * floatsPerImage) * Float.BYTES) + " each)",
                "lower batch, or " + MORE_HEAP);
        return bytes;
    }

    /** "3.1 GB", "990.0 kB", "512 bytes": decimal units, as a disk or task manager shows them. */
    public static String size(long bytes) {
        if (bytes < 1000) {
            return bytes + " bytes";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB", "EB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
