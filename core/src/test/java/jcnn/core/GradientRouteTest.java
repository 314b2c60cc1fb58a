package jcnn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import jcnn.kernels.KernelProvider;
import org.junit.jupiter.api.Test;

class GradientRouteTest {

    private final SplittableRandom rng = new SplittableRandom(11);
    private final Tensor w = Tensor.randn(rng, 3, 5).requiresGrad(true);
    private final Tensor b = Tensor.randn(rng, 3).requiresGrad(true);

    /** The loss of a small linear layer on {@code x}; its backward pass adds into w's and b's gradients. */
    private void backward(Tensor x, int[] target) {
        Ops.crossEntropy(Ops.linear(x, w, b), target).backward();
    }

    @Test
    @SuppressWarnings("try")
    void aRoutedBackwardPassFillsTheRouteAndLeavesTheLeavesOwnGradientAlone() {
        try (var k = Engine.using(KernelProvider.scalar())) {
            Tensor x = Tensor.randn(rng, 4, 5);
            int[] target = {0, 2, 1, 2};
            backward(x, target);
            float[] expectedW = w.grad().clone(), expectedB = b.grad().clone();
            w.zeroGrad();
            b.zeroGrad();

            GradientRoute route = new GradientRoute(List.of(w, b));
            try (var r = route.open()) {
                backward(x, target);
            }
            assertArrayEquals(expectedW, route.gradient(0));
            assertArrayEquals(expectedB, route.gradient(1));
            assertArrayEquals(new float[15], w.grad(), "the leaf's own gradient is untouched");
            assertArrayEquals(new float[3], b.grad());

            backward(x, target);   // closed: the leaves' own buffers again
            assertArrayEquals(expectedW, w.grad());
            route.zero();
            assertArrayEquals(new float[15], route.gradient(0));
        }
    }

    @Test
    void twoThreadsWithTheirOwnRoutesDoNotMix() throws Exception {
        Tensor x1 = Tensor.randn(rng, 4, 5), x2 = Tensor.randn(rng, 6, 5);
        int[] t1 = {0, 1, 2, 0}, t2 = {2, 2, 1, 0, 1, 0};
        float[][] expected = new float[2][];
        try (var k = Engine.using(KernelProvider.scalar())) {
            backward(x1, t1);
            expected[0] = w.grad().clone();
            w.zeroGrad();
            b.zeroGrad();
            backward(x2, t2);
            expected[1] = w.grad().clone();
            w.zeroGrad();
            b.zeroGrad();
        }
        GradientRoute[] routes = {new GradientRoute(List.of(w, b)), new GradientRoute(List.of(w, b))};
        Tensor[] xs = {x1, x2};
        int[][] ts = {t1, t2};
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] threads = new Thread[2];
        for (int i = 0; i < 2; i++) {
            int me = i;
            threads[i] = new Thread(() -> {
                try (var k = Engine.using(KernelProvider.scalar()); var r = routes[me].open()) {
                    start.await();
                    for (int rep = 0; rep < 200; rep++) {
                        routes[me].zero();
                        backward(xs[me], ts[me]);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            threads[i].start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(null, failure.get());
        assertArrayEquals(expected[0], routes[0].gradient(0));
        assertArrayEquals(expected[1], routes[1].gradient(0));
        assertArrayEquals(new float[15], w.grad());
    }

    @Test
    @SuppressWarnings("try")
    void misuseIsRefused() {
        Tensor notLeaf = Ops.relu(w);
        assertThrows(IllegalArgumentException.class, () -> new GradientRoute(List.of(notLeaf)));
        assertThrows(IllegalArgumentException.class, () -> new GradientRoute(List.of(Tensor.zeros(2))));
        assertThrows(IllegalArgumentException.class, () -> new GradientRoute(List.of(w, w)));
        GradientRoute route = new GradientRoute(List.of(w));
        try (var r = route.open()) {
            assertThrows(IllegalStateException.class, route::open);
        }
        route.open().close();   // closed, it opens again
    }
}
