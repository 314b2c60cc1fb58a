package jcnn.eval.report;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import jcnn.eval.metrics.ClassificationMetrics;

/**
 * Test images to look at, chosen from the predictions: the report shows the mistakes, not only counts them.
 * The misclassified images come grouped by (true class, predicted class), the pairs the model confuses most
 * first, the most confident mistakes first within a pair; then a few correctly classified images of every class.
 *
 * <p>Plain data, like the rest of {@link TestResults}: the pixels of each chosen image are copied, so a gallery
 * of a few dozen images costs a few dozen kilobytes whatever the test set.
 *
 * @param channels 1 for grey images, 3 for colour (red, green, blue planes); others are drawn from their first
 *                 channel, in grey
 * @param rows    the height of every image
 * @param cols    its width
 * @param confused the most frequent (true, predicted) pairs with a few of their images, most frequent first
 * @param correct a few correctly classified images of each class, by class
 */
public record Gallery(int channels, int rows, int cols, List<Pair> confused, List<Sample> correct) {

    /** No images: a report made from labels and logits alone. */
    public static final Gallery NONE = new Gallery(1, 0, 0, List.of(), List.of());

    /** How many confused pairs, images per pair, and correct images per class {@link #of} picks by default. */
    public static final int PAIRS = 8;
    public static final int PER_PAIR = 6;
    public static final int CORRECT_PER_CLASS = 3;

    /**
     * One test image.
     *
     * @param index       its index in the test set
     * @param trueClass   its label
     * @param predicted   the predicted class (the first largest logit)
     * @param probability the softmax probability of the predicted class
     * @param pixels      channels * rows * cols values as the model saw them (normalised to [-1, 1])
     */
    public record Sample(int index, int trueClass, int predicted, float probability, float[] pixels) {
        public Sample {
            pixels = pixels.clone();
        }
    }

    /** A confusion: how many test images of {@code trueClass} were predicted as {@code predicted}, and some of them. */
    public record Pair(int trueClass, int predicted, int count, List<Sample> samples) {
        public Pair {
            samples = List.copyOf(samples);
        }
    }

    public Gallery {
        confused = List.copyOf(confused);
        correct = List.copyOf(correct);
    }

    public boolean isEmpty() {
        return confused.isEmpty() && correct.isEmpty();
    }

    /** Grey images ({@code (n, 1, rows, cols)}), with the default counts. */
    public static Gallery of(float[] images, int rows, int cols, int[] labels, float[] logits, int classes) {
        return of(images, rows, cols, labels, logits, classes, PAIRS, PER_PAIR, CORRECT_PER_CLASS);
    }

    /** Picks the gallery of a test set of grey images ({@code images}: n * rows * cols values, row-major). */
    public static Gallery of(float[] images, int rows, int cols, int[] labels, float[] logits, int classes,
                             int pairs, int perPair, int correctPerClass) {
        return of(images, 1, rows, cols, labels, logits, classes, pairs, perPair, correctPerClass);
    }

    /**
     * Picks the gallery of a test set.
     *
     * @param images n * channels * rows * cols values, row-major
     * @param labels n labels
     * @param logits (n, classes) row-major
     */
    public static Gallery of(float[] images, int channels, int rows, int cols, int[] labels, float[] logits,
                             int classes, int pairs, int perPair, int correctPerClass) {
        int n = labels.length;
        int size = channels * rows * cols;
        if (channels < 1 || images.length != n * size || logits.length != n * classes) {
            throw new IllegalArgumentException("gallery: " + images.length + " pixels and " + logits.length
                    + " logits for " + n + " images of " + (channels == 1 ? "" : channels + "x") + rows + "x" + cols
                    + " and " + classes + " classes");
        }
        int[] predicted = ClassificationMetrics.argmax(logits, classes);
        float[] confidence = new float[n];
        int[][] counts = new int[classes][classes];
        for (int i = 0; i < n; i++) {
            confidence[i] = probabilityOfPredicted(logits, i * classes, classes, predicted[i]);
            counts[labels[i]][predicted[i]]++;
        }
        List<int[]> offDiagonal = new ArrayList<>();
        for (int t = 0; t < classes; t++) {
            for (int p = 0; p < classes; p++) {
                if (t != p && counts[t][p] > 0) {
                    offDiagonal.add(new int[] {t, p, counts[t][p]});
                }
            }
        }
        // most frequent first; ties in the order of the matrix, so the choice is reproducible
        offDiagonal.sort(Comparator.<int[]>comparingInt(c -> -c[2]).thenComparingInt(c -> c[0] * classes + c[1]));
        List<Pair> confused = new ArrayList<>();
        for (int[] c : offDiagonal.subList(0, Math.min(pairs, offDiagonal.size()))) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (labels[i] == c[0] && predicted[i] == c[1]) {
                    members.add(i);
                }
            }
            // the most confident mistakes first: the ones a reader learns most from
            members.sort(Comparator.<Integer>comparingDouble(i -> -confidence[i]).thenComparingInt(i -> i));
            List<Sample> samples = new ArrayList<>();
            for (int i : members.subList(0, Math.min(perPair, members.size()))) {
                samples.add(sample(images, size, labels, predicted, confidence, i));
            }
            confused.add(new Pair(c[0], c[1], c[2], samples));
        }
        List<Sample> correct = new ArrayList<>();
        int[] taken = new int[classes];
        for (int i = 0; i < n; i++) {   // the first correct images of each class in test-set order
            if (labels[i] == predicted[i] && taken[labels[i]] < correctPerClass) {
                taken[labels[i]]++;
                correct.add(sample(images, size, labels, predicted, confidence, i));
            }
        }
        correct.sort(Comparator.comparingInt(Sample::trueClass));
        return new Gallery(channels, rows, cols, confused, correct);
    }

    /**
     * The image as stored before normalisation: 8-bit grey for one channel (black background and white garment,
     * as Fashion-MNIST's files store it), 8-bit RGB for three (CIFAR-10's red, green and blue planes).
     */
    BufferedImage image(Sample s) {
        boolean colour = channels == 3;
        BufferedImage img = new BufferedImage(cols, rows, colour ? BufferedImage.TYPE_INT_RGB
                : BufferedImage.TYPE_BYTE_GRAY);
        int plane = rows * cols;
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                int at = y * cols + x;
                if (colour) {
                    img.setRGB(x, y, byteOf(s.pixels()[at]) << 16 | byteOf(s.pixels()[plane + at]) << 8
                            | byteOf(s.pixels()[2 * plane + at]));
                } else {
                    img.getRaster().setSample(x, y, 0, byteOf(s.pixels()[at]));
                }
            }
        }
        return img;
    }

    /** A normalised value in [-1, 1] back to its byte 0..255, as {@code (x/255 - 0.5)/0.5} was undone. */
    private static int byteOf(float v) {
        return (int) Math.round((Math.max(-1f, Math.min(1f, v)) + 1) * 127.5);
    }

    private static Sample sample(float[] images, int size, int[] labels, int[] predicted, float[] confidence, int i) {
        float[] px = new float[size];
        System.arraycopy(images, i * size, px, 0, size);
        return new Sample(i, labels[i], predicted[i], confidence[i], px);
    }

    /** The softmax probability of class {@code c} of one row of logits, in double. */
    static float probabilityOfPredicted(float[] logits, int off, int classes, int c) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            max = Math.max(max, logits[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < classes; j++) {
            sum += Math.exp(logits[off + j] - max);
        }
        return (float) (Math.exp(logits[off + c] - max) / sum);
    }
}
