package jcnn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The checker itself: it must catch a wrong gradient, pass a right one, and survive kinks. */
class GradCheckTest {

    /** x^3 written as a user-defined op; {@code factor} 3 is right, anything else is a bug to catch. */
    private static Tensor cube(Tensor x, float factor) {
        Tensor y = Tensor.result("cube", x.shape(), x);
        for (int i = 0; i < x.size(); i++) {
            y.data()[i] = x.data()[i] * x.data()[i] * x.data()[i];
        }
        y.onBackward(dy -> {
            for (int i = 0; i < dy.length; i++) {
                x.grad()[i] += factor * x.data()[i] * x.data()[i] * dy[i];
            }
        });
        return y;
    }

    @Test
    void passesACorrectUserOp() {
        Tensor x = Tensor.randn(new Random(3), 4, 5).requiresGrad(true);
        GradCheck.Result r = GradCheck.check(in -> cube(in[0], 3f), x);
        assertEquals(20, r.checked());
        assertTrue(r.maxAbs() < 1e-3, r.report());
    }

    @Test
    void catchesAWrongGradientAndSaysWhere() {
        // Values of magnitude 0.5 to 1.5, so that 2x^2 and 3x^2 differ by more than the tolerance everywhere.
        Tensor x = Tensor.zeros(4, 5).requiresGrad(true);
        for (int i = 0; i < 20; i++) {
            x.data()[i] = (i % 2 == 0 ? 1 : -1) * (0.5f + i / 20f);
        }
        GradCheck.Result r = GradCheck.defaults().run(in -> cube(in[0], 2f), x);
        assertFalse(r.ok());
        assertEquals(20, r.mismatches().size());
        AssertionError e = assertThrows(AssertionError.class, r::assertOk);
        String m = e.getMessage();
        assertTrue(m.contains("input 0 [0,0]") && m.contains("numeric") && m.contains("analytic")
                && m.contains("max abs error") && m.contains("max rel error"), m);
        GradCheck.Mismatch first = r.mismatches().get(0);
        assertEquals(1.5, first.numeric() / first.analytic(), 1e-2, "3x^2 against 2x^2");
    }

    @Test
    void aKinkWithinEpsIsResolvedByTheOneSidedDifferences() {
        // 0.004 is within eps = 0.01 of ReLU's kink: the central difference is (0.014 - 0) / 0.02 = 0.7, but the
        // right-sided difference is 1, the analytic gradient.
        Tensor x = Tensor.of(new float[] {0.004f, -0.5f, 2f}, 3).requiresGrad(true);
        GradCheck.Result r = GradCheck.check(in -> Ops.relu(in[0]), x);
        assertEquals(1, r.nearKinks(), r.report());
    }

    @Test
    void leavesInputsAsItFoundThem() {
        Tensor x = Tensor.randn(new Random(5), 3, 4).requiresGrad(true);
        Tensor w = Tensor.randn(new Random(6), 2, 4).requiresGrad(true);
        w.grad()[0] = 42f;   // a caller in the middle of accumulating
        float[] xBefore = x.data().clone(), wBefore = w.data().clone(), wGradBefore = w.grad().clone();
        GradCheck.check(in -> Ops.linear(in[0], in[1], null), x, w);
        assertArrayEquals(xBefore, x.data());
        assertArrayEquals(wBefore, w.data());
        assertArrayEquals(wGradBefore, w.grad());
    }

    @Test
    void refusesAFunctionThatDoesNotDependOnItsInputs() {
        Tensor x = Tensor.randn(new Random(5), 3);
        assertThrows(IllegalArgumentException.class, () -> GradCheck.check(in -> Ops.relu(in[0]), x));
    }

    @Test
    void samplesElementsOfLargeInputs() {
        Tensor x = Tensor.randn(new Random(5), 50, 40).requiresGrad(true);
        GradCheck.Result r = GradCheck.defaults().withMaxElementsPerInput(30).run(in -> cube(in[0], 3f), x);
        assertEquals(30, r.checked());
        assertTrue(r.ok(), r.report());
    }
}
