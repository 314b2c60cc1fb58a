package jcnn.training.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.core.Engine;
import jcnn.core.Tensor;
import jcnn.kernels.Kernels;

/**
 * Adam (Kingma and Ba, 2015) with PyTorch's semantics, {@code torch.optim.Adam}: per parameter, running averages
 * of the gradient (m) and of its square (v), corrected for their start at zero:
 * <pre>
 * g = grad + weight_decay * p            (L2 decay added to the gradient, coupled with the adaptive scaling)
 * m = beta1 m + (1 - beta1) g
 * v = beta2 v + (1 - beta2) g^2
 * p -= lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 * {@link AdamW} differs only in how it decays. The gradients are left untouched.
 */
public class Adam extends Optimizer {

    /** PyTorch's defaults. */
    public static final double BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8;

    /** The names of its state: PyTorch's. */
    private static final String M = "exp_avg", V = "exp_avg_sq", STEP = "step";

    private final double beta1;
    private final double beta2;
    private final double eps;
    /** The weight decay: coupled (added to the gradient) here, decoupled in {@link AdamW}. */
    protected final double weightDecay;
    private final float[][] m;
    private final float[][] v;
    private final float[][] scratch;
    private long t;

    /**
     * @throws IllegalArgumentException for betas outside [0, 1), a non-positive eps or a negative weight decay
     */
    public Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(params, lr);
        String name = getClass().getSimpleName();
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException(name + ": betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException(name + ": eps must be > 0, got " + eps);
        }
        requireNonNegative(name, "weight decay", weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.m = new float[this.params.size()][];
        this.v = new float[this.params.size()][];
        this.scratch = new float[this.params.size()][];
        for (int i = 0; i < this.params.size(); i++) {
            m[i] = new float[this.params.get(i).size()];
            v[i] = new float[this.params.get(i).size()];
        }
    }

    /** Adam with PyTorch's default betas and eps. */
    public Adam(List<Tensor> params, double lr, double weightDecay) {
        this(params, lr, BETA1, BETA2, EPS, weightDecay);
    }

    @Override
    public void step() {
        Kernels k = Engine.kernels();
        t++;
        float lr = (float) learningRate();
        // The corrections in double, as PyTorch computes them in Python floats; they reach 1 - 1e-3 only slowly.
        float bc1 = (float) (1 - Math.pow(beta1, t)), bc2 = (float) (1 - Math.pow(beta2, t));
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            int n = p.size();
            float[] g = decay(k, i, p, lr);
            k.adamUpdate(n, p.data(), g, m[i], v[i], lr, (float) beta1, (float) beta2, (float) eps, bc1, bc2);
        }
    }

    /**
     * Applies the weight decay of parameter {@code i} and returns the gradient the Adam update should use. Adam
     * adds {@code weight_decay * p} to a copy of the gradient.
     */
    float[] decay(Kernels k, int i, Tensor p, float lr) {
        if (weightDecay == 0) {
            return p.grad();
        }
        int n = p.size();
        if (scratch[i] == null) {
            scratch[i] = new float[n];
        }
        System.arraycopy(p.grad(), 0, scratch[i], 0, n);
        k.axpy(n, (float) weightDecay, p.data(), scratch[i]);
        return scratch[i];
    }

    /** The moments {@code exp_avg.i} (m) and {@code exp_avg_sq.i} (v), PyTorch's names, and the step count t. */
    @Override
    public State state() {
        Map<String, float[]> arrays = new LinkedHashMap<>();
        for (int i = 0; i < m.length; i++) {
            arrays.put(M + "." + i, m[i].clone());
        }
        for (int i = 0; i < v.length; i++) {
            arrays.put(V + "." + i, v[i].clone());
        }
        return new State(arrays, Map.of(STEP, String.valueOf(t)));
    }

    @Override
    public void loadState(State state, String source) {
        checkState(state, source, List.of(M, V), List.of(STEP));
        long steps;
        try {
            steps = Long.parseLong(state.values().get(STEP));
        } catch (NumberFormatException e) {
            steps = -1;
        }
        if (steps < 0) {
            throw new IllegalArgumentException("cannot load the state of " + getClass().getSimpleName() + " from "
                    + source + ": " + STEP + "=" + state.values().get(STEP) + ", expected an integer >= 0");
        }
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(state.arrays().get(M + "." + i), 0, m[i], 0, m[i].length);
            System.arraycopy(state.arrays().get(V + "." + i), 0, v[i], 0, v[i].length);
        }
        t = steps;
    }

    /** The number of steps taken, t in the bias corrections. */
    public long steps() {
        return t;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(lr=" + learningRate() + ", betas=(" + beta1 + ", " + beta2 + "), eps="
                + eps + (weightDecay != 0 ? ", weight_decay=" + weightDecay : "") + ")";
    }
}
