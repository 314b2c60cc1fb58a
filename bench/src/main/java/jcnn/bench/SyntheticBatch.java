package jcnn.bench;

import java.util.Random;
import jcnn.core.Tensor;

/**
 * A seeded random batch shaped like normalised Fashion-MNIST: images (n,1,28,28) with values in [-1, 1), labels
 * in [0, 10). Timing does not depend on the values, so the benchmarks need no dataset on disk, and the peer
 * benchmarks (PyTorch through DJL) train on exactly the same numbers.
 */
public final class SyntheticBatch {

    public static final int CHANNELS = 1, HEIGHT = 28, WIDTH = 28, CLASSES = 10;
    public static final int PIXELS = CHANNELS * HEIGHT * WIDTH;

    public final int size;
    public final float[] images;
    public final int[] labels;

    public SyntheticBatch(int size, long seed) {
        this.size = size;
        Random rng = new Random(seed);
        images = new float[size * PIXELS];
        for (int i = 0; i < images.length; i++) {
            images[i] = rng.nextFloat() * 2f - 1f;
        }
        labels = new int[size];
        for (int i = 0; i < size; i++) {
            labels[i] = rng.nextInt(CLASSES);
        }
    }

    /** The batch as an input tensor (n,1,28,28): a leaf that needs no gradient, like a data loader's. */
    public Tensor input() {
        return Tensor.of(images, size, CHANNELS, HEIGHT, WIDTH);
    }
}
