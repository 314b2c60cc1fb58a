package jcnn.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import jcnn.core.BufferPool;
import jcnn.core.Engine;
import jcnn.core.NoGrad;
import jcnn.core.Ops;
import jcnn.core.Tensor;
import jcnn.kernels.Kernels;
import jcnn.training.data.Batcher;
import jcnn.training.data.Dataset;
import jcnn.training.nn.Module;
import jcnn.training.optim.LrSchedule;
import jcnn.training.optim.Optimizer;
import jcnn.training.optim.Optimizers;

/**
 * Trains a classifier with a {@link Recipe}: mini-batches in a seeded random order each epoch, the optimizer and
 * learning-rate schedule the recipe names, validation after every epoch, and a copy of the weights of the best
 * epoch by validation accuracy.
 * <pre>{@code
 * Recipe recipe = Recipe.fromProperties(System.getProperties());
 * Dataset.Split split = Trainer.split(trainSet, recipe);
 * Sequential model = SeedCnn.create(new SplittableRandom(recipe.seed()));
 * Trainer trainer = new Trainer(model, recipe).addListener(m -> System.out.println(m.describe()));
 * History history = trainer.fit(split.train(), split.validation());
 * trainer.restoreBest();
 * float[] logits = Trainer.evaluate(model, testSet, 256, true).logits();
 * }</pre>
 *
 * <p>Goals: reproducibility and honest numbers. With the same recipe (seed included), model initialisation,
 * kernels and thread count, two runs give bit-identical weights: the order of the data depends only on (seed,
 * epoch), and nothing else in the loop is random. The training loop reuses its batch arrays (the {@link Batcher}
 * copies into them), and each step runs in a {@link BufferPool} scope, so the activations and gradients of one
 * step reuse the arrays of the previous one instead of being allocated anew. Timings
 * separate the training steps from validation, so images/s measures forward + backward + update only.
 *
 * <p>Reliability: with {@link #checkpointTo} a {@link Checkpoint} is written (atomically) after every epoch, and
 * {@link #resume} continues from one with bit-identical results. Every step checks that the loss and every
 * gradient are finite before the optimizer may use them; what happens otherwise is the {@link NanPolicy}: stop
 * (the default), naming the epoch, the batch and the layer, with the checkpoint of the last good epoch left in
 * place, or skip the batch. An epoch that ends with a non-finite weight (an update that overflowed) is never
 * checkpointed: training stops there.
 *
 * <p>The computation runs on the calling thread, with the kernels current there ({@link Engine#kernels()}, set
 * with {@link Engine#using}). Non-goals: data augmentation, early stopping, gradient clipping, mixed precision,
 * checkpoints in the middle of an epoch.
 */
public final class Trainer {

    /** The batch size of {@link #evaluate} passes: larger than training batches, since no graph is kept. */
    public static final int EVALUATION_BATCH = 256;

    private final Module model;
    private final Recipe recipe;
    private final Optimizer optimizer;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final Map<String, Tensor> parameters;
    private boolean progress = ConsoleProgress.enabledByDefault();
    private NanPolicy nanPolicy = NanPolicy.STOP;
    private Path checkpointFile;
    private Checkpoint resumeFrom;
    private String resumeSource;

    /**
     * The parameters in reverse order, the order backward computes their gradients in: the first non-finite one
     * there is where the trouble started.
     */
    private final List<Map.Entry<String, Tensor>> backwardOrder;

    /** The best epoch's weights, preallocated once, in {@link #parameters} order; empty until an epoch is kept. */
    private final float[][] best;
    private int bestEpoch;

    /** A trainer with the optimizer the recipe names ({@link Optimizers#fromRecipe}). */
    public Trainer(Module model, Recipe recipe) {
        this(model, recipe, Optimizers.fromRecipe(recipe, model.parameters()));
    }

