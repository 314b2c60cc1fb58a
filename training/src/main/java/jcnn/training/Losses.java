package jcnn.training;

import jcnn.core.Ops;
import jcnn.core.Tensor;

/**
 * The training loss: softmax cross-entropy, optionally with label smoothing.
 *
 * <p>Label smoothing (Szegedy et al. 2016) trains against the target distribution {@code (1 - e) onehot + e / K}
 * instead of the one-hot label, which keeps the logits from growing without bound to fit the last few percent of
 * training images. It is PyTorch's {@code CrossEntropyLoss(label_smoothing=e)}, mean over the batch:
 * <pre>
 * loss = (1 - e) * mean_i(-log p_i[y_i])  +  e * mean_i( mean_k(-log p_i[k]) )
 * </pre>
 * It is composed of existing ops, each with its own forward, backward and gradient check ({@link Ops#crossEntropy},
 * {@link Ops#logSoftmax}, {@link Ops#sum}, {@link Ops#mul}, {@link Ops#add}), so it needs no backward of its own:
 * autograd adds the two terms' gradients, {@code (1 - e)(softmax - onehot)/n + e(softmax - 1/K)/n}, which is
 * {@code (softmax - target)/n}. With {@code e = 0} it is {@link Ops#crossEntropy} itself, the same graph and the
 * same numbers as before smoothing existed.
 */
public final class Losses {

    private Losses() {
    }

    /**
     * The mean cross-entropy of {@code logits} (n, K) against {@code labels}, with label smoothing {@code e} in
     * [0, 1).
     */
    public static Tensor crossEntropy(Tensor logits, int[] labels, double smoothing) {
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + smoothing);
        }
        Tensor hard = Ops.crossEntropy(logits, labels);
        if (smoothing == 0) {
            return hard;
        }
        int n = logits.dim(0), classes = logits.dim(1);
        // sum_ik log p_ik, times -e / (n K): the uniform part's mean over the batch and the classes.
        Tensor uniform = Ops.mul(Ops.sum(Ops.logSoftmax(logits)),
                Tensor.scalar((float) (-smoothing / ((double) n * classes))));
        return Ops.add(Ops.mul(hard, Tensor.scalar((float) (1 - smoothing))), uniform);
    }
}
