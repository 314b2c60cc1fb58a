package jcnn.training.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import jcnn.core.Engine;
import jcnn.core.Tensor;
import jcnn.kernels.Kernels;

/**
 * Sharpness-Aware Minimization (Foret, Kleiner, Mobahi and Neyshabur, ICLR 2021): it seeks weights whose whole
 * neighbourhood has low loss, by stepping with the gradient taken at the worst nearby point instead of at w.
 * <pre>
 * g    = grad L(w)                                  (first closure evaluation)
 * e(w) = rho * g / ||g||                            (||g||: the L2 norm over all parameters together)
 * g'   = grad L(w + e(w))                           (second closure evaluation)
 * w    = base optimizer step from w, with g'
 * </pre>
 * Each step costs two forward and backward passes, hence the {@link Closure}: {@link #step()} alone cannot work
 * and throws. The weights are restored from an exact copy rather than by subtracting e, so the base step starts
 * from w bit for bit. As in the authors' code, 1e-12 is added to the norm so a zero gradient does not divide by 0.
 *
 * <p>Non-goals: adaptive SAM (ASAM), m-sharpness (per-shard perturbations).
 */
public final class Sam extends Optimizer {

    /** The prefix of the base optimizer's state entries. */
    private static final String BASE = "base.";

    private final Optimizer base;
    private final double rho;
    private final float[][] saved;     // w, to restore after the climb
    private final float[][] perturb;   // e(w)

    /**
     * @param base the optimizer that takes the step with the gradient at the perturbed point, over the same
     *             parameters (usually {@link Sgd}); its learning rate follows this optimizer's
     * @param rho  the radius of the neighbourhood
     */
    public Sam(Optimizer base, double rho) {
        super(Objects.requireNonNull(base, "base").parameters(), base.learningRate());
        requireNonNegative("SAM", "rho", rho);
        this.base = base;
        this.rho = rho;
        this.saved = new float[params.size()][];
        this.perturb = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            saved[i] = new float[params.get(i).size()];
            perturb[i] = new float[params.get(i).size()];
        }
    }

    /** Always throws: SAM needs to recompute the gradients, so it must be given a {@link Closure}. */
    @Override
    public void step() {
        throw new IllegalStateException("SAM needs the loss and gradients at two points: call step(closure)");
    }

    /** One SAM step; returns the loss at the unperturbed weights w (the first evaluation). */
    @Override
    public float step(Closure closure) {
        Kernels k = Engine.kernels();
        float loss = closure.evaluate();

        double sumSq = 0;
        for (Tensor p : params) {
            sumSq += k.sumOfSquares(p.size(), p.grad());
        }
        float scale = (float) (rho / (Math.sqrt(sumSq) + 1e-12));
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            int n = p.size();
            System.arraycopy(p.data(), 0, saved[i], 0, n);
            System.arraycopy(p.grad(), 0, perturb[i], 0, n);
            k.scale(n, scale, perturb[i]);                 // e = rho g / ||g||
            k.axpy(n, 1f, perturb[i], p.data());           // climb to w + e
        }

        try {
            closure.evaluate();                            // the gradients at w + e
        } finally {
            // Back to w even when the closure throws (a trainer refusing a non-finite gradient): the weights must
            // never be left at the perturbed point.
            for (int i = 0; i < params.size(); i++) {
                System.arraycopy(saved[i], 0, params.get(i).data(), 0, params.get(i).size());
            }
        }
        base.step();
        return loss;
    }

    /**
     * The base optimizer's state, its names prefixed with {@code base.}: SAM itself keeps nothing between steps
     * (the saved weights and the perturbation are scratch, rewritten at every step).
     */
    @Override
    public State state() {
        State inner = base.state();
        Map<String, float[]> arrays = new LinkedHashMap<>();
        inner.arrays().forEach((k, a) -> arrays.put(BASE + k, a));
        Map<String, String> values = new LinkedHashMap<>();
        inner.values().forEach((k, v) -> values.put(BASE + k, v));
        return new State(arrays, values);
    }

    @Override
    public void loadState(State state, String source) {
        Map<String, float[]> arrays = new LinkedHashMap<>();
        Map<String, String> values = new LinkedHashMap<>();
        state.arrays().forEach((k, a) -> arrays.put(unprefixed(k, source), a));
        state.values().forEach((k, v) -> values.put(unprefixed(k, source), v));
        base.loadState(new State(arrays, values), source);
    }

    private static String unprefixed(String key, String source) {
        if (!key.startsWith(BASE)) {
            throw new IllegalArgumentException("cannot load the state of SAM from " + source + ": unexpected entry '"
                    + key + "' (expected names starting with '" + BASE + "')");
        }
        return key.substring(BASE.length());
    }

    /** Sets the rate of the base optimizer too: it is the one that takes the step. */
    @Override
    public void setLearningRate(double lr) {
        super.setLearningRate(lr);
        if (base != null) {     // null while the superclass constructor runs
            base.setLearningRate(lr);
        }
    }

    @Override
    public String toString() {
        return "SAM(rho=" + rho + ", base=" + base + ")";
    }
}
