package jcnn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import jcnn.core.testing.ScalarEngineExtension;
import jcnn.kernels.KernelProvider;
import jcnn.kernels.Kernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The autograd engine itself: accumulation, graph order, no-grad mode, kernel scopes, factories. */
@SuppressWarnings("try")   // scopes are opened for their effect, not referenced
@ExtendWith(ScalarEngineExtension.class)
class TensorTest {

    // Explicit kernels (ScalarEngineExtension): the default depends on system properties and on the build.
    private static final Kernels SCALAR = KernelProvider.scalar();

    @Test
    void gradientOfATensorUsedTwiceCollectsBothContributions() {
        // y = sum(x * x + x): dy/dx = 2x + 1
        Tensor x = Tensor.of(new float[] {1f, -2f, 3f}, 3).requiresGrad(true);
        Ops.sum(Ops.add(Ops.mul(x, x), x)).backward();
        assertArrayEquals(new float[] {3f, -3f, 7f}, x.grad());
    }

    @Test
    void leafGradientsAccumulateUntilZeroed() {
        Tensor x = Tensor.of(new float[] {2f}, 1).requiresGrad(true);
        Ops.sum(Ops.mul(x, x)).backward();
        Ops.sum(Ops.mul(x, x)).backward();
        assertArrayEquals(new float[] {8f}, x.grad());
        x.zeroGrad();
        assertArrayEquals(new float[] {0f}, x.grad());
    }

    @Test
    void backwardTwiceOverOneGraphAddsTheSameContributionTwice() {
        // Intermediate gradients are reset at the start of each pass; only leaves accumulate.
        Tensor x = Tensor.of(new float[] {1f, 2f}, 2).requiresGrad(true);
        Tensor hidden = Ops.mul(x, x);
        Tensor loss = Ops.sum(Ops.add(hidden, hidden));
        loss.backward();
        loss.backward();
        assertArrayEquals(new float[] {8f, 16f}, x.grad());
    }

    @Test
    void backwardOfADeepGraphDoesNotRecurse() {
        Tensor x = Tensor.of(new float[] {0f}, 1).requiresGrad(true);
        Tensor one = Tensor.of(new float[] {1f}, 1);
        Tensor h = x;
        for (int i = 0; i < 200_000; i++) {
            h = Ops.add(h, one);
        }
        Ops.sum(h).backward();
        assertEquals(200_000f, h.data()[0]);
        assertArrayEquals(new float[] {1f}, x.grad());
    }

    @Test
    void backwardWithAnOutputGradientIsAVectorJacobianProduct() {
        Tensor x = Tensor.of(new float[] {1f, 2f, 3f}, 3).requiresGrad(true);
        Tensor y = Ops.mul(x, Tensor.of(new float[] {4f, 5f, 6f}, 3));
        y.backward(Tensor.of(new float[] {1f, 10f, 100f}, 3));
        assertArrayEquals(new float[] {4f, 50f, 600f}, x.grad());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> y.backward(Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("(2)") && e.getMessage().contains("(3)"), e.getMessage());
    }

    @Test
    void noGradRecordsNothingAndNests() {
        Tensor x = Tensor.of(new float[] {1f}, 1).requiresGrad(true);
        try (NoGrad outer = NoGrad.enter()) {
            try (NoGrad inner = NoGrad.enter()) {
                assertFalse(NoGrad.isRecording());
            }
            assertFalse(NoGrad.isRecording(), "closing the inner scope must not end the outer one");
            Tensor y = Ops.mul(x, x);
            assertFalse(y.requiresGrad());
            assertThrows(IllegalStateException.class, () -> Ops.sum(y).backward());
        }
        assertTrue(NoGrad.isRecording());
        assertTrue(Ops.mul(x, x).requiresGrad());
    }

    @Test
    void outputsOfConstantsNeedNoGradient() {
        Tensor y = Ops.relu(Tensor.of(new float[] {-1f, 1f}, 2));
        assertFalse(y.requiresGrad());
        assertNull(y.grad());
        // Computed from constants, it is a leaf, as in PyTorch, and can be marked; an op output in a graph cannot.
        assertTrue(y.requiresGrad(true).requiresGrad());
        Tensor z = Ops.relu(y);
        assertThrows(IllegalStateException.class, () -> z.requiresGrad(false));
    }

    @Test
    void engineScopesNestAndRestore() {
        Kernels a = KernelProvider.scalar(), b = KernelProvider.scalar();
        try (Engine.Scope outer = Engine.using(a)) {
            assertSame(a, Engine.kernels());
            try (Engine.Scope inner = Engine.using(b)) {
                assertSame(b, Engine.kernels());
            }
            assertSame(a, Engine.kernels());
            assertSame(b, Engine.using(b, Engine::kernels));
            assertSame(a, Engine.kernels());
        }
    }

