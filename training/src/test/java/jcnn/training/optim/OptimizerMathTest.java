package jcnn.training.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import jcnn.core.Tensor;
import jcnn.core.testing.ScalarEngineExtension;
import jcnn.training.Recipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The update rules, on tiny problems whose answers are known: hand-computed first steps, then several steps
 * against float64 re-implementations of PyTorch's formulas written out here, and SAM on a quadratic where its
 * step has a closed form.
 */
@ExtendWith(ScalarEngineExtension.class)
class OptimizerMathTest {

    private static Tensor param(float... values) {
        return Tensor.of(values.clone(), values.length).requiresGrad(true);
    }

    private static void setGrad(Tensor p, double... g) {
        for (int i = 0; i < g.length; i++) {
            p.grad()[i] = (float) g[i];
        }
    }

    private static void assertClose(double[] expected, float[] actual, double tol, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * (1 + Math.abs(expected[i])), what + " [" + i + "]");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Hand-computed steps

    @Test
    void momentumByHand() {
        // p = 1, g = 1, lr 0.1, mu 0.9: buf = 1, p = 0.9; then buf = 1.9, p = 0.9 - 0.19 = 0.71.
        Tensor p = param(1f);
        Sgd sgd = new Sgd(List.of(p), 0.1, 0.9, false, 0);
        setGrad(p, 1);
        sgd.step();
        assertEquals(0.9f, p.data()[0], 1e-7);
        sgd.step();
        assertEquals(0.71f, p.data()[0], 1e-7);
        assertEquals(1f, p.grad()[0], "SGD leaves the gradient alone");
    }

    @Test
    void nesterovByHand() {
        // buf = 1, d = g + mu buf = 1.9, p = 1 - 0.19 = 0.81; then buf = 1.9, d = 1 + 1.71 = 2.71, p = 0.539.
        Tensor p = param(1f);
        Sgd sgd = new Sgd(List.of(p), 0.1, 0.9, true, 0);
        setGrad(p, 1);
        sgd.step();
        assertEquals(0.81f, p.data()[0], 1e-7);
        sgd.step();
        assertEquals(0.539f, p.data()[0], 1e-6);
        assertEquals(1f, p.grad()[0], "Nesterov leaves the gradient alone");
    }

    @Test
    void adamFirstStepIsLrTimesTheSignOfTheGradient() {
        // After bias correction m^ = g and v^ = g^2, so the first step is lr * g / (|g| + eps).
        Tensor p = param(1f, 1f, 1f);
        Adam adam = new Adam(List.of(p), 0.1, 0);
        setGrad(p, 2, -0.5, 0);
        adam.step();
        assertArrayEquals(new float[] {0.9f, 1.1f, 1f}, p.data(), 1e-6f);
    }

    @Test
    void adamwDecaysTheWeightNotTheGradient() {
        // Zero gradient: Adam's step is 0, so only the decoupled decay p *= 1 - lr wd = 1 - 0.1 * 0.5 acts.
        Tensor p = param(2f);
        new AdamW(List.of(p), 0.1, 0.5).step();
        assertEquals(1.9f, p.data()[0], 1e-6);
        // Adam's coupled decay instead feeds wd p = 1 into the gradient: a step of lr * sign = 0.1.
        Tensor q = param(2f);
        new Adam(List.of(q), 0.1, 0.5).step();
        assertEquals(1.9f, q.data()[0], 1e-6);
        assertEquals(0f, q.grad()[0], "Adam's decay goes into a copy of the gradient");
    }

    @Test
    void seedOptimizerMovesEveryTensorOncePerParameter() {
        // Two scalar parameters, lr 0.1, rho 0.5, grads 1 and 2, in double, following the notebook's loop.
        Tensor a = param(1f), b = param(3f);
        setGrad(a, 1);
        setGrad(b, 2);
        new SeedOptimizer(List.of(a, b), 0.1, 0.5).step();
        double pa = 1, pb = 3, ga = 1, gb = 2, lr = 0.1, rho = 0.5;
        ga += rho * pa;             // j = a
        pa -= lr * ga;
        pb -= lr * gb;
        gb += rho * pb;             // j = b, with b's value already moved once
        pa -= lr * ga;
        pb -= lr * gb;
        assertEquals(pa, a.data()[0], 1e-6);
        assertEquals(pb, b.data()[0], 1e-6);
        assertEquals(ga, a.grad()[0], 1e-6, "the notebook leaves grad + rho p in the gradient");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Several steps against float64 re-implementations

    private static final int STEPS = 5;

    /** A reproducible gradient for step t, different at every step. */
    private static double[] gradient(int t, int n) {
        SplittableRandom rng = new SplittableRandom(100 + t);
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = rng.nextDouble(-1, 1);
        }
        return g;
    }

