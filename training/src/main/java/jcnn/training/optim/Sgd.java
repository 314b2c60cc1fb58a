package jcnn.training.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.core.Engine;
import jcnn.core.Tensor;
import jcnn.kernels.Kernels;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, with exactly the
 * semantics of PyTorch's {@code torch.optim.SGD} (dampening 0):
 * <pre>
 * g = grad + weight_decay * p
 * buf = momentum * buf + g        (on the first step: buf = g)
 * g = nesterov ? g + momentum * buf : buf        (when momentum != 0)
 * p -= lr * g
 * </pre>
 * Like PyTorch, it leaves the gradients untouched: the decayed gradient lives in a scratch buffer per parameter,
 * allocated once.
 */
public final class Sgd extends Optimizer {

    /** The names of its state, PyTorch's where it has one. */
    private static final String BUFFER = "momentum_buffer", STARTED = "started";

    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;
    private final float[][] buffers;    // momentum buffers, allocated on the first step
    private final float[][] scratch;    // the working gradient when it differs from p.grad
    private boolean started;

    /**
     * @throws IllegalArgumentException for a negative momentum or weight decay, or Nesterov without momentum
     *                                  (PyTorch refuses that too: it would silently be plain SGD)
     */
    public Sgd(List<Tensor> params, double lr, double momentum, boolean nesterov, double weightDecay) {
        super(params, lr);
        requireNonNegative("SGD", "momentum", momentum);
        requireNonNegative("SGD", "weight decay", weightDecay);
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires momentum > 0");
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        this.buffers = new float[this.params.size()][];
        this.scratch = new float[this.params.size()][];
    }

    /** Plain SGD: {@code p -= lr * grad}. */
    public Sgd(List<Tensor> params, double lr) {
        this(params, lr, 0, false, 0);
    }

    @Override
    public void step() {
        Kernels k = Engine.kernels();
        float lr = (float) learningRate(), mu = (float) momentum, wd = (float) weightDecay;
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            float[] w = p.data(), g = p.grad();
            int n = w.length;
            float[] d = g;
            if (weightDecay != 0 || nesterov) {     // both would change g in place; work on a copy instead
                d = scratch(i, n);
                System.arraycopy(g, 0, d, 0, n);
                if (weightDecay != 0) {
                    k.axpy(n, wd, w, d);            // d = g + wd p
                }
            }
            if (momentum != 0) {
                float[] buf = buffers[i];
                if (!started) {
                    buf = buffers[i] = d.clone();   // the first step starts the buffer at g, not mu*0 + g
                } else {
                    k.scaleAdd(n, mu, buf, d);      // buf = mu buf + d
                }
                if (nesterov) {
                    k.axpy(n, mu, buf, d);          // d = d + mu buf
                } else {
                    d = buf;
                }
            }
            k.axpy(n, -lr, d, w);                   // p -= lr d
        }
        started = true;
    }

    /** The momentum buffers ({@code momentum_buffer.i}, once the first step has made them) and whether it has. */
    @Override
    public State state() {
        Map<String, float[]> arrays = new LinkedHashMap<>();
        if (started && momentum != 0) {
            for (int i = 0; i < buffers.length; i++) {
                arrays.put(BUFFER + "." + i, buffers[i].clone());
            }
        }
        return new State(arrays, Map.of(STARTED, String.valueOf(started)));
    }

    @Override
    public void loadState(State state, String source) {
        String flag = state.values().get(STARTED);
        boolean wasStarted = "true".equals(flag);
        checkState(state, source, wasStarted && momentum != 0 ? List.of(BUFFER) : List.of(), List.of(STARTED));
        if (!wasStarted && !"false".equals(flag)) {
            throw new IllegalArgumentException("cannot load the state of SGD from " + source + ": " + STARTED
                    + "=" + flag + ", expected true or false");
        }
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = wasStarted && momentum != 0 ? state.arrays().get(BUFFER + "." + i).clone() : null;
        }
        started = wasStarted;
    }

    private float[] scratch(int i, int n) {
        if (scratch[i] == null) {
            scratch[i] = new float[n];
        }
        return scratch[i];
    }

    @Override
    public String toString() {
        return "SGD(lr=" + learningRate() + (momentum != 0 ? ", momentum=" + momentum : "")
                + (nesterov ? ", nesterov" : "") + (weightDecay != 0 ? ", weight_decay=" + weightDecay : "") + ")";
    }
}
