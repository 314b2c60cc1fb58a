package jcnn.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The shared team: every index once, the documented ranges, failures passed on, and no call ever stuck. */
class ParallelTest {

    /** Runs a call and returns how many times each index was visited, checking each range against the formula. */
    private static int[] visits(int threads, int count) {
        AtomicIntegerArray seen = new AtomicIntegerArray(Math.max(count, 1));
        Parallel.forRange(threads, count, (from, to) -> {
            int parts = Math.min(threads, count);
            boolean documented = false;
            for (int r = 0; r < parts; r++) {
                documented |= from == (int) ((long) count * r / parts) && to == (int) ((long) count * (r + 1) / parts);
            }
            if (!documented) {
                throw new AssertionError("range [" + from + ", " + to + ") is not one of " + parts + " of " + count);
            }
            for (int i = from; i < to; i++) {
                seen.incrementAndGet(i);
            }
        });
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = seen.get(i);
        }
        return out;
    }

    @Test
    void everyIndexExactlyOnceForAnyThreadCountAndSize() {
        for (int threads : new int[] {1, 2, 3, 4, 8}) {
            for (int count : new int[] {0, 1, 2, 3, 7, 64, 1000}) {
                int[] expected = new int[count];
                java.util.Arrays.fill(expected, 1);
                assertArrayEquals(expected, visits(threads, count), threads + " threads, " + count + " indices");
            }
        }
    }

    @Test
    void forEachVisitsEveryIndexOnceAndAtMostTheThreadsAskedFor() {
        for (int threads : new int[] {1, 2, 3}) {
            for (int count : new int[] {0, 1, 2, 5, 16}) {
                AtomicIntegerArray seen = new AtomicIntegerArray(Math.max(count, 1));
                java.util.Set<Thread> ran = java.util.concurrent.ConcurrentHashMap.newKeySet();
                Parallel.forEach(threads, count, i -> {
                    seen.incrementAndGet(i);
                    ran.add(Thread.currentThread());
                });
                for (int i = 0; i < count; i++) {
                    assertEquals(1, seen.get(i), threads + " threads, " + count + " indices, index " + i);
                }
                if (threads == 1) {
                    assertEquals(count == 0 ? 0 : 1, ran.size(), "one thread: the caller alone");
                }
            }
        }
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> Parallel.forEach(2, 6, i -> {
            if (i == 4) {
                throw boom;
            }
        })));
    }

    @Test
    void aFailureInAnyRangeReachesTheCallerAndTheTeamStaysUsable() {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Parallel.forRange(4, 4, (from, to) -> {
                    if (from == 3) {
                        throw boom;
                    }
                }));
        assertSame(boom, thrown);
        assertThrows(StackOverflowError.class, () -> Parallel.forRange(2, 2, (from, to) -> {
            if (from == 0) {
                throw new StackOverflowError("an Error passes as it is");
            }
        }));
        assertEquals(100, java.util.Arrays.stream(visits(2, 100)).sum());
    }

    @Test
    void aNestedCallRunsItsRangesInPlace() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            AtomicIntegerArray inner = new AtomicIntegerArray(4 * 10);
            Parallel.forRange(4, 4, (from, to) -> {
                for (int outer = from; outer < to; outer++) {
                    int base = outer * 10;
                    Parallel.forRange(2, 10, (a, b) -> {
                        for (int i = a; i < b; i++) {
                            inner.incrementAndGet(base + i);
                        }
                    });
                }
            });
            for (int i = 0; i < 40; i++) {
                assertEquals(1, inner.get(i), "inner index " + i);
            }
        });
    }

    @Test
    void manyQuickCallsFromSeveralThreadsNeverHang() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            List<Thread> callers = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int c = 0; c < 3; c++) {
                Thread t = new Thread(() -> {
                    try {
                        for (int i = 0; i < 5_000; i++) {
                            int[] v = visits(2 + i % 3, 1 + i % 17);
                            for (int x : v) {
                                if (x != 1) {
                                    throw new AssertionError("an index visited " + x + " times");
                                }
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                callers.add(t);
                t.start();
            }
            for (Thread t : callers) {
                t.join();
            }
            assertEquals(List.of(), failures);
        });
    }

    @Test
    void anIdleTeamWakesUpForTheNextCall() throws Exception {
        assertEquals(8, java.util.Arrays.stream(visits(2, 8)).sum());
        Thread.sleep(5 * Parallel.SPIN_NANOS / 1_000_000 + 20);   // long past the spin: the workers have parked
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 100; i++) {
                assertEquals(8, java.util.Arrays.stream(visits(2, 8)).sum());
            }
        });
    }
}
