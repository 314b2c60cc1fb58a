package jcnn.exercises;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import java.util.Random;
import jcnn.core.testing.PropertyCheck;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Exercise 2: the vector loop equals the scalar loop bit for bit, on lengths that stress the edges (1, primes,
 * tails shorter than a vector, several vectors) and on inputs with ties at 0, -0 and NaN, as the kernels'
 * own properties (VectorKernelsProperties) check.
 */
class VectorLeakyReluExerciseTest {

    static final String PAGE = "docs/exercises/2-vectorise.md";

    @Test
    void vectorLeakyReluEqualsTheScalarLoop() {
        check(Exercise.load(2, PAGE, "VectorLeakyRelu"));
    }

    record Case(int n, float slope, long seed) {
    }

    static void check(Exercise ex) {
        Gen<Integer> lengths = Generate.pick(List.of(1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 97))
                .mix(integers().between(1, 300));
        Gen<Case> cases = in -> new Case(lengths.generate(in), integers().between(0, 100).generate(in) / 100f,
                longs().all().generate(in));
        PropertyCheck.forAll(100, cases, c -> {
            Random r = new Random(c.seed());
            float[] x = new float[c.n()];
            for (int i = 0; i < x.length; i++) {
                int pick = r.nextInt(10);
                x[i] = pick == 0 ? 0f : pick == 1 ? -0f : pick == 2 ? Float.NaN : (float) r.nextGaussian();
            }
            float[] expected = new float[c.n() + 1];   // one more: the kernel must not write past n
            float[] actual = new float[c.n() + 1];
            expected[c.n()] = actual[c.n()] = 42f;
            ex.call("scalar", PARAMS, x, expected, c.n(), c.slope());
            ex.call("vector", PARAMS, x, actual, c.n(), c.slope());
            for (int i = 0; i <= c.n(); i++) {
                if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                    throw new AssertionError("exercise 2: vector differs from scalar at index " + i + " of " + c.n()
                            + ": x = " + (i < c.n() ? x[i] : "(past the end)") + ", expected " + expected[i]
                            + ", actual " + actual[i] + " (" + PAGE + ")");
                }
            }
        });
    }

    private static final Class<?>[] PARAMS = {float[].class, float[].class, int.class, float.class};
}
