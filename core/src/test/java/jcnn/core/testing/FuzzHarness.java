package jcnn.core.testing;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the parser fuzzers (safetensors, IDX, HDF5) share: each corrupted file is read on a worker thread, so that a
 * hang is reported after a time limit instead of stalling the build, and the bytes that read allocates are measured
 * on that thread, so that a length field believed without a check shows up as an allocation out of proportion to
 * the file. The outcomes are counted (rejected by field, parsed, other) for the summary line each fuzzer prints.
 *
 * <p>Each fuzzer keeps its own judgement of an outcome (which exception names the file and field, what a consistent
 * result is); this class only runs, measures and counts.
 */
public final class FuzzHarness implements AutoCloseable {

    /**
     * Shrink steps for a failing fuzz try: each step reads a file again, and a hang costs the whole time limit per
     * step, so fewer than for the numeric properties.
     */
    public static final int SHRINK_CYCLES = 100;

    private final String name;
    private final long timeLimitMs;
    private ExecutorService worker;
    private final Map<String, Integer> rejected = new TreeMap<>();
    private int parsed;
    /** Inputs that failed the property (shrinking runs a failing case again, so each of its runs counts). */
    private int other;
    private long startNanos = System.nanoTime();

    /** {@code name} labels the worker thread and the summary line; a read over {@code timeLimitMs} is a hang. */
    public FuzzHarness(String name, long timeLimitMs) {
        this.name = name;
        this.timeLimitMs = timeLimitMs;
        this.worker = newWorker();
    }

    /**
     * Runs {@code read} on the worker and returns what it returned or the throwable it threw (errors included: the
     * caller judges them). Throws an {@link AssertionError} naming {@code what} if it takes longer than the time
     * limit or allocates more than {@code allowedBytes} for a {@code fileBytes}-byte input.
     */
    public Object read(Callable<?> read, int fileBytes, long allowedBytes, String what) throws Exception {
        long[] allocated = new long[1];
        Future<Object> result = worker.submit(() -> {
            ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = mx.getCurrentThreadAllocatedBytes();
            try {
                return read.call();
            } catch (Throwable t) {   // everything, errors included, is judged by the caller
                return t;
            } finally {
                allocated[0] = mx.getCurrentThreadAllocatedBytes() - before;
            }
        });
        Object outcome;
        try {
            outcome = result.get(timeLimitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            worker.shutdownNow();   // the stuck thread is a daemon; later tries get a fresh one
            worker = newWorker();
            throw new AssertionError(what + ": no result after " + timeLimitMs + " ms");
        }
        if (allocated[0] > allowedBytes) {
            throw new AssertionError(what + ": allocated " + allocated[0] + " bytes for a " + fileBytes
                    + "-byte file (allowed " + allowedBytes + ")");
        }
        return outcome;
    }

    /**
     * Runs one try; if it fails, counts it as "other" and rethrows (a checked exception, which the reads never
     * throw past {@link #read}, as an {@link AssertionError}), so that a property's body can call it directly.
     */
    public void attempt(Attempt body) {
        try {
            body.run();
        } catch (RuntimeException | Error e) {
            other++;
            throw e;
        } catch (Exception e) {
            other++;
            throw new AssertionError(e.toString(), e);
        }
    }

    /** One try of a fuzzer: mutate, read, judge. */
    @FunctionalInterface
    public interface Attempt {
        void run() throws Exception;
    }

    /** Counts an input refused with an error naming {@code field}. */
    public void rejected(String field) {
        rejected.merge(field, 1, Integer::sum);
    }

    /** Counts an input that read and passed the fuzzer's consistency checks. */
    public void parsed() {
        parsed++;
    }

    /** Forgets the warm-up reads (class loading is not to be counted) and restarts the clock. */
    public void startCounting() {
        rejected.clear();
        parsed = 0;
        other = 0;
        startNanos = System.nanoTime();
    }

    /** "safetensors fuzz: 10000 inputs in 30.1 s, 9228 rejected (by field: header 4386, ...), 772 parsed, 0 other". */
    public String summary() {
        int refused = rejected.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder byField = new StringBuilder();
        rejected.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> byField.append(byField.isEmpty() ? "" : ", ").append(e.getKey()).append(' ')
                        .append(e.getValue()));
        return String.format("%s fuzz: %d inputs in %.1f s, %d rejected (by field: %s), %d parsed, %d other",
                name, refused + parsed + other, (System.nanoTime() - startNanos) / 1e9, refused, byField, parsed,
                other);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    /** {@code bytes} with {@code remove} bytes at {@code at} replaced by {@code insert}. */
    public static byte[] splice(byte[] bytes, int at, int remove, byte[] insert) {
        byte[] out = new byte[bytes.length - remove + insert.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(bytes, at + remove, out, at + insert.length, bytes.length - at - remove);
        return out;
    }

    private ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, name + "-fuzz");
            t.setDaemon(true);
            return t;
        });
    }
}