    /**
     * A trainer with a given optimizer over {@code model}'s parameters; the recipe's epochs, batch size, schedule,
     * warm-up and seed still apply, and its learning rate is the schedule's base rate.
     */
    public Trainer(Module model, Recipe recipe, Optimizer optimizer) {
        this.model = Objects.requireNonNull(model, "model");
        this.recipe = Objects.requireNonNull(recipe, "recipe");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.parameters = model.namedParameters();
        if (!optimizer.parameters().equals(List.copyOf(parameters.values()))) {
            throw new IllegalArgumentException("the optimizer does not update this model's parameters");
        }
        List<Map.Entry<String, Tensor>> reversed = new ArrayList<>(parameters.entrySet());
        Collections.reverse(reversed);
        this.backwardOrder = List.copyOf(reversed);
        this.best = new float[parameters.size()][];
        int i = 0;
        for (Tensor p : parameters.values()) {
            best[i++] = new float[p.size()];
        }
    }

    /**
     * The recipe's train/validation split of a training set: its first {@code recipe.limit()} images (all when
     * 0), of which a seeded random {@code recipe.validationFraction()} is held out for validation. The validation
     * set is empty when the fraction is 0.
     */
    public static Dataset.Split split(Dataset trainingSet, Recipe recipe) {
        Dataset data = recipe.limit() > 0 ? trainingSet.limit(recipe.limit()) : trainingSet;
        if (recipe.validationFraction() == 0) {
            return new Dataset.Split(data, new Dataset(new float[0], new int[0], data.rows(), data.cols()));
        }
        return data.split(1 - recipe.validationFraction(), recipe.seed());
    }

    /** Adds a listener; returns this, to chain. */
    public Trainer addListener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Shows or hides the console progress bar. The default is on only on an interactive terminal and not with
     * {@code -Dprogress=false}, so tests and CI logs stay clean.
     */
    public Trainer showProgress(boolean show) {
        this.progress = show;
        return this;
    }

    /** What to do with a batch whose loss or gradient is not finite; {@link NanPolicy#STOP} by default. */
    public Trainer nanPolicy(NanPolicy policy) {
        this.nanPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * Writes a {@link Checkpoint} to {@code file} at the end of every epoch, replacing the previous one atomically,
     * before the listeners hear of the epoch (a listener that fails does not cost the checkpoint).
     */
    public Trainer checkpointTo(Path file) {
        this.checkpointFile = Objects.requireNonNull(file, "file");
        return this;
    }

    /**
     * Makes the next {@link #fit} continue the run saved in {@code checkpoint}: the weights, optimizer state, best
     * weights and history are restored when it starts (after checking that the data has the checkpoint's sizes),
     * and it trains the remaining epochs. Listeners first hear of the checkpoint's epochs again, after
     * {@code onStart}, so that a log written from them is complete. The recipe, parameter names and shapes and the
     * optimizer must be the checkpoint's; this is checked now, and nothing is changed if they are not.
     *
     * @param source where the checkpoint came from, for messages
     * @throws IllegalArgumentException naming what does not match
     */
    public Trainer resume(Checkpoint checkpoint, String source) {
        Objects.requireNonNull(checkpoint, "checkpoint");
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
                throw new IllegalArgumentException("cannot resume from " + source + ": parameter '" + e.getKey()
                        + "' is " + (saved == null ? "missing" : "of shape " + saved.shapeString()) + ", the model's is "
                        + e.getValue().shapeString());
            }
        }
        if (checkpoint.weights().size() != parameters.size()) {
            throw new IllegalArgumentException("cannot resume from " + source + ": it holds parameters "
                    + checkpoint.weights().keySet() + ", the model has " + parameters.keySet());
        }
        this.resumeFrom = checkpoint;
        this.resumeSource = source;
        return this;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Module model() {
        return model;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Training

    /**
     * Trains for {@code recipe.epochs()} epochs on {@code train} (the remaining ones after {@link #resume}),
     * validating on {@code validation} (which may be empty) after each, and keeps the best epoch's weights (see
     * {@link #restoreBest}). The model is left with the last epoch's weights. If a loss, gradient or weight stops
     * being finite, training stops and the history says where and why ({@link History#stopReason()}), rather than
     * throwing: a grid search wants to rank such a run last, not to die. Under {@link NanPolicy#SKIP} a batch with
     * a non-finite loss or gradient is skipped instead and counted.
     *
     * @throws UncheckedIOException when a checkpoint cannot be written
     */
    public History fit(Dataset train, Dataset validation) {
        Objects.requireNonNull(validation, "validation (may be empty, not null)");
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training set is empty");
        }
        if (validation.size() > 0 && (validation.rows() != train.rows() || validation.cols() != train.cols())) {
            throw new IllegalArgumentException("the validation images are " + validation.rows() + "x"
                    + validation.cols() + ", the training images " + train.rows() + "x" + train.cols());
        }
        try {
            // Images the model cannot take fail here, with the numbers, not in the middle of the first step.
            model.outputShape(new int[] {recipe.batch(), Dataset.CHANNELS, train.rows(), train.cols()});
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the model cannot take the " + train.rows() + "x" + train.cols()
                    + " training images: " + e.getMessage(), e);
        }
        Kernels kernels = Engine.kernels();
        int batch = recipe.batch();
        Batcher batcher = new Batcher(train, batch, recipe.seed());
        int steps = batcher.batchCount();
        long totalSteps = (long) steps * recipe.epochs();
        LrSchedule schedule = LrSchedule.named(recipe.schedule(), recipe.lr(), totalSteps)
                .withWarmup((long) steps * recipe.warmupEpochs());

