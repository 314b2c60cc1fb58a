package jcnn.training.data;

import java.util.SplittableRandom;

/**
 * Cuts a dataset into mini-batches, in a fresh seeded random order each epoch, by copying into arrays the caller
 * owns and reuses: a training loop in steady state allocates nothing per batch.
 *
 * <p>The order of epoch {@code e} depends only on (seed, e), not on how many epochs ran before, so a run resumed
 * at epoch 7 sees the same batches as an uninterrupted one. Like PyTorch's {@code DataLoader} default, the last
 * batch of an epoch is kept even when it is smaller; {@link #fill} says how many images it copied.
 * Not thread-safe: one batcher per training loop.
 *
 * <p>With an {@link Augmentation} ({@link #augment}), every batch of a shuffled epoch is augmented as it is copied,
 * from a generator seeded by (seed, epoch, batch): the augmented images, too, depend on nothing else.
 */
public final class Batcher {

    private final Dataset data;
    private final int batchSize;
    private final long seed;
    private final int[] order;
    private Augmentation augmentation = Augmentation.NONE;
    private float[] scratch;
    /** The epoch of the current order; 0 in the dataset's own order, which is never augmented. */
    private int epoch;

    public Batcher(Dataset data, int batchSize, long seed) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive: " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.seed = seed;
        this.order = new int[data.size()];
        inOrder();
    }

    /** Sets this epoch's order: a Fisher–Yates permutation seeded by (seed, epoch). */
    public void shuffle(int epoch) {
        inOrder();
        Dataset.shuffle(order, new SplittableRandom(epochSeed(seed, epoch)));
        this.epoch = epoch;
    }

    /** Augments the batches of every shuffled epoch from now on; returns this. */
    public Batcher augment(Augmentation augmentation) {
        this.augmentation = java.util.Objects.requireNonNull(augmentation, "augmentation");
        this.scratch = new float[data.imageSize()];
        return this;
    }

    /** Back to the dataset's own order (evaluation, or a deterministic first look). */
    public void inOrder() {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        epoch = 0;
    }

    /**
     * A well-mixed seed per epoch. Seeding SplittableRandom with {@code seed + epoch} directly would be fine in
     * practice, but seeds that differ by a multiple of its internal increment give shifted copies of one stream;
     * running the pair through one generator step avoids any such relation.
     */
    static long epochSeed(long seed, int epoch) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1L))).nextLong();
    }

    /** The seed of batch {@code batch}'s augmentation in epoch {@code epoch}: a stream apart from the order's. */
    static long augmentationSeed(long seed, int epoch, int batch) {
        return new SplittableRandom(epochSeed(seed ^ 0x5DEECE66DL, epoch) + 0xBF58476D1CE4E5B9L * (batch + 1L))
                .nextLong();
    }

    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch, the last one possibly partial. */
    public int batchCount() {
        // In long: size + batchSize - 1 overflows an int for a batch near Integer.MAX_VALUE (0 batches, not 1).
        return (int) ((data.size() + (long) batchSize - 1) / batchSize);
    }

    /**
     * Copies batch {@code batch} of the current order into {@code images} ((batchSize, channels, rows, cols), at least
     * {@code batchSize * imageSize} floats) and {@code labels} (at least {@code batchSize} ints); returns how many
     * images it copied. Entries past that count are left as they were.
     */
    public int fill(int batch, float[] images, int[] labels) {
        if (batch < 0 || batch >= batchCount()) {
            throw new IndexOutOfBoundsException("batch " + batch + " of " + batchCount());
        }
        int from = batch * batchSize;
        int n = Math.min(batchSize, order.length - from);
        if (images.length < n * data.imageSize() || labels.length < n) {
            throw new IllegalArgumentException("batch buffers too small: " + images.length + " floats and "
                    + labels.length + " labels for " + n + " images of " + data.imageSize());
        }
        data.gather(order, from, n, images, labels);
        if (augmentation.enabled() && epoch > 0) {
            augmentation.apply(images, n, data.channels(), data.rows(), data.cols(), new SplittableRandom(augmentationSeed(seed,
                    epoch, batch)), scratch);
        }
        return n;
    }

    /** The dataset index at position {@code i} of the current order. */
    public int indexAt(int i) {
        return order[i];
    }

    public Dataset data() {
        return data;
    }
}
