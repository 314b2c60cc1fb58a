package jcnn.exercises;

import jcnn.core.Tensor;

/**
 * Exercise 1 (docs/exercises/1-leaky-relu.md), your starting point: copy this file over
 * exercises/src/main/java/jcnn/exercises/LeakyRelu.java and make LeakyReluExerciseTest pass.
 */
public final class LeakyRelu {

    private LeakyRelu() {
    }

    /** x (any shape) -> y (same shape): y = x where x > 0, else slope * x. */
    public static Tensor leakyRelu(Tensor x, float slope) {
        // 1. Tensor y = Tensor.result("leaky_relu", x.shape(), x);   the output, linked to its input
        // 2. fill y.data() from x.data()
        // 3. y.onBackward(dy -> { ... });   add (+=) into x.grad() what each dy[i] contributes
        throw new UnsupportedOperationException("exercise 1: write leakyRelu's forward and backward");
    }
}
