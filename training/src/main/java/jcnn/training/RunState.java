package jcnn.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.core.Tensor;
import jcnn.training.nn.Module;
import jcnn.training.optim.Optimizer;

/**
 * What a training run keeps besides the model and the optimizer: the finished epochs, the best epoch's weights
 * (by validation accuracy), and the {@link Checkpoint} of the last finished epoch, from which a run resumes
 * bit-identically. The {@link Trainer}'s loop asks it three things: where to start ({@link #nextEpoch}), whether
 * an epoch is the best so far ({@link #offer}), and to record a finished epoch ({@link #finish}).
 *
 * <p>The best weights live in arrays allocated once, in the model's state order, so keeping a new best copies
 * values and allocates nothing. "Weights" here is the model's whole state ({@link Module#namedState()}): the
 * parameters and the buffers (batch normalisation's running statistics), so that the kept best epoch is evaluated
 * with its own statistics.
 */
public final class RunState {

    private final Module model;
    private final Recipe recipe;
    private final Optimizer optimizer;
    private final Map<String, Tensor> parameters;
    /** The best epoch's weights, in {@link #parameters} order; meaningful once {@link #bestEpoch} is not 0. */
    private final float[][] best;

    private final List<EpochMetrics> epochs = new ArrayList<>();
    private int bestEpoch;
    private double bestAccuracy = Double.NEGATIVE_INFINITY;
    private long skippedBatches;

    /** Where a checkpoint is written after every epoch; null for none. */
    private Path checkpointFile;
    private int stepsPerEpoch, trainImages, validationImages;
    private String kernels;

    RunState(Module model, Recipe recipe, Optimizer optimizer) {
        this.model = model;
        this.recipe = recipe;
        this.optimizer = optimizer;
        this.parameters = model.namedState();
        this.best = new float[parameters.size()][];
        int i = 0;
        for (Tensor p : parameters.values()) {
            best[i++] = new float[p.size()];
        }
    }

    /**
     * Checks that a run of this recipe, optimizer and parameters can continue from {@code checkpoint}, changing
     * nothing; the sizes of the data are checked by {@link #begin}, when the data is known.
     *
     * @throws IllegalArgumentException naming what does not match
     */
    void checkResumable(Checkpoint checkpoint, String source) {
        if (!checkpoint.recipe().equals(recipe)) {
            List<String> diff = new ArrayList<>();
            Map<String, Object> mine = recipe.asMap();
            checkpoint.recipe().asMap().forEach((k, v) -> {
                if (!v.equals(mine.get(k))) {
                    diff.add(k + "=" + mine.get(k) + " (checkpoint: " + v + ")");
                }
            });
            throw new IllegalArgumentException("cannot resume from " + source + ": the recipe differs: "
                    + String.join(", ", diff));
        }
        String kind = optimizer.getClass().getSimpleName();
        if (!checkpoint.optimizer().equals(kind)) {
            throw new IllegalArgumentException("cannot resume from " + source + ": it holds the state of "
                    + checkpoint.optimizer() + ", this trainer's optimizer is " + kind);
        }
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
            Tensor saved = checkpoint.weights().get(e.getKey());
            if (saved == null || !Arrays.equals(saved.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("cannot resume from " + source + ": tensor '" + e.getKey()
                        + "' is " + (saved == null ? "missing" : "of shape " + saved.shapeString())
                        + ", the model's is " + e.getValue().shapeString());
            }
        }
        if (checkpoint.weights().size() != parameters.size()) {
            throw new IllegalArgumentException("cannot resume from " + source + ": it holds parameters "
                    + checkpoint.weights().keySet() + ", the model has " + parameters.keySet());
        }
    }

