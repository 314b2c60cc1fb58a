package jcnn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jcnn.kernels.KernelProvider;
import org.junit.jupiter.api.Test;

class BufferPoolTest {

    private final SplittableRandom rng = new SplittableRandom(7);
    private final Tensor x = Tensor.randn(rng, 4, 2, 9, 9);
    private final Tensor w = Tensor.randn(rng, 3, 2, 3, 3).requiresGrad(true);
    private final Tensor b = Tensor.randn(rng, 3).requiresGrad(true);
    private final Tensor fc = Tensor.randn(rng, 5, 3 * 4 * 4).requiresGrad(true);
    private final int[] target = {0, 4, 2, 1};

    /** One step of a small CNN; returns the loss and leaves the gradients in the parameters. */
    private float step() {
        w.zeroGrad();
        b.zeroGrad();
        fc.zeroGrad();
        Tensor h = Ops.maxPool2d(Ops.relu(Ops.conv2d(x, w, b, 1, 1)), 2, 2);
        Tensor loss = Ops.crossEntropy(Ops.linear(Ops.flatten(h), fc, null), target);
        loss.backward();
        return loss.item();
    }

    @Test
    void pooledStepsGiveTheSameResultsAndAllocateOnlyOnTheFirstStep() {
        try (var k = Engine.using(KernelProvider.scalar())) {
            float expectedLoss = step();
            float[] expectedDw = w.grad().clone();
            float[] expectedDfc = fc.grad().clone();

            BufferPool pool = new BufferPool();
            for (int i = 0; i < 3; i++) {
                try (var scope = pool.open()) {
                    assertEquals(expectedLoss, step(), 0f);
                }
                assertArrayEquals(expectedDw, w.grad(), 0f);
                assertArrayEquals(expectedDfc, fc.grad(), 0f);
            }
            long afterThree = pool.allocations();
            try (var scope = pool.open()) {
                step();
            }
            assertEquals(afterThree, pool.allocations(), "a steady-state step must not allocate: " + pool.stats());
        }
    }

    @Test
    void leafGradientsAreNeverPooled() {
        BufferPool pool = new BufferPool();
        float[] grad;
        try (var scope = pool.open(); var k = Engine.using(KernelProvider.scalar())) {
            step();
            grad = w.grad();
        }
        try (var scope = pool.open(); var k = Engine.using(KernelProvider.scalar())) {
            Tensor other = Ops.relu(Tensor.randn(rng, w.shape()));
            assertNotSame(grad, other.data());
            step();
            assertEquals(grad, w.grad());
        }
    }

    @Test
    void aSuspendedScopeMovesToAnotherThreadAndKeepsItsArraysUntilClosed() throws Exception {
        BufferPool pool = new BufferPool();
        BufferPool.Scope scope = pool.open();
        float[] first = BufferPool.floats(10);
        scope.suspend();
        assertEquals(false, BufferPool.active(), "suspended: no pool is current on this thread");
        float[][] fromOtherThread = new float[1][];
        Thread t = new Thread(() -> {
            scope.resume();
            fromOtherThread[0] = BufferPool.floats(10);
            scope.suspend();
        });
        t.start();
        t.join();
        assertNotSame(first, fromOtherThread[0], "an array in use is never handed out twice");
        scope.close();
        try (var again = pool.open()) {
            float[] reused = BufferPool.floats(10);
            assertEquals(true, reused == first || reused == fromOtherThread[0], "the closed scope's arrays are reused");
            assertEquals(2, pool.allocations());
        }
        assertThrows(IllegalStateException.class, scope::resume);
    }

    /**
     * A pool reuses one scope object for all its scopes: closing one must still give the thread back the pool that
     * was current before it (none, or an outer pool), every time.
     */
    @Test
    void closingAScopeMakesThePreviousPoolCurrentAgainEveryTime() {
        BufferPool outer = new BufferPool(), inner = new BufferPool();
        assertFalse(BufferPool.active());
        try (var a = outer.open()) {
            for (int i = 0; i < 3; i++) {
                try (var b = inner.open()) {
                    BufferPool.floats(5);
                }
                assertEquals(1, inner.allocations(), "the inner pool serves its scope, the same array each time");
                BufferPool.floats(7);
                assertEquals(i + 1, outer.allocations(), "after the inner scope, the outer pool serves again");
            }
        }
        assertFalse(BufferPool.active(), "no pool is current once the outer scope closes");
        try (var again = inner.open()) {
            assertTrue(BufferPool.active());
        }
        assertFalse(BufferPool.active());
    }
}
