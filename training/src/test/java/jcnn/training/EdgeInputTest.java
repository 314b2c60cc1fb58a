package jcnn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcnn.core.Engine;
import jcnn.kernels.KernelProvider;
import jcnn.training.data.Dataset;
import org.junit.jupiter.api.Test;

/**
 * Bad input that gets past the file readers (which check 28x28 and the label range themselves, see
 * IdxReaderTest): images of another size, or labels out of range, in a dataset built in memory. Each fails before
 * or at the first step, with the numbers in the message.
 */
class EdgeInputTest {

    private static final Recipe R = TinyRuns.recipe("epochs=1", "batch=2", "validation=0");

    @Test
    @SuppressWarnings("try")
    void imagesTheModelCannotTakeFailBeforeTraining() {
        Dataset big = new Dataset(new float[4 * 32 * 32], new int[4], 32, 32);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(TinyRuns.model(R), R).showProgress(false).fit(big, empty(32, 32)));
        System.out.println("32x32 images: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("the model cannot take the 32x32 training images: layer 'fc1': "),
                e.getMessage());
        assertTrue(e.getMessage().contains("1568") && e.getMessage().contains("2048"), e.getMessage());

        Dataset train = new Dataset(new float[4 * 28 * 28], new int[4], 28, 28);
        Dataset validation = new Dataset(new float[2 * 27 * 28], new int[2], 27, 28);
        e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(TinyRuns.model(R), R).showProgress(false).fit(train, validation));
        assertEquals("the validation images are 27x28, the training images 28x28", e.getMessage());
    }

    @Test
    @SuppressWarnings("try")
    void aLabelOutOfRangeNamesItsIndex() {
        Dataset bad = new Dataset(new float[4 * 28 * 28], new int[] {3, 12, 0, 1}, 28, 28);
        try (Engine.Scope scalar = Engine.using(KernelProvider.scalar())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Evaluator.evaluate(TinyRuns.model(R), bad, 4, false));
            System.out.println("label 12 of 10 classes: " + e.getMessage());
            assertTrue(e.getMessage().contains("target[1] = 12"), e.getMessage());
        }
    }

    private static Dataset empty(int rows, int cols) {
        return new Dataset(new float[0], new int[0], rows, cols);
    }
}
