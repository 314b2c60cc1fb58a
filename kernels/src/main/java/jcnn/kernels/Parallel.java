package jcnn.kernels;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;

/**
 * The one shared thread pool. Work is split into a fixed number of contiguous ranges, so which thread computes
 * which element never changes the arithmetic: callers that keep each output's reduction inside one range get
 * bit-identical results whatever the thread count.
 */
public final class Parallel {

    /** A body over the index range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static ExecutorService pool;
    private static int poolThreads;

    private Parallel() {
    }

    /**
     * Runs {@code body} over [0, count) split into at most {@code threads} contiguous ranges of near-equal size;
     * the calling thread runs the first range. Returns when every range has finished; an exception in any range
     * is rethrown.
     */
    public static void forRange(int threads, int count, RangeBody body) {
        int parts = Math.min(threads, count);
        if (parts <= 1) {
            if (count > 0) {
                body.run(0, count);
            }
            return;
        }
        ExecutorService executor = executor(parts - 1);
        @SuppressWarnings("unchecked")
        Future<?>[] futures = new Future<?>[parts - 1];
        for (int t = 1; t < parts; t++) {
            int from = (int) ((long) count * t / parts), to = (int) ((long) count * (t + 1) / parts);
            futures[t - 1] = executor.submit(() -> body.run(from, to));
        }
        body.run(0, (int) ((long) count / parts));
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a parallel range", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    private static synchronized ExecutorService executor(int workers) {
        if (pool == null || poolThreads < workers) {
            if (pool != null) {
                pool.shutdown();
            }
            poolThreads = workers;
            pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "jcnn-worker");
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }
}
