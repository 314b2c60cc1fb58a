package jcnn.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
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
}
