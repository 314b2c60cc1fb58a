package jcnn.exercises;

import jcnn.core.Tensor;

/**
 * Exercise 1 (docs/exercises/1-leaky-relu.md), the reference solution: LeakyReLU as a differentiable op,
 * {@code y = x} where {@code x > 0}, else {@code slope * x} (PyTorch's {@code F.leaky_relu(x, slope)}).
 */
public final class LeakyRelu {

    private LeakyRelu() {
    }

    /** x (any shape) -> y (same shape). */
    public static Tensor leakyRelu(Tensor x, float slope) {
        Tensor y = Tensor.result("leaky_relu", x.shape(), x);
        float[] xs = x.data();
        float[] ys = y.data();
        for (int i = 0; i < xs.length; i++) {
            ys[i] = xs[i] > 0 ? xs[i] : slope * xs[i];
        }
        y.onBackward(dy -> {
            float[] dx = x.grad();   // x requires a gradient, or y would not have one and this never runs
            for (int i = 0; i < xs.length; i++) {
                dx[i] += xs[i] > 0 ? dy[i] : slope * dy[i];   // add: x may feed other ops too
            }
        });
        return y;
    }
}
