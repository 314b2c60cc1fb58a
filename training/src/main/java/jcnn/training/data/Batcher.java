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
 */
public final class Batcher {

    private final Dataset data;
    private final int batchSize;
    private final long seed;
    private final int[] order;

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
    }

    /** Back to the dataset's own order (evaluation, or a deterministic first look). */
    public void inOrder() {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
    }

    /**
     * A well-mixed seed per epoch. Seeding SplittableRandom with {@code seed + epoch} directly would be fine in
     * practice, but seeds that differ by a multiple of its internal increment give shifted copies of one stream;
     * running the pair through one generator step avoids any such relation.
     */
    static long epochSeed(long seed, int epoch) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1L))).nextLong();
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
     * Copies batch {@code batch} of the current order into {@code images} ((batchSize, 1, rows, cols), at least
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