        List<EpochMetrics> epochs = new ArrayList<>();
        bestEpoch = 0;
        double bestAccuracy = Double.NEGATIVE_INFINITY;
        long skipped = 0;
        if (resumeFrom != null) {
            Checkpoint c = resumeFrom;
            if (c.stepsPerEpoch() != steps || c.trainImages() != train.size()
                    || c.validationImages() != validation.size()) {
                throw new IllegalArgumentException("cannot resume from " + resumeSource + ": it trained on "
                        + c.trainImages() + " images in " + c.stepsPerEpoch() + " batches and validated on "
                        + c.validationImages() + ", this data has " + train.size() + " in " + steps + " and "
                        + validation.size());
            }
            model.loadState(c.weights(), resumeSource);
            optimizer.loadState(c.optimizerState(), resumeSource);
            epochs.addAll(c.history());
            bestEpoch = c.bestEpoch();
            bestAccuracy = c.bestAccuracy();
            int i = 0;
            for (String name : parameters.keySet()) {
                float[] v = bestEpoch == 0 ? null : c.bestWeights().get(name).data();
                if (v != null) {
                    System.arraycopy(v, 0, best[i], 0, best[i].length);
                }
                i++;
            }
            skipped = c.skippedBatches();
        }
        int firstEpoch = epochs.size() + 1;

        TrainingListener.Start start = new TrainingListener.Start(recipe, optimizer.toString(), kernels.name(),
                kernels.threads(), model.parameterCount(), train.size(), validation.size(), steps);
        listeners.forEach(l -> l.onStart(start));
        for (EpochMetrics m : epochs) {
            listeners.forEach(l -> l.onEpoch(m));
        }

        // The batch arrays, allocated once: one pair for full batches, one for the smaller last batch if any.
        BatchBuffers full = new BatchBuffers(batch, train);
        int tailSize = train.size() % batch;
        BatchBuffers tail = tailSize == 0 ? full : new BatchBuffers(tailSize, train);

