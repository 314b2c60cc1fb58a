package jcnn.training.optim;

import java.util.List;
import jcnn.core.Tensor;
import jcnn.kernels.Kernels;

/**
 * AdamW (Loshchilov and Hutter, 2019), PyTorch's {@code torch.optim.AdamW}: Adam with the weight decay decoupled
 * from the gradient. Before the Adam update, {@code p *= 1 - lr * weight_decay}; the gradient that feeds m and v
 * is the plain one. Decoupling matters because Adam divides by sqrt(v): coupled decay is shrunk for parameters
 * with large gradients, decoupled decay acts on every parameter alike.
 */
public final class AdamW extends Adam {

    /** PyTorch's default weight decay for AdamW. */
    public static final double WEIGHT_DECAY = 1e-2;

    public AdamW(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(params, lr, beta1, beta2, eps, weightDecay);
    }

    /** AdamW with PyTorch's default betas and eps. */
    public AdamW(List<Tensor> params, double lr, double weightDecay) {
        this(params, lr, BETA1, BETA2, EPS, weightDecay);
    }

    /** Decays the parameter itself, {@code p *= 1 - lr wd}, and leaves the gradient as it is. */
    @Override
    float[] decay(Kernels k, int i, Tensor p, float lr) {
        if (weightDecay != 0) {
            k.scale(p.size(), (float) (1 - learningRate() * weightDecay), p.data());
        }
        return p.grad();
    }
}
