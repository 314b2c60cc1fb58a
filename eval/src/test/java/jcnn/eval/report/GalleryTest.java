package jcnn.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import jcnn.training.data.Dataset;
import org.junit.jupiter.api.Test;

/** The gallery picks the most confused pairs first, the most confident mistakes first, and the first correct images. */
class GalleryTest {

    @Test
    void picksPairsByCountAndMistakesByConfidence() {
        // 3 classes, 1x1 "images" whose pixel is the index, so a sample says which image it is
        int[] labels = {0, 0, 0, 1, 1, 2, 2, 2, 0, 1};
        float[][] rows = {
            {0, 3, 0}, {0, 1, 0}, {5, 0, 0},     // images 0, 1: 0 taken for 1 (0 with more confidence); 2 correct
            {0, 0, 2}, {0, 4, 0},                // image 3: 1 taken for 2; 4 correct
            {0, 9, 0}, {0, 2, 0}, {0, 0, 1},     // images 5, 6: 2 taken for 1 (5 more confident); 7 correct
            {0, 0, 7},                           // image 8: 0 taken for 2
            {0, 6, 0}};                          // image 9: correct
        float[] logits = new float[30];
        float[] images = new float[10];
        for (int i = 0; i < 10; i++) {
            System.arraycopy(rows[i], 0, logits, i * 3, 3);
            images[i] = i / 10f;
        }
        Gallery g = Gallery.of(images, 1, 1, labels, logits, 3, 2, 5, 1);
        assertEquals(2, g.confused().size());
        Gallery.Pair first = g.confused().get(0);   // (0 -> 1) and (2 -> 1) both twice: the matrix order decides
        assertEquals(List.of(0, 1, 2), List.of(first.trueClass(), first.predicted(), first.count()));
        assertEquals(List.of(0, 1), first.samples().stream().map(Gallery.Sample::index).toList());
        Gallery.Pair second = g.confused().get(1);
        assertEquals(List.of(2, 1, 2), List.of(second.trueClass(), second.predicted(), second.count()));
        assertEquals(List.of(5, 6), second.samples().stream().map(Gallery.Sample::index).toList());
        assertEquals(List.of(2, 4, 7), g.correct().stream().map(Gallery.Sample::index).toList());
        assertEquals(0.5f, g.correct().get(1).pixels()[0] + 0.1f, 1e-6f);
        float p = g.confused().get(1).samples().get(0).probability();
        assertEquals(Math.exp(9) / (2 + Math.exp(9)), p, 1e-6);
    }

    @Test
    void mismatchedSizesAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> Gallery.of(new float[3], 1, 1, new int[2], new float[4], 2));
    }

    /**
     * Three channels are drawn in colour: the PNG the report embeds decodes to RGB pixels whose red, green and
     * blue are the bytes the three planes were normalised from; one channel stays an 8-bit grey PNG.
     */
    @Test
    void colourImagesBecomeRgbPngsWithTheStoredBytes() throws Exception {
        int rows = 4, cols = 5, plane = rows * cols;
        float[] images = new float[2 * 3 * plane];
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < plane; k++) {
                images[(3 * i) * plane + k] = Dataset.normalise(red(i, k));
                images[(3 * i + 1) * plane + k] = Dataset.normalise(green(i, k));
                images[(3 * i + 2) * plane + k] = Dataset.normalise(blue(i, k));
            }
        }
        float[] logits = {2, 0, 0, 2};   // image 0 (label 0) right, image 1 (label 0) taken for class 1
        Gallery g = Gallery.of(images, 3, rows, cols, new int[] {0, 0}, logits, 2, 8, 6, 3);
        assertEquals(3, g.channels());
        assertEquals(1, g.confused().size());
        Gallery.Sample wrong = g.confused().get(0).samples().get(0);
        assertEquals(1, wrong.index());
        assertEquals(3 * plane, wrong.pixels().length);
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Plots.png(g.image(wrong))));
        assertEquals(cols, png.getWidth());
        assertEquals(rows, png.getHeight());
        assertEquals(3, png.getColorModel().getNumColorComponents());
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                int k = y * cols + x;
                assertEquals(red(1, k) << 16 | green(1, k) << 8 | blue(1, k), png.getRGB(x, y) & 0xFFFFFF,
                        "pixel (" + y + ", " + x + ")");
            }
        }
        Gallery grey = Gallery.of(new float[] {Dataset.normalise(77), Dataset.normalise(200)}, 1, 1, new int[] {0, 1},
                new float[] {1, 0, 0, 1}, 2);
        BufferedImage g1 = ImageIO.read(new ByteArrayInputStream(Plots.png(grey.image(grey.correct().get(1)))));
        assertEquals(1, g1.getColorModel().getNumColorComponents());
        assertEquals(200, g1.getRaster().getSample(0, 0, 0));
    }

    private static int red(int i, int k) {
        return (40 * k + 3 * i) & 0xFF;
    }

    private static int green(int i, int k) {
        return (255 - 11 * k - i) & 0xFF;
    }

    private static int blue(int i, int k) {
        return (17 * k * k + 100 * i) & 0xFF;
    }
}
