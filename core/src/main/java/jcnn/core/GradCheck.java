package jcnn.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import jcnn.kernels.KernelProvider;
import jcnn.kernels.Kernels;

/**
 * Checks the gradients that autograd computes against finite differences, for tests and for anyone writing a
 * new op.
 * <pre>{@code
 * GradCheck.check(in -> Ops.conv2d(in[0], in[1], in[2], 1, 1), x, w, b);   // throws AssertionError on a mismatch
 * }</pre>
 *
 * <h2>Method</h2>
 * The function may return a tensor of any shape. It is turned into a scalar by a fixed random projection,
 * {@code L = sum(out * r)} with {@code r} standard normal, so every output element (and every path through the
 * op) takes part in one check. For each input that requires a gradient:
 * <ul>
 *   <li>analytic: {@code out.backward(r)} gives dL/dx, exactly what a training step would use;</li>
 *   <li>numeric: each element x_j is moved to x_j + eps and x_j - eps (rounded to float32), the function is
 *       evaluated again under {@link NoGrad}, L is summed in double, and the central difference
 *       {@code (L+ - L-) / (x+ - x-)} uses the step that the float32 values really took.</li>
 * </ul>
 * The ops compute in float32, so the finite difference cannot use a tiny step: with outputs of size ~1 each
 * evaluation carries rounding errors ~1e-6, and dividing by 2 eps = 2e-2 leaves ~1e-4 of noise. The default
 * eps = 1e-2 is meant for inputs of magnitude ~1; for the piecewise-linear ops of a CNN (conv, linear, ReLU,
 * max-pool) the central difference is then exact up to that noise, and for the softmax its truncation error is
 * ~eps^2 ~ 1e-4. Hence the default tolerance: an element passes when
 * {@code |analytic - numeric| <= 1e-3 + 1e-2 * |numeric|}.
 *
 * <h2>Kinks</h2>
 * ReLU at 0 and ties in max-pool make L non-differentiable. When a kink lies within eps of x_j, the central
 * difference mixes the slopes of both sides, but one of the one-sided differences {@code (L+ - L0) / (x+ - x)}
 * and {@code (L0 - L-) / (x - x-)} does not cross it and still equals the analytic gradient. So an element
 * whose one-sided differences disagree with each other (a kink nearby) passes if the analytic gradient matches
 * either of them, and is counted in {@link Result#nearKinks()}. Tests should still choose inputs away from kinks
 * (distinct values with gaps larger than 2 eps for max-pool), so that this is the exception.
 *
 * <p>The functions are evaluated with the scalar reference kernels unless {@link #withKernels} says otherwise.
 * The check leaves the inputs' values and gradients as it found them.
 */
public final class GradCheck {

    private final double eps;
    private final double atol;
    private final double rtol;
    private final long seed;
    private final int maxElementsPerInput;
    private final Kernels kernels;

    private GradCheck(double eps, double atol, double rtol, long seed, int maxElementsPerInput, Kernels kernels) {
        this.eps = eps;
        this.atol = atol;
        this.rtol = rtol;
        this.seed = seed;
        this.maxElementsPerInput = maxElementsPerInput;
        this.kernels = kernels;
    }

    /** eps 1e-2, atol 1e-3, rtol 1e-2, every element of every input, scalar kernels. */
    public static GradCheck defaults() {
        return new GradCheck(1e-2, 1e-3, 1e-2, 20261126L, Integer.MAX_VALUE, null);
    }

