package jcnn.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A wrong shape into any op fails before any kernel runs, with an IllegalArgumentException that starts with
 * the op's name and shows the shapes involved.
 */
class OpsShapeTest {

    private static Tensor t(int... shape) {
        return Tensor.zeros(shape);
    }

    private static void fails(Executable call, String op, String... shapes) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        String m = e.getMessage();
        assertTrue(m.startsWith(op + ": "), () -> "message should start with '" + op + ": ': " + m);
        for (String s : shapes) {
            assertTrue(m.contains(s), () -> "message should show " + s + ": " + m);
        }
    }

    @Test
    void conv2d() {
        fails(() -> Ops.conv2d(t(2, 3, 8, 8), t(16, 1, 3, 3), null, 1, 1), "conv2d", "(2,3,8,8)", "(16,1,3,3)");
        fails(() -> Ops.conv2d(t(3, 8, 8), t(16, 3, 3, 3), null, 1, 1), "conv2d", "(3,8,8)", "(16,3,3,3)");
        fails(() -> Ops.conv2d(t(2, 3, 8, 8), t(16, 3, 3), null, 1, 1), "conv2d", "(2,3,8,8)", "(16,3,3)");
        fails(() -> Ops.conv2d(t(2, 3, 8, 8), t(16, 3, 3, 3), t(8), 1, 1), "conv2d", "(8)", "(16,3,3,3)");
        fails(() -> Ops.conv2d(t(1, 1, 2, 2), t(1, 1, 5, 5), null, 1, 1), "conv2d", "(1,1,2,2)", "(1,1,5,5)");
        fails(() -> Ops.conv2d(t(1, 1, 4, 4), t(1, 1, 3, 3), null, 0, 0), "conv2d", "(1,1,4,4)", "(1,1,3,3)");
        fails(() -> Ops.conv2d(t(1, 1, 4, 4), t(1, 1, 3, 3), null, 1, -1), "conv2d", "(1,1,4,4)", "(1,1,3,3)");
    }

    @Test
    void maxPool2d() {
        fails(() -> Ops.maxPool2d(t(1, 4, 4), 2, 2), "max_pool2d", "(1,4,4)");
        fails(() -> Ops.maxPool2d(t(1, 1, 2, 5), 3, 1), "max_pool2d", "(1,1,2,5)", "(3,3)");
        fails(() -> Ops.maxPool2d(t(1, 1, 4, 4), 0, 1), "max_pool2d", "(1,1,4,4)");
        fails(() -> Ops.reluMaxPool2d(t(1, 4, 4), 2, 2), "relu_max_pool2d", "(1,4,4)");
        fails(() -> Ops.reluMaxPool2d(t(1, 1, 2, 5), 3, 1), "relu_max_pool2d", "(1,1,2,5)", "(3,3)");
    }

    @Test
    void linear() {
        fails(() -> Ops.linear(t(2, 5), t(3, 4), null), "linear", "(2,5)", "(3,4)");
        fails(() -> Ops.linear(t(2, 5), t(3, 5), t(4)), "linear", "(4)", "(3,5)");
        fails(() -> Ops.linear(t(2, 1, 5), t(3, 5), null), "linear", "(2,1,5)", "(3,5)");
    }

    @Test
    void reshapeAndFlatten() {
        fails(() -> Ops.reshape(t(2, 3), 4, 2), "reshape", "(2,3)", "(4,2)");
        fails(() -> Ops.reshape(t(2, 3), -1, 4), "reshape", "(2,3)", "(-1,4)");
        fails(() -> Ops.reshape(t(2, 3), -1, -1), "reshape", "(2,3)", "(-1,-1)");
        fails(() -> Ops.flatten(t(5)), "flatten", "(5)");
    }

    @Test
    void crossEntropyAndLogSoftmax() {
        fails(() -> Ops.crossEntropy(t(6, 10), new int[5]), "cross_entropy", "(6,10)", "(5)");
        fails(() -> Ops.crossEntropy(t(2, 3), new int[] {0, 3}), "cross_entropy", "(2,3)", "target[1] = 3");
        fails(() -> Ops.crossEntropy(t(2, 3), new int[] {-1, 0}), "cross_entropy", "(2,3)", "target[0] = -1");
        fails(() -> Ops.crossEntropy(t(6), new int[6]), "cross_entropy", "(6)");
        fails(() -> Ops.logSoftmax(t(2, 3, 4)), "log_softmax", "(2,3,4)");
    }

    @Test
    void elementwise() {
        fails(() -> Ops.add(t(2, 3), t(3, 2)), "add", "(2,3)", "(3,2)");
        fails(() -> Ops.mul(t(2, 3), t(6)), "mul", "(2,3)", "(6)");
    }
}
