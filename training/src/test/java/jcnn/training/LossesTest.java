package jcnn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jcnn.core.GradCheck;
import jcnn.core.Ops;
import jcnn.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Label smoothing: PyTorch's {@code CrossEntropyLoss(label_smoothing=e)} in value and gradient, composed of ops that
 * have their own gradient checks, and no change at all at e = 0.
 */
class LossesTest {

    private static Tensor logits(int n, int k, long seed) {
        return Tensor.randn(new SplittableRandom(seed), n, k).requiresGrad(true);
    }

    /** The definition, in double: mean_i [(1 - e)(-log p_iy) + e/K sum_k (-log p_ik)]. */
    private static double reference(float[] z, int[] y, int n, int k, double e) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, z[i * k + j]);
            }
            for (int j = 0; j < k; j++) {
                sum += Math.exp(z[i * k + j] - max);
            }
            double logSum = max + Math.log(sum), uniform = 0;
            for (int j = 0; j < k; j++) {
                uniform += logSum - z[i * k + j];
            }
            total += (1 - e) * (logSum - z[i * k + y[i]]) + e / k * uniform;
        }
        return total / n;
    }

    @Test
    void theValueIsPyTorchsLabelSmoothedCrossEntropy() {
        int n = 7, k = 10;
        int[] y = {0, 3, 9, 9, 2, 5, 1};
        Tensor z = logits(n, k, 5);
        for (double e : new double[] {0.05, 0.1, 0.3}) {
            double got = Losses.crossEntropy(z, y, e).item();
            assertEquals(reference(z.data(), y, n, k, e), got, 2e-6, "e=" + e);
        }
    }

    @Test
    void theGradientIsSoftmaxMinusTheSmoothedTarget() {
        int n = 5, k = 4;
        int[] y = {1, 0, 3, 2, 1};
        double e = 0.2;
        Tensor z = logits(n, k, 6);
        Losses.crossEntropy(z, y, e).backward();
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, z.data()[i * k + j]);
            }
            for (int j = 0; j < k; j++) {
                sum += Math.exp(z.data()[i * k + j] - max);
            }
            for (int j = 0; j < k; j++) {
                double p = Math.exp(z.data()[i * k + j] - max) / sum;
                double target = (j == y[i] ? 1 - e : 0) + e / k;
                assertEquals((p - target) / n, z.grad()[i * k + j], 1e-6, "(" + i + "," + j + ")");
            }
        }
        GradCheck.check(in -> Losses.crossEntropy(in[0], y, e), logits(n, k, 7));
    }

    @Test
    void withoutSmoothingItIsTheCrossEntropyOpItself() {
        int[] y = {2, 0, 1};
        Tensor a = logits(3, 5, 8), b = logits(3, 5, 8);
        Tensor plain = Ops.crossEntropy(a, y), ours = Losses.crossEntropy(b, y, 0);
        assertEquals(plain.item(), ours.item());
        assertEquals("cross_entropy", ours.op());
        plain.backward();
        ours.backward();
        assertArrayEquals(a.grad(), b.grad());
    }
}