    /** Runs the default check and throws an {@link AssertionError} with the report if it fails. */
    public static Result check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return defaults().run(f, inputs).assertOk();
    }

    public GradCheck withEpsilon(double newEps) {
        return new GradCheck(newEps, atol, rtol, seed, maxElementsPerInput, kernels);
    }

    public GradCheck withTolerance(double newAtol, double newRtol) {
        return new GradCheck(eps, newAtol, newRtol, seed, maxElementsPerInput, kernels);
    }

    /** The seed of the projection and of the sampled elements. */
    public GradCheck withSeed(long newSeed) {
        return new GradCheck(eps, atol, rtol, newSeed, maxElementsPerInput, kernels);
    }

    /** Checks at most this many randomly chosen elements of each input, to bound the time on large inputs. */
    public GradCheck withMaxElementsPerInput(int max) {
        return new GradCheck(eps, atol, rtol, seed, max, kernels);
    }

    /** Evaluates the function with these kernels instead of the scalar reference. */
    public GradCheck withKernels(Kernels newKernels) {
        return new GradCheck(eps, atol, rtol, seed, maxElementsPerInput, newKernels);
    }

    /** One element whose analytic gradient disagrees with the finite difference. */
    public record Mismatch(int input, int index, double numeric, double analytic) {
    }

    /** What a check found: mismatches, the largest errors and where they were. */
    public record Result(List<Mismatch> mismatches, int checked, int nearKinks,
                         double maxAbs, String maxAbsAt, double maxRel, String maxRelAt, String report) {

        public boolean ok() {
            return mismatches.isEmpty();
        }

        /** Returns this result, or throws an {@link AssertionError} carrying the report when it failed. */
        public Result assertOk() {
            if (!ok()) {
                throw new AssertionError(report);
            }
            return this;
        }
    }

    /**
     * Compares the gradients of {@code f} with respect to each input that requires a gradient with central
     * differences; inputs that do not require one are held constant.
     */
    public Result run(Function<Tensor[], Tensor> f, Tensor... inputs) {
        Kernels k = kernels != null ? kernels : KernelProvider.scalar();
        try (Engine.Scope scope = Engine.using(k)) {
            return runWith(f, inputs);
        }
    }

    private Result runWith(Function<Tensor[], Tensor> f, Tensor[] inputs) {
        SplittableRandom rng = new SplittableRandom(seed);

        // Analytic side: backward of L = sum(out * r) seeds out's gradient with r. The inputs' gradients are
        // saved and restored so the check does not disturb a caller that is accumulating.
        float[][] savedGrads = new float[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].requiresGrad()) {
                savedGrads[i] = inputs[i].grad().clone();
                inputs[i].zeroGrad();
            }
        }
        Tensor out = f.apply(inputs);
        if (!out.requiresGrad()) {
            throw new IllegalArgumentException("gradcheck: the output " + out + " does not depend on any input"
                    + " that requires a gradient");
        }
        float[] r = new float[out.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) rng.nextGaussian();
        }
        out.backward(Tensor.of(r, out.shape()));
        float[][] analytic = new float[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].requiresGrad()) {
                analytic[i] = inputs[i].grad().clone();
                System.arraycopy(savedGrads[i], 0, inputs[i].grad(), 0, savedGrads[i].length);
            }
        }

        // Numeric side.
        List<Mismatch> mismatches = new ArrayList<>();
        StringBuilder shown = new StringBuilder();
        int checked = 0, nearKinks = 0;
        double maxAbs = 0, maxRel = 0;
        String maxAbsAt = "-", maxRelAt = "-";
        try (NoGrad noGrad = NoGrad.enter()) {
            double l0 = projected(f, inputs, r);
            for (int i = 0; i < inputs.length; i++) {
                if (analytic[i] == null) {
                    continue;
                }
                float[] x = inputs[i].data();
                for (int j : elementsToCheck(x.length, rng)) {
                    float original = x[j];
                    float up = (float) (original + eps), down = (float) (original - eps);
                    x[j] = up;
                    double lUp = projected(f, inputs, r);
                    x[j] = down;
                    double lDown = projected(f, inputs, r);
                    x[j] = original;

                    double numeric = (lUp - lDown) / ((double) up - down);
                    double a = analytic[i][j];
                    double abs = Math.abs(a - numeric), rel = abs / Math.max(Math.abs(numeric), 1e-12);
                    checked++;
                    String at = "input " + i + " " + Compare.index(j, inputs[i].shape());
                    if (abs > maxAbs) {
                        maxAbs = abs;
                        maxAbsAt = at;
                    }
                    if (rel > maxRel && abs > atol) {   // relative error of a tiny gradient says nothing
                        maxRel = rel;
                        maxRelAt = at;
                    }
                    if (close(a, numeric)) {
                        continue;
                    }
                    double right = (lUp - l0) / ((double) up - original);
                    double left = (l0 - lDown) / ((double) original - down);
                    if (!close(right, left) && (close(a, right) || close(a, left))) {
                        nearKinks++;
                        continue;
                    }
                    if (mismatches.size() < Compare.SHOWN) {
                        shown.append(String.format(Locale.ROOT,
                                "%n  %s %s numeric %.7g analytic %.7g (one-sided %.7g / %.7g)",
                                at, inputs[i].shapeString(), numeric, a, left, right));
                    }
                    mismatches.add(new Mismatch(i, j, numeric, a));
                }
            }
        }
        String report = String.format(Locale.ROOT,
                "gradcheck: %d of %d gradient elements differ from central differences (eps %.3g) beyond"
                        + " atol %.3g + rtol %.3g * |numeric|%s%n  max abs error %.3g at %s, max rel error %.3g at %s,"
                        + " %d near a kink",
                mismatches.size(), checked, eps, atol, rtol, shown, maxAbs, maxAbsAt, maxRel, maxRelAt, nearKinks);
        return new Result(List.copyOf(mismatches), checked, nearKinks, maxAbs, maxAbsAt, maxRel, maxRelAt, report);
    }

    private boolean close(double actual, double expected) {
        return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
    }

    /** L = sum(f(inputs) * r), summed in double so that the only float32 rounding is inside f. */
    private static double projected(Function<Tensor[], Tensor> f, Tensor[] inputs, float[] r) {
        float[] out = f.apply(inputs).data();
        double l = 0;
        for (int i = 0; i < out.length; i++) {
            l += (double) out[i] * r[i];
        }
        return l;
    }

    /** All indices in order, or a random sample of {@link #maxElementsPerInput} of them. */
    private int[] elementsToCheck(int size, SplittableRandom rng) {
        int[] all = new int[size];
        for (int i = 0; i < size; i++) {
            all[i] = i;
        }
        if (size <= maxElementsPerInput) {
            return all;
        }
        for (int i = 0; i < maxElementsPerInput; i++) {   // partial Fisher-Yates shuffle
            int j = i + rng.nextInt(size - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, maxElementsPerInput);
    }
}
