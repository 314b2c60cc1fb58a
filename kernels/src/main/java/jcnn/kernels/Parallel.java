package jcnn.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The one shared team of worker threads. Work is split into a fixed number of contiguous ranges, so which thread
 * computes which element never changes the arithmetic: callers that keep each output's reduction inside one range
 * get bit-identical results whatever the thread count, and whichever thread happens to run a range.
 *
 * <p>Why not an {@code ExecutorService}: a training step makes a dozen parallel calls of 0.1 to 2 ms each, and a
 * fixed pool's hand-off (a future per range, a worker woken from its queue's park) cost tens of microseconds per
 * call on a VM, during which the caller sat in {@code Future.get}. Here the workers are persistent: after a call
 * they spin for a short while ({@link #SPIN_NANOS}) watching for the next one, then park, so that a step's calls
 * in quick succession start at once while an idle engine costs no CPU (spinning without end is what made PyTorch's
 * OpenMP threads collapse on a shared 2-vCPU machine). The ranges are claimed, not assigned: the caller takes
 * ranges too, so a worker that wakes late makes the call slower, never stuck.
 *
 * <p>Nested or concurrent calls (a range that itself calls {@code forRange}, or two threads each running a model)
 * never wait for each other: a call that finds the team busy runs its ranges itself, in order. The ranges are the
 * same either way, and so are the results.
 */
public final class Parallel {

    /** A body over the index range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** How long an idle worker watches for the next call before it parks: a few of a step's gaps between calls. */
    static final long SPIN_NANOS = 50_000;

    /** Taken by the call the team works on (not reentrant: a nested call must not take it again). */
    private static final AtomicBoolean BUSY = new AtomicBoolean();
    private static final Object GROW_LOCK = new Object();
    private static volatile Worker[] workers = new Worker[0];
    /** The call in progress, or the last one; workers compare its sequence number with the last they saw. */
    private static volatile Call current;

    private Parallel() {
    }

    /**
     * Runs {@code body} over [0, count) split into at most {@code threads} contiguous ranges of near-equal size.
     * Range r is [count * r / parts, count * (r + 1) / parts). The calling thread runs ranges too. Returns when every
     * range has finished; the first exception thrown by a range is rethrown (a RuntimeException or Error as it is,
     * anything else wrapped in an IllegalStateException).
     */
    public static void forRange(int threads, int count, RangeBody body) {
        run(Math.min(threads, count), count, Math.min(threads, count), body);
    }

    /** An action on one index, for {@link #forEach}. */
    @FunctionalInterface
    public interface IndexBody {
        void run(int index);
    }

    /**
     * Runs {@code body} for every index in [0, count) on at most {@code threads} threads (the caller included),
     * each index claimed on its own, in increasing order of claims: for a few large independent items (a training
     * step's chunks), so that a thread that starts late, or runs slower, takes fewer of them. Exceptions as
     * {@link #forRange}.
     */
    public static void forEach(int threads, int count, IndexBody body) {
        run(Math.min(threads, count), count, count, (from, to) -> {
            for (int i = from; i < to; i++) {
                body.run(i);
            }
        });
    }

    /** [0, count) in {@code parts} ranges, claimed by the caller and {@code helpers - 1} workers. */
    private static void run(int helpers, int count, int parts, RangeBody body) {
        if (helpers <= 1 || parts <= 1) {
            if (count > 0) {
                body.run(0, count);
            }
            return;
        }
        if (!BUSY.compareAndSet(false, true)) {
            // Nested in a range of another call, or another thread's call is running: the ranges in order, here.
            for (int r = 0; r < parts; r++) {
                body.run(Call.from(count, parts, r), Call.from(count, parts, r + 1));
            }
            return;
        }
        try {
            Worker[] team = team(helpers - 1);
            Call previous = current;
            Call call = new Call(previous == null ? 1 : previous.sequence + 1, body, count, parts,
                    Thread.currentThread());
            current = call;
            for (int w = 0; w < helpers - 1; w++) {
                team[w].wake();
            }
            call.work();
            call.awaitDone();
            call.rethrow();
        } finally {
            BUSY.set(false);
        }
    }

    /** At least {@code size} workers, started on first use and kept for the life of the JVM (daemon threads). */
    private static Worker[] team(int size) {
        Worker[] team = workers;
        if (team.length >= size) {
            return team;
        }
        synchronized (GROW_LOCK) {
            team = workers;
            if (team.length < size) {
                Worker[] grown = java.util.Arrays.copyOf(team, size);
                for (int w = team.length; w < size; w++) {
                    grown[w] = new Worker(w + 1, current == null ? 0 : current.sequence);
                    grown[w].thread.start();
                }
                workers = grown;
                team = grown;
            }
            return team;
        }
    }

    /** One call of {@link #forRange}: its ranges, the next one to claim, and how many are still running. */
    private static final class Call {
        final long sequence;
        final RangeBody body;
        final int count, parts;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger unfinished;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Call(long sequence, RangeBody body, int count, int parts, Thread caller) {
            this.sequence = sequence;
            this.body = body;
            this.count = count;
            this.parts = parts;
            this.caller = caller;
            this.unfinished = new AtomicInteger(parts);
        }

        static int from(int count, int parts, int r) {
            return (int) ((long) count * r / parts);
        }

        /** Claims and runs ranges until none is left. */
        void work() {
            for (int r = next.getAndIncrement(); r < parts; r = next.getAndIncrement()) {
                try {
                    body.run(from(count, parts, r), from(count, parts, r + 1));
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);   // the first to fail wins, even when two fail at once
                } finally {
                    if (unfinished.decrementAndGet() == 0) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }

        /** The caller, once it has nothing left to claim: waits for the ranges the workers are still running. */
        void awaitDone() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            boolean interrupted = false;
            while (unfinished.get() > 0) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                    interrupted |= Thread.interrupted();   // finish the call; keep the interrupt for the caller
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        void rethrow() {
            Throwable t = failure.get();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }

    /** A persistent worker: waits for a call it has not seen, helps with it, and waits again. */
    private static final class Worker implements Runnable {
        final Thread thread;
        private long seen;
        private volatile boolean parked;

        Worker(int index, long seen) {
            this.seen = seen;
            this.thread = new Thread(this, "jcnn-worker-" + index);
            this.thread.setDaemon(true);
        }

        void wake() {
            if (parked) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            while (true) {
                Call call = awaitCall();
                seen = call.sequence;
                call.work();
            }
        }

        private Call awaitCall() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (true) {
                Call call = current;
                if (call != null && call.sequence != seen) {
                    return call;
                }
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                call = current;   // a call published just before parked was set would not unpark us: look again
                if (call == null || call.sequence == seen) {
                    LockSupport.park(this);
                }
                parked = false;
                Thread.interrupted();   // a daemon worker has no one to report an interrupt to
                spinUntil = System.nanoTime() + SPIN_NANOS;
            }
        }
    }
}
