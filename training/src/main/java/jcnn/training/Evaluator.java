package jcnn.training;

import jcnn.core.BufferPool;
import jcnn.core.NoGrad;
import jcnn.core.Ops;
import jcnn.core.Tensor;
import jcnn.training.data.Batcher;
import jcnn.training.data.Dataset;
import jcnn.training.nn.Module;

/**
 * Runs a model over a dataset without training it: the mean loss, the accuracy and, on request, every logit. The
 * trainer validates with it after each epoch; the main program and the comparison test with it.
 * <pre>{@code
 * Evaluation e = Evaluator.evaluate(model, testSet, Evaluator.BATCH, true);
 * }</pre>
 * The model runs in evaluation mode ({@link Module#eval()}: batch normalisation with its running statistics, no
 * dropout), and its mode is restored afterwards. The images go through in order, under {@link NoGrad} (no graph is
 * recorded), with the kernels current on the
 * calling thread; each batch runs in a {@link BufferPool} scope, so the activations of one batch reuse the arrays
 * of the previous one. Non-goals: metrics beyond loss and accuracy (those are {@code jcnn.eval}'s), augmentation.
 */
public final class Evaluator {

    /** The batch size of evaluation passes: larger than training batches, since no graph is kept. */
    public static final int BATCH = 256;

    private Evaluator() {
    }

    /**
     * Runs {@code model} over every image of {@code data}, in order, {@code batchSize} at a time: the mean loss,
     * the accuracy and, when {@code keepLogits}, the logits of every image, (n, classes) row-major.
     */
    @SuppressWarnings("try")   // the NoGrad scope is used for its effect, not referenced
    public static Evaluation evaluate(Module model, Dataset data, int batchSize, boolean keepLogits) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("evaluation batch size must be >= 1, got " + batchSize);
        }
        int n = data.size();
        if (n == 0) {
            return new Evaluation(0, 0, Double.NaN, Double.NaN, keepLogits ? new float[0] : null);
        }
        Batcher batcher = new Batcher(data, batchSize, 0);   // in order: the seed is never used
        BatchBuffers full = new BatchBuffers(Math.min(batchSize, n), data);
        BatchBuffers tail = n % batchSize == 0 || n < batchSize ? full : new BatchBuffers(n % batchSize, data);
        float[] all = null;
        int classes = 0;
        double lossSum = 0;
        long correct = 0;
        BufferPool pool = new BufferPool();
        boolean wasTraining = model.isTraining();
        model.eval();   // running statistics, no dropout; the caller's mode is put back below
        try (NoGrad ignored = NoGrad.enter()) {
            for (int b = 0, done = 0; b < batcher.batchCount(); b++) {
                BatchBuffers buf = (b == batcher.batchCount() - 1) ? tail : full;
                int m = batcher.fill(b, buf.images, buf.labels);
                try (BufferPool.Scope step = pool.open()) {   // the logits are read before the scope closes
                    Tensor logits = model.forward(buf.x);
                    classes = logits.dim(1);
                    lossSum += (double) Ops.crossEntropy(logits, buf.labels).item() * m;
                    correct += countCorrect(logits.data(), buf.labels, m, classes);
                    if (keepLogits) {
                        if (all == null) {
                            all = new float[Math.multiplyExact(n, classes)];
                        }
                        System.arraycopy(logits.data(), 0, all, done * classes, m * classes);
                    }
                }
                done += m;
            }
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation(n, classes, lossSum / n, correct / (double) n, all);
    }

    /** How many of the {@code n} rows of {@code logits} (n, classes) have their first largest logit at the label. */
    static int countCorrect(float[] logits, int[] labels, int n, int classes) {
        int correct = 0;
        for (int i = 0; i < n; i++) {
            if (Evaluation.argmax(logits, i * classes, classes) == labels[i]) {
                correct++;
            }
        }
        return correct;
    }
}
