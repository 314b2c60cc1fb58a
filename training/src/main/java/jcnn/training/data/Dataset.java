package jcnn.training.data;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A labelled image set held in memory, ready for the network: images as floats normalised exactly as the seed
 * notebook did ({@code ToTensor} then {@code Normalize(0.5, 0.5)}: {@code (x/255 - 0.5)/0.5}, in float, so values
 * lie in [-1, 1]), shape (n, channels, rows, cols) row-major, and int labels.
 *
 * <p>The channel count is the data set's own: 1 for the MNIST family (grey), 3 for CIFAR-10 (red, green and blue
 * planes, each rows x cols, as the binary files and PyTorch's tensors store them). Every channel is normalised the
 * same way, as {@code Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))} does.
 *
 * <p>Goals: one flat array per field so a batch is a few {@code System.arraycopy} calls; deterministic, seeded
 * splitting and subsetting; no hidden copies on the hot path. Non-goals: augmentation, lazy loading. The arrays
 * returned by {@link #images()} and {@link #labels()} are the dataset's own (not copies): treat them as read-only.
 */
public final class Dataset {

    /** The 80/20 train/validation split the seed study used. */
    public static final double TRAIN_FRACTION = 0.8;

    /** Byte value to normalised float, computed once in the same float arithmetic PyTorch uses. */
    private static final float[] NORMALISED = new float[256];

    static {
        for (int x = 0; x < 256; x++) {
            NORMALISED[x] = normalise(x);
        }
    }

    private final int count;
    private final int channels;
    private final int rows;
    private final int cols;
    private final float[] images;
    private final int[] labels;

    /**
     * Wraps arrays of grey images without copying: {@code images} is (count, 1, rows, cols), {@code labels} has
     * {@code count} entries.
     */
    public Dataset(float[] images, int[] labels, int rows, int cols) {
        this(images, labels, 1, rows, cols);
    }

    /**
     * Wraps arrays without copying: {@code images} is (count, channels, rows, cols), {@code labels} has
     * {@code count} entries.
     */
    public Dataset(float[] images, int[] labels, int channels, int rows, int cols) {
        if (channels <= 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("channels, rows and cols must be positive: " + channels + "x" + rows
                    + "x" + cols);
        }
        long expected = (long) labels.length * channels * rows * cols;
        if (images.length != expected) {
            throw new IllegalArgumentException("images has " + images.length + " floats, expected " + expected
                    + " = " + labels.length + " labels * " + (channels == 1 ? "" : channels + " * ") + rows + " * "
                    + cols);
        }
        this.count = labels.length;
        this.channels = channels;
        this.rows = rows;
        this.cols = cols;
        this.images = images;
        this.labels = labels;
    }

    /**
     * Pairs an images file with its labels file (as read by {@link IdxReader}) and normalises the pixels. The two
     * counts must agree; the names are only for the error message.
     */
    public static Dataset of(IdxReader.Images images, byte[] labels, String imagesName, String labelsName)
            throws DataFileException {
        if (labels.length != images.count()) {
            throw DataFileException.field(labelsName, "count", labels.length,
                    images.count() + " (the image count in " + imagesName + ")");
        }
        return of(images.pixels(), labels, 1, images.rows(), images.cols(), imagesName);
    }

    /**
     * Normalises stored pixels: {@code pixels} is (labels.length, channels, rows, cols) row-major, unsigned bytes,
     * {@code labels} unsigned bytes already checked against the class count. {@code name} is for the message when
     * the normalised copy cannot fit in the heap.
     */
    public static Dataset of(byte[] pixels, byte[] labels, int channels, int rows, int cols, String name) {
        MemoryBudget.require(4L * pixels.length + 4L * labels.length, "the " + labels.length
                + " normalised images of " + name + " (4 bytes a pixel)", MemoryBudget.MORE_HEAP);
        float[] x = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            x[i] = NORMALISED[pixels[i] & 0xFF];
        }
        int[] y = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            y[i] = labels[i] & 0xFF;
        }
        return new Dataset(x, y, channels, rows, cols);
    }

    /** The seed's input transform for one pixel value 0..255: {@code (x/255 - 0.5) / 0.5}, in float. */
    public static float normalise(int pixel) {
        return (pixel / 255f - 0.5f) / 0.5f;
    }

    /** Number of images. */
    public int size() {
        return count;
    }

    /** Channels per image: 1 for grey images, 3 for colour (red, green, blue planes). */
    public int channels() {
        return channels;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /**
     * The image size for messages: {@code 28x28} for grey images, {@code 3x32x32 (channels x rows x cols)} for
     * others.
     */
    public String shapeName() {
        return channels == 1 ? rows + "x" + cols : channels + "x" + rows + "x" + cols + " (channels x rows x cols)";
    }

    /** Floats per image: channels * rows * cols. */
    public int imageSize() {
        return channels * rows * cols;
    }

    /** The normalised images, (n, channels, rows, cols) row-major; the dataset's own array. */
    public float[] images() {
        return images;
    }

    /** The labels; the dataset's own array. */
    public int[] labels() {
        return labels;
    }

    public int label(int index) {
        return labels[index];
    }

    /** The first {@code n} images (all of them when there are fewer), e.g. for a quick run. */
    public Dataset limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must be >= 0: " + n);
        }
        if (n >= count) {
            return this;
        }
        int[] first = new int[n];
        for (int i = 0; i < n; i++) {
            first[i] = i;
        }
        return select(first);
    }

    /** A new dataset holding the given images, in the given order (copies). */
    public Dataset select(int[] indices) {
        int size = imageSize();
        float[] x = new float[Math.multiplyExact(indices.length, size)];
        int[] y = new int[indices.length];
        gather(indices, 0, indices.length, x, y);
        return new Dataset(x, y, channels, rows, cols);
    }

    /**
     * Copies images {@code indices[from..from+n)} into {@code x} and their labels into {@code y}, from offset 0.
     * This is the one copy loop behind subsetting and batching.
     */
    void gather(int[] indices, int from, int n, float[] x, int[] y) {
        int size = imageSize();
        for (int i = 0; i < n; i++) {
            int src = indices[from + i];
            Objects.checkIndex(src, count);
            System.arraycopy(images, src * size, x, i * size, size);
            y[i] = labels[src];
        }
    }

    /** Training and validation halves of a split. */
    public record Split(Dataset train, Dataset validation) {
    }

    /** The seed study's split: a seeded random 80% for training, the other 20% for validation. */
    public Split splitTrainValidation(long seed) {
        return split(TRAIN_FRACTION, seed);
    }

    /**
     * A random split, deterministic for a given seed: a Fisher–Yates permutation of all indices, the first
     * {@code round(n * trainFraction)} of it for training and the rest for validation, each in permutation order.
     */
    public Split split(double trainFraction, long seed) {
        if (!(trainFraction >= 0 && trainFraction <= 1)) {
            throw new IllegalArgumentException("trainFraction must be in [0, 1]: " + trainFraction);
        }
        int[] order = permutation(count, new SplittableRandom(seed));
        int trainCount = (int) Math.round(count * trainFraction);
        int[] train = new int[trainCount];
        int[] validation = new int[count - trainCount];
        System.arraycopy(order, 0, train, 0, trainCount);
        System.arraycopy(order, trainCount, validation, 0, validation.length);
        return new Split(select(train), select(validation));
    }

    /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
    public static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        return order;
    }

    /** Fisher–Yates in place: each position takes a uniform pick from the not-yet-placed rest. */
    static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    @Override
    public String toString() {
        return "Dataset[" + count + " x " + channels + " x " + rows + " x " + cols + "]";
    }
}
