package jcnn.training.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import jcnn.core.Engine;
import jcnn.core.Tensor;
import jcnn.core.testing.ScalarEngineExtension;
import jcnn.kernels.KernelProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Training and evaluation modes, as PyTorch's: train() and eval() reach every sub-module; batch normalisation
 * normalises with the batch and moves its running statistics only in training mode; dropout drops only in
 * training mode, is the identity in evaluation mode, and draws the same mask from the same seed whatever the
 * kernels and the thread count.
 */
@ExtendWith(ScalarEngineExtension.class)
class ModesTest {

    @Test
    void trainAndEvalReachEverySubModule() {
        Sequential inner = new Sequential().add("bn", new BatchNorm2d(2)).add("drop", new Dropout(0.5, 1));
        Sequential outer = new Sequential().add("block", inner).add("relu", new ReLU());
        assertTrue(outer.isTraining(), "a new module trains");
        outer.eval();
        assertFalse(outer.isTraining());
        assertFalse(inner.children().get("bn").isTraining());
        assertFalse(inner.children().get("drop").isTraining());
        outer.train();
        assertTrue(inner.children().get("drop").isTraining());
        assertEquals(java.util.List.of("block.bn.running_mean", "block.bn.running_var",
                "block.bn.num_batches_tracked"), java.util.List.copyOf(outer.namedBuffers().keySet()));
        assertEquals(java.util.Set.of("block.bn.num_batches_tracked"), outer.integerBufferNames());
    }

    @Test
    void batchNormMovesItsRunningStatisticsOnlyWhenTraining() {
        BatchNorm2d bn = new BatchNorm2d(3);
        Tensor x = Tensor.randn(new SplittableRandom(4), 5, 3, 4, 4);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = x.data()[i] * 2 + 1;   // mean 1, variance 4
        }
        bn.eval();
        Tensor y = bn.forward(x);
        // Evaluation with the initial statistics (mean 0, variance 1): y = x / sqrt(1 + eps).
        assertEquals(x.data()[7] / Math.sqrt(1 + 1e-5), y.data()[7], 1e-6);
        assertArrayEquals(new float[3], bn.runningMean().data());
        assertEquals(0, bn.batchesTracked());

        bn.train();
        y = bn.forward(x);
        assertEquals(1, bn.batchesTracked());
        double sum = 0, squares = 0;
        int count = 5 * 16;
        for (int i = 0; i < 5; i++) {   // channel 0: mean 0 and variance 1 after normalising with the batch
            for (int p = 0; p < 16; p++) {
                double v = y.data()[(i * 3) * 16 + p];
                sum += v;
                squares += v * v;
            }
        }
        assertEquals(0, sum / count, 1e-5);
        assertEquals(1, squares / count, 1e-3);
        for (float m : bn.runningMean().data()) {
            assertTrue(m > 0.05 && m < 0.15, "running mean moved by momentum 0.1 towards ~1: " + m);
        }
    }

    @Test
    void dropoutIsTheIdentityInEvaluationAndReproducibleInTraining() {
        Dropout drop = new Dropout(0.4, 7);
        Tensor x = Tensor.randn(new SplittableRandom(5), 64, 50);
        drop.eval();
        assertSame(x, drop.forward(x), "evaluation returns the input itself");

        drop.train();
        drop.seedRandom(11);
        float[] scalar = drop.forward(x).data().clone();
        int dropped = 0;
        for (int i = 0; i < scalar.length; i++) {
            if (scalar[i] == 0f) {
                dropped++;
            } else {
                assertEquals(x.data()[i] / 0.6f, scalar[i], 1e-6f * Math.abs(scalar[i]));
            }
        }
        // 3,200 draws with p = 0.4: 1,280 expected, standard deviation about 28.
        assertTrue(Math.abs(dropped - 1280) < 5 * 28, "dropped " + dropped + " of 3200");

        drop.seedRandom(11);
        float[] vector2 = Engine.using(KernelProvider.vector(-1, 2), () -> drop.forward(x)).data().clone();
        drop.seedRandom(11);
        float[] vector1 = Engine.using(KernelProvider.vector(-1, 1), () -> drop.forward(x)).data().clone();
        assertArrayEquals(scalar, vector2, "the same seed gives the same mask on any kernels and thread count");
        assertArrayEquals(scalar, vector1);
        float[] next = drop.forward(x).data();
        assertNotEquals(Arrays.toString(scalar), Arrays.toString(next), "the next call draws a new mask");
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0, 0));
    }
}
