package jcnn.training.optim;

import java.util.List;
import jcnn.core.Engine;
import jcnn.core.Tensor;
import jcnn.kernels.Kernels;

/**
 * The optimizer of the seed notebook, reproduced faithfully, quirks included. The notebook called it "SAM", but it
 * is not the SAM of Foret et al. (that is {@link Sam}). What its {@code step()} really does, for the parameters
 * p_1 .. p_P in model order:
 * <pre>
 * for j = 1 .. P:
 *     p_j.grad += rho * p_j                 (using p_j's current, already moved, value)
 *     for every parameter q:  q -= lr * q.grad      (one whole plain-SGD step, inside the loop)
 * </pre>
 * So with the seed CNN's 8 parameter tensors every tensor moves 8 times per batch: in effect plain SGD with a
 * learning rate about 8 times larger ({@code P * lr}), plus a weight-decay-like pull of about {@code (P - j + 1) *
 * lr * rho} on parameter j that is stronger for the layers that come first. That is why the notebook's "lr 0.01"
 * trains like SGD at 0.08 (see ANCHORS.md); the rate to compare with other optimizers is {@code P * lr}.
 *
 * <p>It modifies the gradients, as the notebook did: after a step each {@code p.grad} holds {@code grad + rho * p}.
 * The gradients are zeroed before the next backward pass anyway. It exists to re-create the study; prefer
 * {@link Sgd} or {@link Sam} for new work.
 */
public final class SeedOptimizer extends Optimizer {

    private final double rho;

    /** @throws IllegalArgumentException for a negative rho */
    public SeedOptimizer(List<Tensor> params, double lr, double rho) {
        super(params, lr);
        requireNonNegative("seed optimizer", "rho", rho);
        this.rho = rho;
    }

    @Override
    public void step() {
        Kernels k = Engine.kernels();
        float lr = (float) learningRate(), r = (float) rho;
        for (Tensor pj : params) {
            k.axpy(pj.size(), r, pj.data(), pj.grad());          // p_j.grad += rho p_j
            for (Tensor q : params) {                             // then a plain-SGD step over all parameters
                k.axpy(q.size(), -lr, q.grad(), q.data());
            }
        }
    }

    /** None: each step depends only on the weights, the gradients and the learning rate. */
    @Override
    public State state() {
        return State.empty();
    }

    @Override
    public void loadState(State state, String source) {
        checkState(state, source, List.of(), List.of());
    }

    @Override
    public String toString() {
        return "SeedOptimizer(lr=" + learningRate() + ", rho=" + rho + "; moves each of " + params.size()
                + " tensors " + params.size() + " times per step)";
    }
}
