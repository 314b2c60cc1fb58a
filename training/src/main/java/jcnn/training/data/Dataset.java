package jcnn.training.data;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A labelled image set held in memory, ready for the network: images as floats normalised exactly as the seed
 * notebook did ({@code ToTensor} then {@code Normalize(0.5, 0.5)}: {@code (x/255 - 0.5)/0.5}, in float, so values
 * lie in [-1, 1]), shape (n, 1, rows, cols) row-major, and int labels.
 *
 * <p>Goals: one flat array per field so a batch is a few {@code System.arraycopy} calls; deterministic, seeded
 * splitting and subsetting; no hidden copies on the hot path. Non-goals: augmentation, lazy loading, other channel
 * counts. The arrays returned by {@link #images()} and {@link #labels()} are the dataset's own (not copies): treat
 * them as read-only.
 */
public final class Dataset {

    /** Grayscale: the channel dimension of the (n, 1, rows, cols) layout. */
    public static final int CHANNELS = 1;

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
    private final int rows;
    private final int cols;
    private final float[] images;
    private final int[] labels;

    /**
     * Wraps arrays without copying: {@code images} is (count, 1, rows, cols), {@code labels} has {@code count}
     * entries.
     */
    public Dataset(float[] images, int[] labels, int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("rows and cols must be positive: " + rows + "x" + cols);
        }
        long expected = (long) labels.length * rows * cols;
        if (images.length != expected) {
            throw new IllegalArgumentException("images has " + images.length + " floats, expected " + expected
                    + " = " + labels.length + " labels * " + rows + " * " + cols);
        }
        this.count = labels.length;
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
        byte[] pixels = images.pixels();
        MemoryBudget.require(4L * pixels.length + 4L * labels.length, "the " + images.count()
                + " normalised images of " + imagesName + " (4 bytes a pixel)", MemoryBudget.MORE_HEAP);
        float[] x = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            x[i] = NORMALISED[pixels[i] & 0xFF];
        }
        int[] y = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            y[i] = labels[i] & 0xFF;
        }
        return new Dataset(x, y, images.rows(), images.cols());
    }

    /** The seed's input transform for one pixel value 0..255: {@code (x/255 - 0.5) / 0.5}, in float. */
    public static float normalise(int pixel) {
        return (pixel / 255f - 0.5f) / 0.5f;
    }

    /** Number of images. */
    public int size() {
        return count;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Floats per image: channels * rows * cols. */
    public int imageSize() {
        return CHANNELS * rows * cols;
    }

    /** The normalised images, (n, 1, rows, cols) row-major; the dataset's own array. */
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
        return new Dataset(x, y, rows, cols);
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
        return "Dataset[" + count + " x " + CHANNELS + " x " + rows + " x " + cols + "]";
    }
}
