package jcnn.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Random crop from a black-padded image and horizontal flips: what they do to pixels, and that they are seeded. */
class AugmentationTest {

    /** A 5x4 image whose pixel (r, c) is 10 r + c, so every pixel says where it came from. */
    private static float[] labelled(int n, int rows, int cols) {
        float[] x = new float[n * rows * cols];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    x[(i * rows + r) * cols + c] = 100 * i + 10 * r + c;
                }
            }
        }
        return x;
    }

    @Test
    void everyOutputPixelIsTheShiftedAndPossiblyMirroredInputOrBlack() {
        int n = 400, rows = 5, cols = 4, pad = 2;
        float[] original = labelled(n, rows, cols), x = original.clone();
        new Augmentation(pad, true).apply(x, n, rows, cols, new SplittableRandom(1), new float[rows * cols]);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            boolean found = false;
            for (int dy = -pad; dy <= pad && !found; dy++) {
                for (int dx = -pad; dx <= pad && !found; dx++) {
                    for (boolean mirror : new boolean[] {false, true}) {
                        if (matches(original, x, i, rows, cols, dy, dx, mirror)) {
                            found = true;
                            seen.add(dy + "," + dx + "," + mirror);
                            break;
                        }
                    }
                }
            }
            assertTrue(found, "image " + i + " is no shift of its original: " + Arrays.toString(
                    Arrays.copyOfRange(x, i * rows * cols, (i + 1) * rows * cols)));
        }
        // 25 shifts x 2 orientations, all drawn among 400 images.
        assertEquals(50, seen.size());
    }

    private static boolean matches(float[] original, float[] x, int i, int rows, int cols, int dy, int dx,
                                   boolean mirror) {
        int base = i * rows * cols;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int sr = r + dy, sc = (mirror ? cols - 1 - c : c) + dx;
                float want = sr < 0 || sr >= rows || sc < 0 || sc >= cols ? Augmentation.BACKGROUND
                        : original[base + sr * cols + sc];
                if (x[base + r * cols + c] != want) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void theFlipAloneMirrorsAboutHalfTheImagesAndMovesNothingElse() {
        int n = 1000, rows = 3, cols = 3;
        float[] original = labelled(n, rows, cols), x = original.clone();
        new Augmentation(0, true).apply(x, n, rows, cols, new SplittableRandom(2), new float[9]);
        int flipped = 0;
        for (int i = 0; i < n; i++) {
            boolean same = matches(original, x, i, rows, cols, 0, 0, false);
            boolean mirrored = matches(original, x, i, rows, cols, 0, 0, true);
            assertTrue(same || mirrored, "image " + i);
            flipped += same ? 0 : 1;
        }
        assertTrue(flipped > 440 && flipped < 560, flipped + " of 1000 flipped");
        float[] y = original.clone();
        Augmentation.NONE.apply(y, n, rows, cols, new SplittableRandom(2), new float[9]);
        assertArrayEquals(original, y);
        assertFalse(Augmentation.NONE.enabled());
    }

    @Test
    void thePaddingIsABlackPixel() {
        assertEquals(-1f, Augmentation.BACKGROUND);
    }

    @Test
    void augmentedBatchesDependOnlyOnSeedEpochAndBatch() {
        Dataset data = new Dataset(labelled(50, 28, 28), new int[50], 28, 28);
        Augmentation a = new Augmentation(4, true);
        float[] first = new float[16 * 784], second = new float[16 * 784], plain = new float[16 * 784];
        int[] labels = new int[16];
        Batcher b1 = new Batcher(data, 16, 9).augment(a), b2 = new Batcher(data, 16, 9).augment(a);
        Batcher none = new Batcher(data, 16, 9);
        b1.shuffle(3);
        b1.fill(1, first, labels);
        b2.shuffle(1);           // another epoch first: epoch 3's batch 1 must not depend on it
        b2.fill(0, second, labels);
        b2.shuffle(3);
        b2.fill(1, second, labels);
        assertArrayEquals(first, second);
        none.shuffle(3);
        none.fill(1, plain, labels);
        assertFalse(Arrays.equals(first, plain), "the batch was not augmented");
        // In the dataset's own order (evaluation) nothing is augmented.
        b1.inOrder();
        b1.fill(0, first, labels);
        assertArrayEquals(Arrays.copyOf(data.images(), 16 * 784), first);
    }

    /**
     * A colour image moves as a whole: each of its three planes gets the shift and flip the same seed gives a grey
     * image, and the draws per image do not depend on the channel count.
     */
    @Test
    void everyChannelOfAColourImageMovesAsTheGreyImageWould() {
        int n = 200, rows = 6, cols = 5, pad = 2;
        float[] grey = labelled(n, rows, cols);
        float[] colour = new float[3 * grey.length];
        int plane = rows * cols;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < plane; k++) {
                    colour[(3 * i + c) * plane + k] = grey[i * plane + k] + 1000 * c;
                }
            }
        }
        Augmentation a = new Augmentation(pad, true);
        a.apply(grey, n, rows, cols, new SplittableRandom(7), new float[plane]);
        a.apply(colour, n, 3, rows, cols, new SplittableRandom(7), new float[3 * plane]);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < plane; k++) {
                    float g = grey[i * plane + k];
                    float expected = g == Augmentation.BACKGROUND ? g : g + 1000 * c;
                    assertEquals(expected, colour[(3 * i + c) * plane + k], "image " + i + " channel " + c);
                }
            }
        }
    }
}
