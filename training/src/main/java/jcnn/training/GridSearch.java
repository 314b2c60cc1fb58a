package jcnn.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import jcnn.training.data.Dataset;
import jcnn.training.nn.Module;
import jcnn.training.nn.SeedCnn;

/**
 * The seed notebook's hyper-parameter search: train a fresh model at every point of a grid of (batch size,
 * learning rate, rho), all other settings from a base {@link Recipe}, and pick the point with the best validation
 * accuracy. The seed's grid, {@link #SEED_GRID}, is batch {32, 64} x lr {0.01, 0.1} x rho {0.001, 0.01}.
 *
 * <p>Every run starts from a model built by the factory from that run's recipe (so the same seed gives every point
 * the same initial weights when the factory seeds from {@code recipe.seed()}, as {@link #seedCnn()} does), and sees
 * the same data in an order that depends only on the seed and the batch size. A run that diverges is reported and
 * ranked last; the search goes on. Runs are sequential: the kernels already use the machine's cores. Note that
 * rho only matters to the {@code seed} and {@code sam} optimizers; with any other, points that differ only in rho
 * are repeats.
 */
public final class GridSearch {

    /** One point of the grid. */
    public record Point(int batch, double lr, double rho) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "batch=%d lr=%s rho=%s", batch, lr, rho);
        }
    }

    /** The seed notebook's grid, in the order its nested loops visit it (batch, then lr, then rho). */
    public static final List<Point> SEED_GRID = grid(List.of(32, 64), List.of(0.01, 0.1), List.of(0.001, 0.01));

    /** One finished run: its point, its full recipe and its history. */
    public record Run(Point point, Recipe recipe, History history) {
        /** The run's best validation accuracy; negative infinity for a run that never produced one. */
        public double score() {
            double a = history.bestValidationAccuracy();
            return Double.isNaN(a) ? Double.NEGATIVE_INFINITY : a;
        }

        public String describe() {
            return String.format(Locale.ROOT, "%s: best val acc %.4f at epoch %d%s", point,
                    history.bestValidationAccuracy(), history.bestEpoch(), history.diverged() ? " (diverged)" : "");
        }
    }

    /** Every run, in grid order, and the best by validation accuracy (the first of equals). */
    public record Result(List<Run> runs, Run best) {
        public Result {
            runs = List.copyOf(runs);
        }
    }

    private final Recipe base;
    private final List<Point> points;
    private final Function<Recipe, Module> modelFactory;
    private final List<Consumer<Run>> runListeners = new ArrayList<>();
    private final List<TrainingListener> trainingListeners = new ArrayList<>();
    private boolean progress = true;

    /**
     * @param base         the settings shared by every run (epochs, optimizer, schedule, seed, ...)
     * @param points       the grid
     * @param modelFactory builds a fresh model for a run's recipe
     */
    public GridSearch(Recipe base, List<Point> points, Function<Recipe, Module> modelFactory) {
        this.base = Objects.requireNonNull(base, "base");
        this.points = List.copyOf(points);
        this.modelFactory = Objects.requireNonNull(modelFactory, "modelFactory");
        if (this.points.isEmpty()) {
            throw new IllegalArgumentException("the grid has no points");
        }
    }

    /** The seed's search: {@link #SEED_GRID} over fresh {@link SeedCnn}s seeded from the recipe. */
    public static GridSearch seed(Recipe base) {
        return new GridSearch(base, SEED_GRID, seedCnn());
    }

    /** A factory of seed CNNs initialised from {@code new SplittableRandom(recipe.seed())}. */
    public static Function<Recipe, Module> seedCnn() {
        return r -> SeedCnn.create(new SplittableRandom(r.seed()));
    }

    /** Every combination, batch outermost, rho innermost. */
    public static List<Point> grid(List<Integer> batches, List<Double> lrs, List<Double> rhos) {
        List<Point> points = new ArrayList<>();
        for (int b : batches) {
            for (double lr : lrs) {
                for (double rho : rhos) {
                    points.add(new Point(b, lr, rho));
                }
            }
        }
        return List.copyOf(points);
    }

    /** Called after each run, with its result. */
    public GridSearch onRun(Consumer<Run> listener) {
        runListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Attached to every run's {@link Trainer}; {@link TrainingListener.Start#recipe()} tells the runs apart. */
    public GridSearch addTrainingListener(TrainingListener listener) {
        trainingListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Whether the runs show the console progress bar (where it would be shown at all; see {@link Trainer}). */
    public GridSearch showProgress(boolean show) {
        this.progress = show;
        return this;
    }

    /** Runs every point on the same train/validation data and returns all runs and the best. */
    public Result run(Dataset train, Dataset validation) {
        if (validation.size() == 0) {
            throw new IllegalArgumentException("a grid search picks by validation accuracy: the validation set"
                    + " is empty");
        }
        List<Run> runs = new ArrayList<>();
        Run best = null;
        for (Point point : points) {
            Recipe recipe = base.withGridPoint(point.batch(), point.lr(), point.rho());
            Trainer trainer = new Trainer(modelFactory.apply(recipe), recipe);
            trainingListeners.forEach(trainer::addListener);
            if (!progress) {
                trainer.showProgress(false);
            }
            Run run = new Run(point, recipe, trainer.fit(train, validation));
            runs.add(run);
            if (best == null || run.score() > best.score()) {
                best = run;
            }
            runListeners.forEach(l -> l.accept(run));
        }
        return new Result(runs, best);
    }
}
