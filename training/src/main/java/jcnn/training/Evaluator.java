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
 * of the previous one.
 *
 * <p>With {@code mirror} ({@code tta=true}: test-time augmentation), every image is classified twice, as it is and
 * flipped left to right, and its probabilities are the mean of the two softmaxes: what the model says about a
 * garment it was trained to see both ways round ({@code flip=true}). The logits it returns are the logarithms of
 * those mean probabilities, so every later softmax (the loss, the reports' ROC curves) sees them. Non-goals: metrics
 * beyond loss and accuracy (those are {@code jcnn.eval}'s), random augmentation.
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
    public static Evaluation evaluate(Module model, Dataset data, int batchSize, boolean keepLogits) {
        return evaluate(model, data, batchSize, keepLogits, false);
    }

    /**
     * {@link #evaluate(Module, Dataset, int, boolean)}, and when {@code mirror}, on every image and its mirror image
     * together: the probabilities of the two passes averaged ({@link #averageProbabilities}).
     */
    @SuppressWarnings("try")   // the NoGrad scope is used for its effect, not referenced
    public static Evaluation evaluate(Module model, Dataset data, int batchSize, boolean keepLogits,
                                      boolean mirror) {
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
        BatchBuffers fullMirror = mirror ? new BatchBuffers(full.labels.length, data) : null;
        BatchBuffers tailMirror = !mirror || tail == full ? fullMirror : new BatchBuffers(tail.labels.length, data);
        float[] averaged = null;   // the mean probabilities' logarithms of a mirrored batch, (m, classes)
        float[] all = null;
        int classes = 0;
        double lossSum = 0;
        long correct = 0;
        BufferPool pool = new BufferPool();
        boolean wasTraining = model.isTraining();
        model.eval();   // running statistics, no dropout; the caller's mode is put back below
        try (NoGrad ignored = NoGrad.enter()) {
            for (int b = 0, done = 0; b < batcher.batchCount(); b++) {
                boolean last = b == batcher.batchCount() - 1;
                BatchBuffers buf = last ? tail : full;
                int m = batcher.fill(b, buf.images, buf.labels);
                try (BufferPool.Scope step = pool.open()) {   // the logits are read before the scope closes
                    Tensor logits = model.forward(buf.x);
                    if (mirror) {
                        BatchBuffers flipped = last ? tailMirror : fullMirror;
                        mirrorImages(buf.images, flipped.images, m, data.channels(), data.rows(), data.cols());
                        Tensor other = model.forward(flipped.x);
                        int width = logits.dim(1);
                        if (averaged == null || averaged.length != m * width) {   // once, and once for the tail
                            averaged = new float[Math.multiplyExact(m, width)];
                        }
                        averageProbabilities(logits.data(), other.data(), averaged, m, width);
                        logits = Tensor.of(averaged, m, width);
                    }
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

    /**
     * Writes to each row of {@code out} the logarithm of the mean of the softmaxes of the same rows of {@code a} and
     * {@code b} ((rows, classes) row-major): {@code log((softmax(a) + softmax(b)) / 2)}, in double precision. A
     * softmax of the result is that mean itself. It works from the log-softmaxes, adding them as
     * {@code max + log1p(exp(min - max)) - log 2}, so a class that both passes rule out keeps a finite, very
     * negative logit where the mean probability itself would round to zero.
     */
    static void averageProbabilities(float[] a, float[] b, float[] out, int rows, int classes) {
        for (int i = 0; i < rows; i++) {
            int off = i * classes;
            double normA = logSumExp(a, off, classes), normB = logSumExp(b, off, classes);
            for (int j = off; j < off + classes; j++) {
                double la = a[j] - normA, lb = b[j] - normB;
                double hi = Math.max(la, lb), lo = Math.min(la, lb);
                out[j] = (float) (hi + Math.log1p(Math.exp(lo - hi)) - LOG_2);
            }
        }
    }

    private static final double LOG_2 = Math.log(2);

    /** {@code log(sum_j exp(v[off + j]))} over {@code n} values, shifted by their largest so that none overflows. */
    private static double logSumExp(float[] v, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = off; j < off + n; j++) {
            max = Math.max(max, v[j]);
        }
        double sum = 0;
        for (int j = off; j < off + n; j++) {
            sum += Math.exp(v[j] - max);
        }
        return max + Math.log(sum);
    }

    /**
     * Writes into {@code out} the first {@code n} images of {@code in} ((n, channels, rows, cols), row-major)
     * flipped left to right: column {@code c} of each row becomes column {@code cols - 1 - c}.
     */
    static void mirrorImages(float[] in, float[] out, int n, int channels, int rows, int cols) {
        for (int row = 0; row < n * channels * rows; row++) {
            int off = row * cols;
            for (int c = 0; c < cols; c++) {
                out[off + c] = in[off + cols - 1 - c];
            }
        }
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
