package jcnn.bench.peers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import jcnn.bench.InferenceBench;
import jcnn.bench.TrainStepBench;

/**
 * Ours and the peers in alternating rounds in one JVM, for a host whose speed drifts from minute to minute (a
 * shared VM): JMH runs one benchmark after the other, so a slow minute lands on one side only, and on 2026-12-02's
 * EPYC its error bars were 30-50%. Here each round runs every side for about half a second in turn, many rounds;
 * the report gives each side's best and median round and the ratios of both, so that drift hits every side alike.
 *
 * <p>Usage (the peers' class path and environment of bench/run-peers.sh, JDK 25):
 * {@code java ... jcnn.bench.peers.PeerRounds train|infer THREADS [batch ...]}: training steps of the seed CNN,
 * ours ({@link TrainStepBench}, vector kernels) against PyTorch ({@link DjlTrainStepBench}), or inference of 1000
 * images against PyTorch and ONNX Runtime ({@code -Djcnn.onnx.model=...}). One thread count per JVM: libtorch's
 * thread pool is per process.
 */
public final class PeerRounds {

    private static final int ROUNDS = 15;
    private static final long ROUND_NANOS = 500_000_000L;

    private PeerRounds() {
    }

    /** One side of the comparison: a name and one operation. */
    private record Side(String name, Runnable op) {
    }

    public static void main(String[] args) throws Exception {
        String what = args[0];
        int threads = Integer.parseInt(args[1]);
        List<Integer> batches = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            batches.add(Integer.parseInt(args[i]));
        }
        if (batches.isEmpty()) {
            batches.add(what.equals("infer") ? 1000 : 64);
        }
        for (int batch : batches) {
            List<Side> sides = new ArrayList<>();
            List<AutoCloseable> closing = new ArrayList<>();
            if (what.equals("train")) {
                TrainStepBench ours = new TrainStepBench();
                ours.batch = batch;
                ours.kernel = "vector";
                ours.threads = threads;
                ours.setup();
                sides.add(new Side("jcnn", ours::step));
                DjlTrainStepBench torch = new DjlTrainStepBench();
                torch.batch = batch;
                torch.threads = threads;
                torch.setup();
                sides.add(new Side("PyTorch", torch::step));
                closing.add(torch::tearDown);
            } else {
                InferenceBench ours = new InferenceBench();
                ours.batch = batch;
                ours.kernel = "vector";
                ours.threads = threads;
                ours.setup();
                sides.add(new Side("jcnn", ours::infer));
                DjlInferenceBench torch = new DjlInferenceBench();
                torch.batch = batch;
                torch.threads = threads;
                torch.setup();
                sides.add(new Side("PyTorch", torch::infer));
                closing.add(torch::tearDown);
                if (System.getProperty("jcnn.onnx.model") != null) {
                    OrtInferenceBench ort = new OrtInferenceBench();
                    ort.batch = batch;
                    ort.threads = threads;
                    ort.setup();
                    sides.add(new Side("ONNX Runtime", () -> {
                        try {
                            ort.infer();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }));
                    closing.add(ort::tearDown);
                }
            }
            // Warm-up: 12 s of alternation (C2 needs about 10 s for the vector kernels).
            long warm = System.nanoTime() + 12_000_000_000L;
            while (System.nanoTime() < warm) {
                for (Side s : sides) {
                    s.op.run();
                }
            }
            double[][] perOp = new double[sides.size()][ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < sides.size(); i++) {
                    Runnable op = sides.get(i).op;
                    long t0 = System.nanoTime(), t;
                    int ops = 0;
                    do {
                        op.run();
                        ops++;
                        t = System.nanoTime();
                    } while (t - t0 < ROUND_NANOS);
                    perOp[i][round] = (t - t0) / 1e6 / ops;
                }
            }
            System.out.printf(Locale.ROOT, "%s, batch %d, %d thread(s), %d rounds of %.1f s each side, ms per op%n",
                    what, batch, threads, ROUNDS, ROUND_NANOS / 1e9);
            double[] ourBest = stats(perOp[0]);
            for (int i = 0; i < sides.size(); i++) {
                double[] s = stats(perOp[i]);
                System.out.printf(Locale.ROOT, "  %-13s best %8.3f  median %8.3f  (%,.0f / %,.0f images/s)%s%n",
                        sides.get(i).name, s[0], s[1], batch / s[0] * 1e3, batch / s[1] * 1e3,
                        i == 0 ? "" : String.format(Locale.ROOT, "   jcnn / %s: best %.2fx, median %.2fx",
                                sides.get(i).name, s[0] / ourBest[0], s[1] / ourBest[1]));
            }
            for (AutoCloseable c : closing) {
                c.close();
            }
        }
    }

    /** The best and the median of the rounds. */
    private static double[] stats(double[] rounds) {
        double[] sorted = rounds.clone();
        Arrays.sort(sorted);
        return new double[] {sorted[0], sorted[sorted.length / 2]};
    }
}
