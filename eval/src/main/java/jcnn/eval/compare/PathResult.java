package jcnn.eval.compare;

import java.util.List;
import jcnn.eval.report.TestResults;
import jcnn.kernels.TimedKernels;
import jcnn.training.EpochMetrics;

/**
 * What one kernel path of a {@link Comparison} produced: its training history, where its training time went, its
 * test-set logits and results, how long the test evaluation took, and its logits before training.
 *
 * @param role          "scalar" or "vector": the side of the comparison
 * @param kernels       the kernels' own name ({@code scalar}, {@code vector-512}, ...), for people to read
 * @param vectorBits    the kernels' vector width in bits, 0 for scalar ({@code Kernels.vectorBits()})
 * @param threads       the kernels' thread count
 * @param initialLogits (probe images, classes) row-major: the untrained model's logits on the first test images,
 *                      where the two paths' weights are still identical
 * @param epochs        one entry per training epoch
 * @param training      the kernel time breakdown of {@code Trainer.fit} (training steps and per-epoch validation)
 * @param logits        (test images, classes) row-major, from the last epoch's weights
 * @param testSeconds   wall time of the forward passes over the test set
 * @param test          accuracy, classification report and the rest, computed from {@code logits}
 */
public record PathResult(String role, String kernels, int vectorBits, int threads, float[] initialLogits,
                         List<EpochMetrics> epochs, TimedKernels.Breakdown training, float[] logits, double testSeconds, TestResults test) {

    public PathResult {
        epochs = List.copyOf(epochs);
    }

    /** Wall time of all epochs, validation included: what {@code Trainer.fit} took. */
    public double fitSeconds() {
        return epochs.stream().mapToDouble(EpochMetrics::seconds).sum();
    }

    /** Mean wall time per epoch, validation included. */
    public double secondsPerEpoch() {
        return fitSeconds() / epochs.size();
    }

    /** Mean time per epoch of the training steps alone (forward, backward, update). */
    public double trainSecondsPerEpoch() {
        return epochs.stream().mapToDouble(EpochMetrics::trainSeconds).sum() / epochs.size();
    }

    /** Training throughput over all epochs: images trained on per second of training steps. */
    public double trainImagesPerSecond() {
        long images = epochs.stream().mapToLong(EpochMetrics::trainImages).sum();
        return images / epochs.stream().mapToDouble(EpochMetrics::trainSeconds).sum();
    }

    /** Test-set throughput of the forward passes alone. */
    public double testImagesPerSecond() {
        return test.confusion().total() / testSeconds;
    }
}