        BufferPool pool = new BufferPool();
        String stopReason = null;
        for (int epoch = firstEpoch; epoch <= recipe.epochs() && stopReason == null; epoch++) {
            long epochStart = System.nanoTime();
            batcher.shuffle(epoch);
            StepStats stats = new StepStats();
            String task = String.format("epoch %d/%d", epoch, recipe.epochs());
            try (ConsoleProgress bar = ConsoleProgress.start(progress, task, steps)) {
                for (int b = 0; b < steps; b++) {
                    BatchBuffers buf = (b == steps - 1) ? tail : full;
                    int n = batcher.fill(b, buf.images, buf.labels);
                    assert n == buf.labels.length : "the buffers are sized for exactly this batch";
                    optimizer.setLearningRate(schedule.rate((long) (epoch - 1) * steps + b, totalSteps));
                    try (BufferPool.Scope step = pool.open()) {
                        trainStep(buf, stats);
                    } catch (NonFinite e) {
                        if (nanPolicy == NanPolicy.SKIP) {
                            skipped++;
                            continue;
                        }
                        stopReason = String.format("training stopped at epoch %d/%d, batch %d/%d (step %d):"
                                + " %s", epoch, recipe.epochs(), b + 1, steps, (long) (epoch - 1) * steps + b + 1,
                                e.getMessage());
                        break;
                    }
                    bar.step(stats.lossSum / stats.images, stats.correct / (double) stats.images);
                }
            }
            if (stopReason == null) {
                String bad = firstNonFiniteWeight();
                if (bad != null) {
                    stopReason = String.format("training stopped after epoch %d/%d: the weights of %s (layer %s)"
                            + " are not finite", epoch, recipe.epochs(), bad, layerOf(bad));
                }
            }
            if (stopReason != null) {
                // The epoch is not recorded and, above all, not checkpointed: the file keeps the last good epoch.
                stopReason += checkpointFile == null ? "" : epochs.isEmpty()
                        ? "; no epoch finished, so there is no checkpoint"
                        : "; the checkpoint " + checkpointFile + " keeps epoch " + epochs.size();
                break;
            }
            double trainSeconds = (System.nanoTime() - epochStart) / 1e9;

            Evaluation v = evaluate(model, validation, EVALUATION_BATCH, false);
            double accuracy = validation.size() == 0 ? Double.NaN : v.accuracy();
            // Without a validation set every epoch is "best", so the last one is kept.
            boolean isBest = validation.size() == 0 || accuracy > bestAccuracy;
            if (isBest) {
                bestAccuracy = accuracy;
                bestEpoch = epoch;
                keepBest();
            }
            EpochMetrics m = new EpochMetrics(epoch, recipe.epochs(),
                    stats.images == 0 ? Double.NaN : stats.lossSum / stats.images,
                    stats.images == 0 ? Double.NaN : stats.correct / (double) stats.images,
                    v.loss(), accuracy, optimizer.learningRate(), stats.images, trainSeconds,
                    (System.nanoTime() - epochStart) / 1e9, isBest);
            epochs.add(m);
            if (checkpointFile != null) {
                saveCheckpoint(epochs, steps, train.size(), validation.size(), bestAccuracy, skipped, kernels);
            }
            listeners.forEach(l -> l.onEpoch(m));
        }
        resumeFrom = null;
        History history = new History(epochs, bestEpoch, stopReason != null, stopReason, skipped);
        listeners.forEach(l -> l.onEnd(history));
        return history;
    }

    private void saveCheckpoint(List<EpochMetrics> epochs, int steps, int trainImages, int validationImages,
                                double bestAccuracy, long skipped, Kernels kernels) {
        Map<String, Tensor> bestWeights = bestEpoch == 0 ? Map.of() : bestState();
        Checkpoint c = new Checkpoint(recipe, epochs.size(), steps, trainImages, validationImages, model.state(),
                optimizer.getClass().getSimpleName(), optimizer.state(), bestEpoch, bestAccuracy, bestWeights,
                epochs, skipped, kernels.name());
        try {
            c.save(checkpointFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + checkpointFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * A batch whose loss or gradient is not finite, thrown from inside the optimizer's closure so that the
     * optimizer never gets to use it (SAM restores its weights on the way out).
     */
    private static final class NonFinite extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NonFinite(String what) {
            super(what, null, false, false);
        }
    }

    /** The first parameter, in backward order, with a non-finite gradient; null when all are finite. */
    private String firstNonFiniteGradient() {
        for (Map.Entry<String, Tensor> e : backwardOrder) {
            if (!allFinite(e.getValue().grad())) {
                return e.getKey();
            }
        }
        return null;
    }

    private String firstNonFiniteWeight() {
        for (Map.Entry<String, Tensor> e : backwardOrder) {
            if (!allFinite(e.getValue().data())) {
                return e.getKey();
            }
        }
        return null;
    }

    private static boolean allFinite(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /** {@code fc1.weight} -> {@code fc1}: the layer a parameter belongs to. */
    private static String layerOf(String parameter) {
        int dot = parameter.lastIndexOf('.');
        return dot < 0 ? parameter : parameter.substring(0, dot);
    }

    /** The reusable input arrays of one batch size, and the tensor view over them. */
    private static final class BatchBuffers {
        final float[] images;
        final int[] labels;
        final Tensor x;

        BatchBuffers(int n, Dataset data) {
            images = new float[n * data.imageSize()];
            labels = new int[n];
            x = Tensor.of(images, n, Dataset.CHANNELS, data.rows(), data.cols());   // a view: refilled in place
        }
    }

    /** Running sums over an epoch, from each step's first forward pass. */
    private static final class StepStats {
        double lossSum;
        long correct;
        int images;
        /** The current step's figures, from its first evaluation, added to the sums once the step is taken. */
        boolean firstEvaluation;
        double stepLoss;
        int stepCorrect;
    }

    /**
     * One optimizer step on the batch in {@code buf}. The closure recomputes loss and gradients; SAM calls it
     * twice, and only the first call (at the current weights) counts in the epoch's statistics. A non-finite loss
     * or gradient throws {@link NonFinite} out of the closure, before the optimizer can use it.
     */
    private void trainStep(BatchBuffers buf, StepStats stats) {
        int n = buf.labels.length;
        stats.firstEvaluation = true;
        optimizer.step(() -> {
            optimizer.zeroGrad();
            Tensor logits = model.forward(buf.x);
            Tensor loss = Ops.crossEntropy(logits, buf.labels);
            float value = loss.item();
            if (!Float.isFinite(value)) {
                throw new NonFinite("the loss is " + value);
            }
            loss.backward();
            String bad = firstNonFiniteGradient();
            if (bad != null) {
                throw new NonFinite("non-finite gradient of " + bad + " (layer " + layerOf(bad) + ")");
            }
            if (stats.firstEvaluation) {
                stats.firstEvaluation = false;
                stats.stepLoss = (double) value * n;
                stats.stepCorrect = countCorrect(logits.data(), buf.labels, n, logits.dim(1));
            }
            return value;
        });
        // Counted only once the step has been taken: a batch skipped at SAM's second evaluation does not count.
        stats.lossSum += stats.stepLoss;
        stats.correct += stats.stepCorrect;
        stats.images += n;
    }

    private static int countCorrect(float[] logits, int[] labels, int n, int classes) {
        int correct = 0;
        for (int i = 0; i < n; i++) {
            if (Evaluation.argmax(logits, i * classes, classes) == labels[i]) {
                correct++;
            }
        }
        return correct;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Best weights

    private void keepBest() {
        int i = 0;
        for (Tensor p : parameters.values()) {
            System.arraycopy(p.data(), 0, best[i++], 0, p.size());
        }
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

    // ---------------------------------------------------------------------------------------------------------
    // Evaluation

    /**
     * Runs {@code model} over every image of {@code data}, in order, {@code batchSize} at a time, under
     * {@link NoGrad}, with the current kernels: the mean loss, the accuracy and, when {@code keepLogits}, the
     * logits of every image, (n, classes) row-major.
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
        }
        return new Evaluation(n, classes, lossSum / n, correct / (double) n, all);
    }
}
