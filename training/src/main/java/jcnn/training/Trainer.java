package jcnn.training;

import java.util.ArrayList;
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
 * <p>The computation runs on the calling thread, with the kernels current there ({@link Engine#kernels()}, set
 * with {@link Engine#using}). Non-goals: data augmentation, early stopping, gradient clipping, checkpoint/resume,
 * mixed precision.
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

    public Optimizer optimizer() {
        return optimizer;
    }

    public Module model() {
        return model;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Training

    /**
     * Trains for {@code recipe.epochs()} epochs on {@code train}, validating on {@code validation} (which may be
     * empty) after each, and keeps the best epoch's weights (see {@link #restoreBest}). The model is left with the
     * last epoch's weights. If the loss stops being finite, training stops after that epoch and the history says
     * it diverged, rather than throwing: a grid search wants to rank such a run last, not to die.
     */
    public History fit(Dataset train, Dataset validation) {
        Objects.requireNonNull(validation, "validation (may be empty, not null)");
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training set is empty");
        }
        Kernels kernels = Engine.kernels();
        int batch = recipe.batch();
        Batcher batcher = new Batcher(train, batch, recipe.seed());
        int steps = batcher.batchCount();
        long totalSteps = (long) steps * recipe.epochs();
        LrSchedule schedule = LrSchedule.named(recipe.schedule(), recipe.lr(), totalSteps)
                .withWarmup((long) steps * recipe.warmupEpochs());

        TrainingListener.Start start = new TrainingListener.Start(recipe, optimizer.toString(), kernels.name(),
                kernels.threads(), model.parameterCount(), train.size(), validation.size(), steps);
        listeners.forEach(l -> l.onStart(start));

        // The batch arrays, allocated once: one pair for full batches, one for the smaller last batch if any.
        BatchBuffers full = new BatchBuffers(batch, train);
        int tailSize = train.size() % batch;
        BatchBuffers tail = tailSize == 0 ? full : new BatchBuffers(tailSize, train);

        BufferPool pool = new BufferPool();
        List<EpochMetrics> epochs = new ArrayList<>();
        bestEpoch = 0;
        double bestAccuracy = Double.NEGATIVE_INFINITY;
        boolean diverged = false;
        for (int epoch = 1; epoch <= recipe.epochs() && !diverged; epoch++) {
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
                    float loss;
                    try (BufferPool.Scope step = pool.open()) {
                        loss = trainStep(buf, stats);
                    }
                    if (!Float.isFinite(loss)) {
                        diverged = true;
                        break;
                    }
                    bar.step(stats.lossSum / stats.images, stats.correct / (double) stats.images);
                }
            }
            double trainSeconds = (System.nanoTime() - epochStart) / 1e9;

            Evaluation v = evaluate(model, validation, EVALUATION_BATCH, false);
            double accuracy = validation.size() == 0 ? Double.NaN : v.accuracy();
            // Without a validation set every epoch is "best", so the last one is kept.
            boolean isBest = !diverged && (validation.size() == 0 || accuracy > bestAccuracy);
            if (isBest) {
                bestAccuracy = accuracy;
                bestEpoch = epoch;
                keepBest();
            }
            EpochMetrics m = new EpochMetrics(epoch, recipe.epochs(),
                    diverged ? Double.NaN : stats.lossSum / stats.images,
                    stats.images == 0 ? Double.NaN : stats.correct / (double) stats.images,
                    v.loss(), accuracy, optimizer.learningRate(), stats.images, trainSeconds,
                    (System.nanoTime() - epochStart) / 1e9, isBest);
            epochs.add(m);
            listeners.forEach(l -> l.onEpoch(m));
        }
        History history = new History(epochs, bestEpoch, diverged);
        listeners.forEach(l -> l.onEnd(history));
        return history;
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
    }

    /**
     * One optimizer step on the batch in {@code buf}. The closure recomputes loss and gradients; SAM calls it
     * twice, and only the first call (at the current weights) counts in the epoch's statistics.
     */
    private float trainStep(BatchBuffers buf, StepStats stats) {
        boolean[] first = {true};
        return optimizer.step(() -> {
            optimizer.zeroGrad();
            Tensor logits = model.forward(buf.x);
            Tensor loss = Ops.crossEntropy(logits, buf.labels);
            loss.backward();
            if (first[0]) {
                first[0] = false;
                int n = buf.labels.length;
                stats.lossSum += (double) loss.item() * n;
                stats.correct += countCorrect(logits.data(), buf.labels, n, logits.dim(1));
                stats.images += n;
            }
            return loss.item();
        });
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