    private static double[] start(int n) {
        SplittableRandom rng = new SplittableRandom(7);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) rng.nextDouble(-1, 1);   // representable in float, so both sides start equal
        }
        return w;
    }

    private static Tensor paramOf(double[] w) {
        float[] f = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            f[i] = (float) w[i];
        }
        return param(f);
    }

    @Test
    void sgdMatchesPyTorchsFormulaInDouble() {
        for (boolean nesterov : new boolean[] {false, true}) {
            int n = 37;
            double lr = 0.05, mu = 0.9, wd = 1e-2;
            double[] w = start(n), buf = new double[n];
            Tensor p = paramOf(w);
            Sgd sgd = new Sgd(List.of(p), lr, mu, nesterov, wd);
            for (int t = 0; t < STEPS; t++) {
                double[] g = gradient(t, n);
                setGrad(p, g);
                sgd.step();
                for (int i = 0; i < n; i++) {
                    double d = g[i] + wd * w[i];
                    buf[i] = t == 0 ? d : mu * buf[i] + d;
                    w[i] -= lr * (nesterov ? d + mu * buf[i] : buf[i]);
                }
            }
            assertClose(w, p.data(), 1e-6, "SGD nesterov=" + nesterov);
        }
    }

    @Test
    void adamAndAdamwMatchPyTorchsFormulasInDouble() {
        for (boolean decoupled : new boolean[] {false, true}) {
            int n = 37;
            double lr = 1e-2, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.1;
            double[] w = start(n), m = new double[n], v = new double[n];
            Tensor p = paramOf(w);
            Optimizer opt = decoupled ? new AdamW(List.of(p), lr, wd) : new Adam(List.of(p), lr, wd);
            for (int t = 1; t <= STEPS; t++) {
                double[] g = gradient(t, n);
                setGrad(p, g);
                opt.step();
                for (int i = 0; i < n; i++) {
                    double gi = g[i];
                    if (decoupled) {
                        w[i] *= 1 - lr * wd;
                    } else {
                        gi += wd * w[i];
                    }
                    m[i] = b1 * m[i] + (1 - b1) * gi;
                    v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                    double mHat = m[i] / (1 - Math.pow(b1, t)), vHat = v[i] / (1 - Math.pow(b2, t));
                    w[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
                }
            }
            assertClose(w, p.data(), 1e-5, decoupled ? "AdamW" : "Adam");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // SAM

    /**
     * L(w) = 1/2 sum_i a_i w_i^2 over two parameter tensors, so grad L = a w. One SAM step with a plain-SGD base:
     * e = rho a w / ||a w||, g' = a (w + e), w' = w - lr g'.
     */
    @Test
    void samOnAQuadraticTakesTheClosedFormStep() {
        double[] a = {1, 4, 0.5, 2, 3};
        double[] w0 = {0.3, -0.7, 1.1, 0.25, -0.4};
        Tensor p1 = paramOf(new double[] {w0[0], w0[1]}), p2 = paramOf(new double[] {w0[2], w0[3], w0[4]});
        Tensor[] ps = {p1, p2};
        int[] calls = {0};
        Optimizer.Closure quadratic = () -> {
            calls[0]++;
            double loss = 0;
            int j = 0;
            for (Tensor p : ps) {
                p.zeroGrad();
                for (int i = 0; i < p.size(); i++, j++) {
                    double wi = p.data()[i];
                    loss += 0.5 * a[j] * wi * wi;
                    p.grad()[i] = (float) (a[j] * wi);
                }
            }
            return (float) loss;
        };
        double lr = 0.1, rho = 0.05;
        Sam sam = new Sam(new Sgd(List.of(p1, p2), lr), rho);
        float loss = sam.step(quadratic);

        double norm = 0, loss0 = 0;
        for (int j = 0; j < a.length; j++) {
            norm += a[j] * w0[j] * a[j] * w0[j];
            loss0 += 0.5 * a[j] * w0[j] * w0[j];
        }
        norm = Math.sqrt(norm);
        double[] expected = new double[a.length];
        for (int j = 0; j < a.length; j++) {
            double e = rho * a[j] * w0[j] / norm;
            expected[j] = w0[j] - lr * a[j] * (w0[j] + e);
        }
        assertEquals(2, calls[0], "SAM evaluates the closure twice");
        assertEquals(loss0, loss, 1e-6, "SAM returns the loss at w, not at w + e");
        assertClose(new double[] {expected[0], expected[1]}, p1.data(), 1e-6, "SAM p1");
        assertClose(new double[] {expected[2], expected[3], expected[4]}, p2.data(), 1e-6, "SAM p2");

        // A plain step would differ: the perturbation must have had an effect.
        assertTrue(Math.abs((w0[1] - lr * a[1] * w0[1]) - p1.data()[1]) > 1e-4);
        assertThrows(IllegalStateException.class, sam::step, "SAM without a closure");
    }

    @Test
    void samFollowsTheLearningRateIntoItsBase() {
        Tensor p = param(1f);
        Sgd base = new Sgd(List.of(p), 0.1);
        Sam sam = new Sam(base, 0.05);
        sam.setLearningRate(0.02);
        assertEquals(0.02, base.learningRate());
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    void recipesBuildTheOptimizerTheyName() {
        List<Tensor> params = List.of(param(1f));
        Properties props = new Properties();
        for (String name : Recipe.OPTIMIZERS) {
            props.setProperty("optimizer", name);
            Optimizer opt = Optimizers.fromRecipe(Recipe.fromProperties(props), params);
            assertEquals(Recipe.fromProperties(props).lr(), opt.learningRate());
            assertTrue(opt.toString().toLowerCase().contains(name.equals("seed") ? "seedoptimizer" : name),
                    opt.toString());
        }
        props.setProperty("optimizer", "sam");
        assertInstanceOf(Sam.class, Optimizers.fromRecipe(Recipe.fromProperties(props), params));
    }

    @Test
    void badSettingsAreRejected() {
        List<Tensor> params = List.of(param(1f));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(params, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(params, 0.1, 0, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(params, 0.1, -0.5, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new Adam(params, 0.1, 1.0, 0.999, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new SeedOptimizer(params, 0.1, -1));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(Tensor.zeros(2)), 0.1),
                "a tensor without a gradient cannot be optimized");
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(), 0.1));
    }
}