    @Test
    void anOpRunsItsBackwardOnTheKernelsOfItsForward() {
        AtomicInteger reluBackwards = new AtomicInteger();
        Kernels counting = (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(),
                new Class<?>[] {Kernels.class}, (proxy, method, args) -> {
                    if (method.getName().equals("reluBackward")) {
                        reluBackwards.incrementAndGet();
                    }
                    return method.invoke(SCALAR, args);
                });
        Tensor x = Tensor.of(new float[] {-1f, 2f}, 2).requiresGrad(true);
        Tensor y = Engine.using(counting, () -> Ops.relu(x));
        try (Engine.Scope other = Engine.using(SCALAR)) {
            y.backward(Tensor.of(new float[] {1f, 1f}, 2));
        }
        assertEquals(1, reluBackwards.get());
        assertArrayEquals(new float[] {0f, 1f}, x.grad());
    }

    @Test
    void factories() {
        Tensor z = Tensor.zeros(2, 3);
        assertArrayEquals(new int[] {2, 3}, z.shape());
        assertEquals(6, z.size());
        assertEquals(2, z.rank());
        assertEquals("(2,3)", z.shapeString());
        assertEquals(0, Tensor.scalar(5f).rank());
        assertEquals(5f, Tensor.scalar(5f).item());
        assertThrows(IllegalStateException.class, z::item);
        assertThrows(IllegalStateException.class, () -> Ops.relu(z).backward());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, -1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1 << 16, 1 << 16));

        // The same seed gives the same values, for java.util.Random and for SplittableRandom.
        assertArrayEquals(Tensor.randn(new Random(7), 4, 5).data(), Tensor.randn(new Random(7), 4, 5).data());
        assertArrayEquals(Tensor.randn(new SplittableRandom(7), 9).data(),
                Tensor.randn(new SplittableRandom(7), 9).data());
    }

    @Test
    void reshapeAndFlattenCopyValuesAndPassGradientsBack() {
        Tensor x = Tensor.randn(new Random(1), 2, 3, 4).requiresGrad(true);
        Tensor flat = Ops.flatten(x);
        assertArrayEquals(new int[] {2, 12}, flat.shape());
        assertArrayEquals(x.data(), flat.data());
        assertArrayEquals(new int[] {4, 6}, Ops.reshape(x, -1, 6).shape());
        assertArrayEquals(new int[] {24}, Ops.reshape(x, 24).shape());
        flat.backward(Tensor.of(new float[24], 2, 12));
        assertEquals(24, x.grad().length);
    }

    /** The graph is readable: an op output lists its inputs in argument order, a null bias as null; leaves none. */
    @Test
    void inputsAreTheRecordedGraphInArgumentOrder() {
        Tensor x = Tensor.randn(new Random(1), 2, 3);
        Tensor w = Tensor.randn(new Random(2), 4, 3).requiresGrad(true);
        Tensor y = Ops.linear(x, w, null);
        assertEquals(3, y.inputs().size());
        assertSame(x, y.inputs().get(0));
        assertSame(w, y.inputs().get(1));
        assertNull(y.inputs().get(2));
        assertEquals("linear", y.op());
        assertTrue(w.inputs().isEmpty(), "a leaf");
        assertThrows(UnsupportedOperationException.class, () -> y.inputs().set(0, w));
        try (NoGrad scope = NoGrad.enter()) {
            assertTrue(Ops.linear(x, w, null).inputs().isEmpty(), "no graph under NoGrad");
        }
        assertTrue(Ops.linear(x, Tensor.randn(new Random(3), 4, 3), null).inputs().isEmpty(),
                "no input needs a gradient: nothing recorded");
    }

    @Test
    void onlyAnOpOutputsUnwrittenGradientIsOfferedForAssignment() {
        Tensor leaf = Tensor.randn(new Random(3), 2, 3).requiresGrad(true);
        assertNull(leaf.gradToAssign(), "a leaf's gradient adds up over passes: never assigned");
        Tensor y = Ops.relu(leaf);
        float[] assigned = y.gradToAssign();
        assertEquals(6, assigned.length);
        assertSame(assigned, y.grad(), "the assigned buffer is the gradient");
        assertNull(y.gradToAssign(), "once written, a later producer adds into it");
        Tensor read = Ops.relu(leaf);
        read.grad();
        assertNull(read.gradToAssign(), "a gradient that was read (and so allocated as zeros) is added to");
        assertNull(Ops.relu(Tensor.randn(new Random(4), 2)).gradToAssign(), "no gradient required");
    }
}
