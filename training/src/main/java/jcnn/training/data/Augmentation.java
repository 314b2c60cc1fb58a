package jcnn.training.data;

import java.util.SplittableRandom;

/**
 * Data augmentation for training images, applied in place to a batch the {@link Batcher} has just copied: a
 * random crop from the image padded with black pixels (torchvision's {@code RandomCrop(28, padding=p)} before
 * {@code ToTensor}, so the padding is the background colour, -1 after normalisation, not a grey 0) and a
 * horizontal flip with probability 1/2 ({@code RandomHorizontalFlip}). Fashion-MNIST's classes are symmetric left
 * to right (a shoe pointing the other way is still a shoe), which is why the flip may help; whether it does is
 * measured in docs/recipes.md.
 *
 * <p>Deterministic: every image's shift and flip come from a generator the batcher seeds from (seed, epoch,
 * batch), so reruns and resumed runs see the same augmented images. Random draws are made for every image in
 * the same order whatever the settings are, crop before flip.
 *
 * @param padding the crop's padding in pixels on every side (0 = no crop): the window moves by up to this much
 * @param flip    whether to flip half of the images left to right
 */
public record Augmentation(int padding, boolean flip) {

    /** No augmentation. */
    public static final Augmentation NONE = new Augmentation(0, false);

    /** The value of a black pixel after the seed's normalisation: what the padding is made of. */
    public static final float BACKGROUND = Dataset.normalise(0);

    public Augmentation {
        if (padding < 0) {
            throw new IllegalArgumentException("augmentation padding must be >= 0, got " + padding);
        }
    }

    /** Whether this changes any image. */
    public boolean enabled() {
        return padding > 0 || flip;
    }

    /**
     * Augments the first {@code n} grey images of {@code images} ((n, 1, rows, cols), row-major) in place, drawing
     * from {@code random}. {@code scratch} holds at least {@code rows * cols} floats; its content is overwritten.
     */
    public void apply(float[] images, int n, int rows, int cols, SplittableRandom random, float[] scratch) {
        apply(images, n, 1, rows, cols, random, scratch);
    }

    /**
     * Augments the first {@code n} images of {@code images} ((n, channels, rows, cols), row-major) in place,
     * drawing from {@code random}: every channel of an image gets the same shift and flip (the image moves, not
     * its colours), and the draws per image are the same whatever the channel count. {@code scratch} holds at least
     * {@code channels * rows * cols} floats; its content is overwritten.
     */
    public void apply(float[] images, int n, int channels, int rows, int cols, SplittableRandom random,
                      float[] scratch) {
        int plane = rows * cols;
        int size = channels * plane;
        for (int i = 0; i < n; i++) {
            int dy = padding > 0 ? random.nextInt(2 * padding + 1) - padding : 0;
            int dx = padding > 0 ? random.nextInt(2 * padding + 1) - padding : 0;
            boolean mirror = flip && random.nextBoolean();
            if (dy == 0 && dx == 0 && !mirror) {
                continue;
            }
            System.arraycopy(images, i * size, scratch, 0, size);
            for (int ch = 0; ch < channels; ch++) {
                int base = i * size + ch * plane;
                int src = ch * plane;
                // Output pixel (r, c) of the crop is input pixel (r + dy, c + dx) of the padded image; a flipped
                // output reads its column from the other side: c -> cols - 1 - c.
                for (int r = 0; r < rows; r++) {
                    int sr = r + dy;
                    for (int c = 0; c < cols; c++) {
                        int sc = (mirror ? cols - 1 - c : c) + dx;
                        images[base + r * cols + c] = sr < 0 || sr >= rows || sc < 0 || sc >= cols ? BACKGROUND
                                : scratch[src + sr * cols + sc];
                    }
                }
            }
        }
    }
}