    /**
     * Starts a run on data of these sizes: afresh, or from {@code resume} (already checked with
     * {@link #checkResumable}; null for a fresh run), whose weights, optimizer state, best weights and history
     * are put back.
     *
     * @param checkpointFile where to write a checkpoint after each epoch; null for none
     */
    void begin(Checkpoint resume, String source, int stepsPerEpoch, int trainImages, int validationImages,
               Path checkpointFile, String kernels) {
        this.stepsPerEpoch = stepsPerEpoch;
        this.trainImages = trainImages;
        this.validationImages = validationImages;
        this.checkpointFile = checkpointFile;
        this.kernels = kernels;
        epochs.clear();
        bestEpoch = 0;
        bestAccuracy = Double.NEGATIVE_INFINITY;
        skippedBatches = 0;
        if (resume == null) {
            return;
        }
        Checkpoint c = resume;
        if (c.stepsPerEpoch() != stepsPerEpoch || c.trainImages() != trainImages
                || c.validationImages() != validationImages) {
            throw new IllegalArgumentException("cannot resume from " + source + ": it trained on "
                    + c.trainImages() + " images in " + c.stepsPerEpoch() + " batches and validated on "
                    + c.validationImages() + ", this data has " + trainImages + " in " + stepsPerEpoch + " and "
                    + validationImages);
        }
        model.loadState(c.weights(), source);
        optimizer.loadState(c.optimizerState(), source);
        epochs.addAll(c.history());
        bestEpoch = c.bestEpoch();
        bestAccuracy = c.bestAccuracy();
        int i = 0;
        for (String name : parameters.keySet()) {
            if (bestEpoch != 0) {
                System.arraycopy(c.bestWeights().get(name).data(), 0, best[i], 0, best[i].length);
            }
            i++;
        }
        skippedBatches = c.skippedBatches();
    }

    /** The 1-based epoch to train next. */
    int nextEpoch() {
        return epochs.size() + 1;
    }

    /** The finished epochs so far, in order. */
    List<EpochMetrics> epochs() {
        return List.copyOf(epochs);
    }

    /** Batches skipped before this run's first epoch (by the run a checkpoint continues). */
    long skippedBatches() {
        return skippedBatches;
    }

    /**
     * Offers the model's current weights as those of {@code epoch}, with its validation accuracy (NaN without a
     * validation set, where every epoch is "best", so the last one is kept); true, and kept, when they are the
     * best so far.
     */
    boolean offer(int epoch, double validationAccuracy) {
        boolean isBest = Double.isNaN(validationAccuracy) || validationAccuracy > bestAccuracy;
        if (isBest) {
            bestAccuracy = validationAccuracy;
            bestEpoch = epoch;
            int i = 0;
            for (Tensor p : parameters.values()) {
                System.arraycopy(p.data(), 0, best[i++], 0, p.size());
            }
        }
        return isBest;
    }

    /**
     * Records a finished epoch and, when there is a checkpoint file, replaces it atomically with this epoch's.
     *
     * @param skipped batches skipped so far, this run's and its checkpoint's
     * @throws UncheckedIOException when the checkpoint cannot be written
     */
    void finish(EpochMetrics metrics, long skipped) {
        epochs.add(metrics);
        this.skippedBatches = skipped;
        if (checkpointFile == null) {
            return;
        }
        Map<String, Tensor> bestWeights = bestEpoch == 0 ? Map.of() : bestState();
        Checkpoint c = new Checkpoint(recipe, epochs.size(), stepsPerEpoch, trainImages, validationImages,
                model.state(), optimizer.getClass().getSimpleName(), optimizer.state(), bestEpoch, bestAccuracy,
                bestWeights, epochs, skipped, kernels);
        try {
            c.save(checkpointFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + checkpointFile + ": " + e.getMessage(), e);
        }
    }

    /** What a stopped run says of its checkpoint: which epoch the file keeps, or that there is none. */
    String checkpointNote() {
        if (checkpointFile == null) {
            return "";
        }
        return epochs.isEmpty() ? "; no epoch finished, so there is no checkpoint"
                : "; the checkpoint " + checkpointFile + " keeps epoch " + epochs.size();
    }

    /** The 1-based epoch whose weights are kept; 0 before the first epoch has finished. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** Copies the kept best-epoch weights back into the model. */
    public void restoreBest() {
        requireBest();
        int i = 0;
        for (Tensor p : parameters.values()) {
            System.arraycopy(best[i++], 0, p.data(), 0, p.size());
        }
    }

    /** A copy of the kept best-epoch weights, by parameter name (to save, or to compare). */
    public Map<String, Tensor> bestState() {
        requireBest();
        Map<String, Tensor> state = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
            state.put(e.getKey(), Tensor.of(best[i++].clone(), e.getValue().shape()));
        }
        return state;
    }

    private void requireBest() {
        if (bestEpoch == 0) {
            throw new IllegalStateException("no best weights yet: fit() has not finished an epoch");
        }
    }
}
