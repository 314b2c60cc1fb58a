package jcnn.training;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import jcnn.core.BufferPool;
import jcnn.core.Engine;
import jcnn.core.Tensor;
import jcnn.kernels.Kernels;
import jcnn.training.data.Augmentation;
import jcnn.training.data.Batcher;
import jcnn.training.data.Dataset;
import jcnn.training.data.MemoryBudget;
import jcnn.training.nn.Module;
import jcnn.training.nn.Summary;
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
 * float[] logits = Evaluator.evaluate(model, testSet, Evaluator.BATCH, true).logits();
 * }</pre>
 *
 * <p>This class is the loop and nothing else: for each epoch, for each batch, zero the gradients, forward, loss,
 * backward, optimizer step ({@link #fit} and {@link #trainStep}); the forward, loss and backward are one
 * {@link BatchGradient}, which runs the convolutions in parallel chunks of the batch. What a run keeps around the
 * loop lives in its own classes: {@link RunState} (the finished epochs, the best weights, resuming and
 * checkpoints), {@link Evaluator} (validation), and a non-finite guard around each step (the {@link NanPolicy}).
 *
 * <p>Goals: reproducibility and honest numbers. With the same recipe (seed included), model initialisation,
 * kernels and thread count, two runs give bit-identical weights: the order of the data depends only on (seed,
 * epoch), the model's random draws (dropout) are reseeded before every step from (seed, epoch, batch), and
 * nothing else in the loop is random. The model trains in training mode ({@link Module#train()}) and is
 * validated in evaluation mode (the {@link Evaluator} switches it). The training loop reuses its batch arrays (the {@link Batcher}
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
 * with {@link Engine#using}). The recipe's ingredients beyond the optimizer: augmentation of the training batches
 * ({@link Augmentation}, in the {@link Batcher}), label smoothing ({@link Losses}), a learning rate scaled with the
 * batch ({@link Recipe#scaledLr()}) and an average of the weights ({@link WeightAverage}) that validation, the kept
 * best weights and so the test use. Non-goals: early stopping, gradient clipping, mixed precision, checkpoints in
 * the middle of an epoch.
 */
public final class Trainer {

    private final Module model;
    private final Recipe recipe;
    private final Optimizer optimizer;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final Map<String, Tensor> parameters;
    private final RunState run;
    private boolean progress = ConsoleProgress.enabledByDefault();
    private NanPolicy nanPolicy = NanPolicy.STOP;
    private Path checkpointFile;
    private Checkpoint resumeFrom;
    private String resumeSource;

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
        this.run = new RunState(model, recipe, optimizer);
    }

    /**
     * The recipe's train/validation split of a training set: its first {@code recipe.limit()} images (all when
     * 0), of which a seeded random {@code recipe.validationFraction()} is held out for validation. The validation
     * set is empty when the fraction is 0.
     */
    public static Dataset.Split split(Dataset trainingSet, Recipe recipe) {
        Dataset data = recipe.limit() > 0 ? trainingSet.limit(recipe.limit()) : trainingSet;
        if (recipe.validationFraction() == 0) {
            return new Dataset.Split(data, data.limit(0));
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
        run.checkResumable(checkpoint, source);
        if (recipe.ema() > 0) {
            throw new IllegalArgumentException("cannot resume from " + source + ": a run with ema="
                    + recipe.ema() + " keeps an average of the weights that checkpoints do not hold yet");
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

    /** The run's finished epochs and best weights (see {@link RunState}). */
    public RunState runState() {
        return run;
    }

    /** The 1-based epoch whose weights are kept; 0 before the first epoch has finished. */
    public int bestEpoch() {
        return run.bestEpoch();
    }

    /** Copies the kept best-epoch weights back into the model. */
    public void restoreBest() {
        run.restoreBest();
    }

    /** A copy of the kept best-epoch weights, by parameter name (to save, or to compare). */
    public Map<String, Tensor> bestState() {
        return run.bestState();
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
        checkData(train, validation);
        Kernels kernels = Engine.kernels();
        int batch = recipe.batch();
        // Before anything is allocated, written or announced: a batch whose input arrays or whose activations and
        // gradients cannot fit the heap is refused naming batch and the figure (MemoryBudget), not an
        // OutOfMemoryError in the middle of the first step.
        int batchImages = MemoryBudget.checkBatch(batch, train.size(), train.imageSize());
        MemoryBudget.checkTrainingStep(batch, train.size(), train.imageSize(), activationFloatsPerImage(train));
        Batcher batcher = new Batcher(train, batch, recipe.seed());
        Augmentation augmentation = new Augmentation(recipe.cropPadding(), recipe.flip());
        if (augmentation.enabled()) {
            batcher.augment(augmentation);
        }
        // The whole float state: with batch norm, the running statistics that evaluation reads are averaged too.
        WeightAverage average = recipe.ema() > 0 ? WeightAverage.ofState(model, recipe.ema()) : null;
        int steps = batcher.batchCount();
        long totalSteps = (long) steps * recipe.epochs();
        LrSchedule schedule = LrSchedule.named(recipe.schedule(), recipe.scaledLr(), totalSteps)
                .withWarmup((long) steps * recipe.warmupEpochs());
        run.begin(resumeFrom, resumeSource, steps, train.size(), validation.size(), checkpointFile, kernels.name());
        resumeFrom = null;
        FiniteGuard guard = new FiniteGuard(parameters, nanPolicy, recipe.epochs(), steps, run.skippedBatches());

        TrainingListener.Start start = new TrainingListener.Start(recipe, optimizer.toString(), kernels.name(),
                kernels.threads(), model.parameterCount(), train.size(), validation.size(), steps);
        listeners.forEach(l -> l.onStart(start));
        for (EpochMetrics m : run.epochs()) {   // a resumed run's earlier epochs, so that a log is complete
            listeners.forEach(l -> l.onEpoch(m));
        }

        // The batch arrays, allocated once: one pair for full batches, one for the smaller last batch if any
        // (sized in long and against the heap above).
        BatchBuffers full = new BatchBuffers(batchImages, train);
        int tailSize = train.size() % batch;
        BatchBuffers tail = tailSize == 0 || batch >= train.size() ? full : new BatchBuffers(tailSize, train);
        BufferPool pool = new BufferPool();
        BatchGradient gradient = new BatchGradient(model, recipe.labelSmoothing());

        for (int epoch = run.nextEpoch(); epoch <= recipe.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            batcher.shuffle(epoch);
            StepStats stats = new StepStats();
            guard.startEpoch();
            model.train();   // batch statistics and dropout; validation below switches to eval()
            try (ConsoleProgress bar = ConsoleProgress.start(progress,
                    String.format("epoch %d/%d", epoch, recipe.epochs()), steps)) {
                for (int b = 0; b < steps && !guard.stopped(); b++) {
                    BatchBuffers buf = (b == steps - 1) ? tail : full;
                    batcher.fill(b, buf.images, buf.labels);
                    optimizer.setLearningRate(schedule.rate((long) (epoch - 1) * steps + b, totalSteps));
                    model.seedRandom(stepSeed(recipe.seed(), epoch, b));
                    if (guard.step(epoch, b, () -> trainStep(buf, stats, guard, pool, gradient))) {
                        if (average != null) {
                            average.update();
                        }
                        bar.step(stats.lossSum / stats.images, stats.correct / (double) stats.images);
                    }
                }
            }
            if (!guard.stopped()) {
                guard.checkEpoch(epoch);
            }
            if (guard.stopped()) {
                break;   // the epoch is not recorded and, above all, not checkpointed: the file keeps the last good one
            }
            double trainSeconds = (System.nanoTime() - epochStart) / 1e9;

            if (average != null) {
                average.swap();   // validate, and keep as best, the average; train on from the weights themselves
            }
            Evaluation v = Evaluator.evaluate(model, validation, Evaluator.BATCH, false, recipe.tta());
            double accuracy = validation.size() == 0 ? Double.NaN : v.accuracy();
            boolean isBest = run.offer(epoch, accuracy);
            if (average != null) {
                average.swap();
            }
            EpochMetrics m = new EpochMetrics(epoch, recipe.epochs(),
                    stats.images == 0 ? Double.NaN : stats.lossSum / stats.images,
                    stats.images == 0 ? Double.NaN : stats.correct / (double) stats.images,
                    v.loss(), accuracy, optimizer.learningRate(), stats.images, trainSeconds,
                    (System.nanoTime() - epochStart) / 1e9, isBest);
            run.finish(m, guard.skipped());   // the checkpoint first: a listener that throws does not cost it
            listeners.forEach(l -> l.onEpoch(m));
        }
        String stopReason = guard.stopped() ? guard.stopReason() + run.checkpointNote() : null;
        History history = new History(run.epochs(), run.bestEpoch(), stopReason != null, stopReason, guard.skipped());
        listeners.forEach(l -> l.onEnd(history));
        return history;
    }

    /**
     * The seed of the random draws (dropout's masks) of step {@code batch} of {@code epoch}: a function of the
     * recipe's seed and the step alone, so a resumed run draws what an uninterrupted one would.
     */
    static long stepSeed(long seed, int epoch, int batch) {
        return new SplittableRandom(seed).split().nextLong() ^ ((long) epoch << 32 | batch) * 0x9E3779B97F4A7C15L;
    }

    /**
     * One optimizer step on the batch in {@code buf}, in a buffer-pool scope: the closure is the whole of
     * training, zero-grad, forward, loss, backward. SAM calls it twice; only the first call (at the current
     * weights) counts in the epoch's statistics. The guard abandons the step before the optimizer can use a
     * non-finite loss or gradient.
     */
    @SuppressWarnings("try")   // the pool scope is used for its open/close, never referenced
    private void trainStep(BatchBuffers buf, StepStats stats, FiniteGuard guard, BufferPool pool,
            BatchGradient gradient) {
        try (BufferPool.Scope step = pool.open()) {
            stats.beginStep();
            optimizer.step(() -> {
                optimizer.zeroGrad();
                BatchGradient.Result batch = gradient.compute(buf.x, buf.labels);   // forward, loss, backward
                guard.requireFiniteLoss(batch.loss());
                guard.requireFiniteGradients();
                stats.firstEvaluation(batch.loss(), batch.correct(), buf.labels.length);
                return batch.loss();
            });
            stats.endStep();
        }
    }

    private void checkData(Dataset train, Dataset validation) {
        Objects.requireNonNull(validation, "validation (may be empty, not null)");
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training set is empty");
        }
        if (validation.size() > 0 && (validation.channels() != train.channels() || validation.rows() != train.rows()
                || validation.cols() != train.cols())) {
            throw new IllegalArgumentException("the validation images are " + validation.shapeName()
                    + ", the training images " + train.shapeName());
        }
        try {
            // Images the model cannot take fail here, with the numbers, not in the middle of the first step.
            model.outputShape(new int[] {recipe.batch(), train.channels(), train.rows(), train.cols()});
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the model cannot take the " + train.shapeName() + " training images: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The floats one image keeps alive through a training step: every layer's output (the model summary's output
     * shapes), each held for the backward pass. {@link MemoryBudget#checkTrainingStep} adds a gradient of the same
     * size for each and the input. For the seed CNN: 44,170 floats, about 356 kB per image with the gradients.
     */
    private long activationFloatsPerImage(Dataset train) {
        long floats = 0;
        for (Summary.Row row : Summary.of(model, train.channels(), train.rows(), train.cols()).rows()) {
            long n = 1;
            for (int d : row.outputShape()) {
                n *= d;   // the batch dimension is 1 in a summary
            }
            floats += n;
        }
        return floats;
    }

    /** Running sums over an epoch, from each step's first forward pass. */
    private static final class StepStats {
        double lossSum;
        long correct;
        int images;
        /** The current step's figures, from its first evaluation, added to the sums once the step is taken. */
        private boolean first;
        private double stepLoss;
        private int stepCorrect, stepImages;

        void beginStep() {
            first = true;
        }

        void firstEvaluation(float loss, int correct, int images) {
            if (first) {
                first = false;
                stepImages = images;
                stepLoss = (double) loss * images;
                stepCorrect = correct;
            }
        }

        /** Counted only once the step has been taken: a batch skipped at SAM's second evaluation does not count. */
        void endStep() {
            lossSum += stepLoss;
            correct += stepCorrect;
            images += stepImages;
        }
    }
}
