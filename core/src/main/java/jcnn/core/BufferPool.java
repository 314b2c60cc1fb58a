package jcnn.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reuses the large arrays of a training step instead of allocating them anew each time.
 *
 * <p>Why: one step of the seed CNN at batch 64 creates about 20 MB of activations, gradients and saved state.
 * Allocating that per step keeps the garbage collector busy and, for arrays this large, costs page faults on
 * every step. A step asks for the same sizes in the same order every time, so a pool that takes the arrays back
 * at the end of the step serves every later step from memory it already has.
 *
 * <p>Use: open a scope around everything whose intermediate tensors die with the step, and copy out what must
 * outlive it (the loss value, predictions) before closing:
 * <pre>{@code
 * BufferPool pool = new BufferPool();          // one per training loop, reused for every step
 * try (var step = pool.open()) {
 *     Tensor loss = Ops.crossEntropy(model.forward(x), y);
 *     loss.backward();
 *     optimizer.step();
 *     lossSum += loss.item();
 * }                                            // every op output and its gradient go back to the pool
 * }</pre>
 * Only op outputs, their gradients and the state ops save for backward come from the pool; leaf tensors
 * (parameters, their gradients, inputs) are never pooled, so they survive the scope. A tensor created inside a
 * scope must not be used after it closes: its array is handed to the next step.
 *
 * <p>Non-goals: sharing across threads (a pool serves one thread at a time: the one that opened its scope, or
 * the one that {@linkplain Scope#resume resumed} it), freeing memory (the pool
 * keeps what it has, which is the point).
 */
public final class BufferPool {

    private static final ThreadLocal<BufferPool> CURRENT = new ThreadLocal<>();

    /** Free arrays by exact length. A step uses a couple of dozen distinct sizes, so a list beats a map. */
    private final List<float[]> freeFloats = new ArrayList<>();
    private final List<int[]> freeInts = new ArrayList<>();
    private final List<float[]> usedFloats = new ArrayList<>();
    private final List<int[]> usedInts = new ArrayList<>();
    private boolean open;
    /** The one scope object of this pool, reused by every {@link #open}: one scope is open at a time. */
    private final Scope scope = new Scope();
    private long reused;
    private long allocated;

    /**
     * Makes this pool the current one of this thread until the scope closes; arrays handed out meanwhile
     * return to the pool on close.
     */
    public Scope open() {
        if (open) {
            throw new IllegalStateException("BufferPool: a scope of this pool is already open");
        }
        open = true;
        scope.previous = CURRENT.get();
        scope.suspended = false;
        CURRENT.set(this);
        return scope;
    }

    /** How many arrays this pool has allocated since it was created; constant once every step is served. */
    public long allocations() {
        return allocated;
    }

    /** How many arrays were served from the pool, and how many had to be allocated, since it was created. */
    public String stats() {
        return "reused " + reused + ", allocated " + allocated;
    }

    /** Whether a scope is open on this thread. */
    static boolean active() {
        return CURRENT.get() != null;
    }

    /** A zero-filled float array of {@code length}: pooled inside a scope, a new one outside. */
    static float[] floats(int length) {
        BufferPool pool = CURRENT.get();
        return pool == null ? new float[length] : pool.takeFloats(length, true);
    }

    /**
     * A float array of {@code length} with unspecified contents, for an output that a kernel overwrites whole
     * (every forward kernel does): pooled inside a scope, a new one outside. Skipping the zero-fill saves a pass
     * over every activation of a step (11 MB at batch 64).
     */
    static float[] floatsToOverwrite(int length) {
        BufferPool pool = CURRENT.get();
        return pool == null ? new float[length] : pool.takeFloats(length, false);
    }

    /** An int array of {@code length} with unspecified contents: pooled inside a scope, a new one outside. */
    static int[] ints(int length) {
        BufferPool pool = CURRENT.get();
        return pool == null ? new int[length] : pool.takeInts(length);
    }

    private float[] takeFloats(int length, boolean zeroed) {
        float[] a = null;
        for (int i = freeFloats.size() - 1; i >= 0; i--) {
            if (freeFloats.get(i).length == length) {
                a = freeFloats.remove(i);
                break;
            }
        }
        if (a == null) {
            a = new float[length];
            allocated++;
        } else {
            if (zeroed) {
                Arrays.fill(a, 0f);
            }
            reused++;
        }
        usedFloats.add(a);
        return a;
    }

    private int[] takeInts(int length) {
        int[] a = null;
        for (int i = freeInts.size() - 1; i >= 0; i--) {
            if (freeInts.get(i).length == length) {
                a = freeInts.remove(i);
                break;
            }
        }
        if (a == null) {
            a = new int[length];
            allocated++;
        } else {
            reused++;
        }
        usedInts.add(a);
        return a;
    }

    /**
     * An open scope of a pool; closing it returns the scope's arrays and restores the previous pool. A scope may
     * move between threads: {@link #suspend} on one, {@link #resume} on another (a data-parallel step runs a
     * chunk's forward pass on one thread and its backward pass on whichever thread takes it later).
     */
    public final class Scope implements AutoCloseable {
        private BufferPool previous;
        private boolean suspended;

        private Scope() {
        }

        /**
         * Stops the pool being the current one of this thread, the arrays it handed out still in use; the
         * thread's previous pool is current again.
         */
        public void suspend() {
            if (!open || suspended || CURRENT.get() != BufferPool.this) {
                throw new IllegalStateException("BufferPool: suspend of a scope that is not current on this thread");
            }
            suspended = true;
            restorePrevious();
        }

        /** Makes a suspended scope's pool the current one of the calling thread again, until suspend or close. */
        public void resume() {
            if (!open || !suspended) {
                throw new IllegalStateException("BufferPool: resume of a scope that is not suspended");
            }
            suspended = false;
            previous = CURRENT.get();
            CURRENT.set(BufferPool.this);
        }

        @Override
        public void close() {
            if (!open) {
                return;
            }
            open = false;
            // One by one: addAll copies the list it is given into a new array first, on every step.
            for (float[] a : usedFloats) {
                freeFloats.add(a);
            }
            for (int[] a : usedInts) {
                freeInts.add(a);
            }
            usedFloats.clear();
            usedInts.clear();
            if (!suspended) {
                restorePrevious();
            }
        }

        private void restorePrevious() {
            // set(null), not remove(): the next get() would create the removed entry again, once per step.
            CURRENT.set(previous);
            previous = null;
        }
    }
}
