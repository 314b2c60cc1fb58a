package jcnn.exercises;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.SplittableRandom;
import java.util.function.Function;
import jcnn.core.GradCheck;
import jcnn.core.Ops;
import jcnn.core.Tensor;
import jcnn.core.testing.PropertyCheck;
import jcnn.core.testing.ScalarEngineExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quicktheories.core.Gen;

/** Exercise 1: LeakyReLU's values, its float64 gradient check on random shapes, and gradients that add up. */
@ExtendWith(ScalarEngineExtension.class)
class LeakyReluExerciseTest {

    static final String PAGE = "docs/exercises/1-leaky-relu.md";

    @Test
    void leakyRelu() {
        check(Exercise.load(1, PAGE, "LeakyRelu"));
    }

    record Case(int rows, int cols, float slope, long seed) {
    }

    static void check(Exercise ex) {
        Function<Tensor, Tensor> f = x -> leaky(ex, x, 0.1f);
        Tensor y = f.apply(Tensor.of(new float[] {-2f, -0.5f, 0.5f, 3f}, 4));
        assertArrayEquals(new float[] {-0.2f, -0.05f, 0.5f, 3f}, y.data(), "exercise 1: the forward values of"
                + " leakyRelu([-2, -0.5, 0.5, 3], 0.1); see " + PAGE);

        Gen<Case> cases = in -> new Case(integers().between(1, 5).generate(in), integers().between(1, 7).generate(in),
                integers().between(0, 30).generate(in) / 100f, longs().all().generate(in));
        PropertyCheck.forAll(30, cases, c -> {
            Tensor x = awayFromTheKink(Tensor.randn(new SplittableRandom(c.seed()), c.rows(), c.cols()))
                    .requiresGrad(true);
            GradCheck.Result r = GradCheck.defaults().run(in -> leaky(ex, in[0], c.slope()), x);
            if (!r.ok()) {
                throw new AssertionError("exercise 1: the backward of leakyRelu disagrees with float64 finite"
                        + " differences (" + PAGE + "):\n" + r.report());
            }
        });

        // x used twice: its gradient collects both contributions, so backward must add, not assign
        Tensor x = Tensor.of(new float[] {-1f, 2f}, 2).requiresGrad(true);
        Ops.sum(Ops.add(leaky(ex, x, 0.5f), leaky(ex, x, 0.5f))).backward();
        assertArrayEquals(new float[] {1f, 2f}, x.grad(), "exercise 1: x feeds two leakyRelu ops, so its gradient"
                + " is the sum of both; does the backward add (+=) into x.grad()? See " + PAGE);
    }

    private static Tensor leaky(Exercise ex, Tensor x, float slope) {
        return (Tensor) ex.call("leakyRelu", new Class<?>[] {Tensor.class, float.class}, x, slope);
    }

    /** The finite difference straddles the kink at 0 when |x| < eps: keep every value at least 0.1 away. */
    private static Tensor awayFromTheKink(Tensor t) {
        float[] v = t.data();
        for (int i = 0; i < v.length; i++) {
            if (Math.abs(v[i]) < 0.1f) {
                v[i] = v[i] < 0 ? v[i] - 0.1f : v[i] + 0.1f;
            }
        }
        return t;
    }
}
