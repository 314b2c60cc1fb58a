package jcnn.eval.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.function.Function;
import jcnn.core.Engine;
import jcnn.eval.metrics.ClassNames;
import jcnn.eval.report.TestResults;
import jcnn.kernels.KernelProvider;
import jcnn.kernels.Kernels;
import jcnn.kernels.TimedKernels;
import jcnn.training.Evaluation;
import jcnn.training.History;
import jcnn.training.Recipe;
import jcnn.training.Evaluator;
import jcnn.training.Trainer;
import jcnn.training.data.Dataset;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;

/**
 * The scalar-vs-vector comparison ({@code mvn exec:java -Dcompare=true}): trains the same recipe from the same seed
 * on the scalar and on the vector kernels, evaluates both on the test set, and measures how far apart the two paths
 * end up (accuracy, agreement of predictions, logit differences) and how fast each one is (time per epoch,
 * images/s, and where the kernel time goes, through {@link TimedKernels}).
 *
 * <p>Both paths run at the same thread count, the scalar path's (one: the scalar kernels are single-threaded), so
 * their ratio is what SIMD alone buys; the vector path then trains once more at the {@code threads} setting, so
 * that what the threads add is a ratio of its own, and the two gains are never mixed in one figure (the run of
 * 2026-11-26 set one scalar thread beside two vector threads). The threaded run's logits are compared with the
 * one-thread run's too: the vector kernels promise the same bits at every thread count.
 *
 * <p>Goals: a fair comparison and an honest record of it. Both paths start from identical weights (the model is
 * created from the recipe's seed), see the same split and the same batch order (the trainer's order depends only on
 * the recipe), and are evaluated with their last epoch's weights, so they are compared after exactly the same
 * number of steps rather than at whichever epoch each one's validation accuracy preferred. Everything that was run
 * is said in the output, including the defaults this mode chose.
 *
 * <p>The scalar path trains at only a few hundred images/s, so when the user sets neither, this mode trains on the
 * first {@value #DEFAULT_LIMIT} images for {@value #DEFAULT_EPOCHS} epoch instead of the recipe's full run;
 * {@code -Dlimit=0 -Depochs=15} asks for the full recipe. {@code -DtestLimit=N} evaluates on the first N test images.
 *
 * <p>Non-goals: benchmarking (the JMH benchmarks in {@code bench} measure kernels in isolation and with warm-up;
 * this measures one real training run of each path, after a short untimed warm-up), comparing saved weights, grid
 * search.
 */
public final class Comparison {

    /** The training images compare mode uses when {@code limit} is not set. */
    public static final int DEFAULT_LIMIT = 6000;

    /** The epochs compare mode uses when {@code epochs} is not set. */
    public static final int DEFAULT_EPOCHS = 1;

    /**
     * How many test images the untrained models are compared on. At identical weights any logit difference is the
     * kernels' rounding alone; after training it also holds the drift of two diverging weight trajectories.
     */
    public static final int INITIAL_PROBE = 1000;

    /**
     * How many training images each kernel implementation trains a throwaway model on, untimed, before the timed
     * runs. Without it the first vector run would carry the JIT's warm-up and the second (the threaded one, the
     * same code) would not, and their ratio would credit the threads with what the compiler did: a first try
     * measured "2.80x" from two threads. 1,280 images are 20 steps at batch 64.
     */
    public static final int WARM_UP_IMAGES = 1280;

    private final Recipe recipe;
    private final int testLimit;
    private final Kernels scalar;
    /** The vector kernels at the scalar kernels' thread count. */
    private final Kernels vector;
    /** The vector kernels at the {@code threads} setting, when that is more; null otherwise. */
    private final Kernels vectorThreaded;
    /** The data set's title and class names, for the reports. */
    private String datasetTitle = "Fashion-MNIST";
    private String[] classNames = ClassNames.fashionMnist();
    /** What this mode chose on the user's behalf, to be said in the output ("limit=6000", ...). */
    private final List<String> defaults;
    /** Whether each path's trainer shows the console bar; null for the trainer's default (on a terminal only). */
    private Boolean progress;

    /**
     * A comparison of two kernel implementations; {@code vector} may be any kernels (tests use a second scalar
     * instance, which must then agree exactly).
     *
     * @param testLimit the first N test images to evaluate on; 0 for all
     * @param defaults  the settings this mode chose itself, each as {@code key=value}, to be reported
     */
    public Comparison(Recipe recipe, int testLimit, Kernels scalar, Kernels vector, List<String> defaults) {
        this(recipe, testLimit, scalar, vector, null, defaults);
    }

    /**
     * As above, with a third run: {@code vectorThreaded}, the vector kernels at more threads than {@code vector}
     * (null for none), trained on the same recipe for its speed and its agreement with {@code vector}.
     */
    public Comparison(Recipe recipe, int testLimit, Kernels scalar, Kernels vector, Kernels vectorThreaded,
                      List<String> defaults) {
        this.vectorThreaded = vectorThreaded;
        this.recipe = Objects.requireNonNull(recipe, "recipe");
        if (testLimit < 0) {
            throw new IllegalArgumentException("invalid testLimit=" + testLimit + ": expected an integer >= 0");
        }
        this.testLimit = testLimit;
        this.scalar = Objects.requireNonNull(scalar, "scalar");
        this.vector = Objects.requireNonNull(vector, "vector");
        this.defaults = List.copyOf(defaults);
    }

    /**
     * Reads and checks the compare-mode settings: the recipe (with this mode's defaults for limit and epochs),
     * {@code testLimit}, and the vector kernels from {@code vector.bits} and {@code threads}. Every problem is an
     * {@link IllegalArgumentException} with a one-line message, thrown before anything runs.
     */
    public static Comparison fromProperties(Properties settings) {
        return fromProperties(settings, Comparison::vectorKernels);
    }

    /** As {@link #fromProperties(Properties)}, with the vector side made by {@code vectorKernels} (for tests). */
    static Comparison fromProperties(Properties settings, Function<Properties, Kernels> vectorKernels) {
        String kernel = settings.getProperty("kernel", "").trim();
        if (!kernel.isEmpty() && !kernel.equalsIgnoreCase("vector")) {
            throw new IllegalArgumentException("invalid kernel=" + kernel
                    + ": compare=true runs both the scalar and the vector kernels; leave kernel unset");
        }
        if (settings.getProperty("weights") != null) {
            throw new IllegalArgumentException("invalid weights=" + settings.getProperty("weights")
                    + ": compare=true trains both paths from the recipe; evaluate weights without compare");
        }
        if (Boolean.parseBoolean(settings.getProperty("grid", "false").trim())) {
            throw new IllegalArgumentException("invalid grid=true: compare=true runs one recipe, not a grid search");
        }
        if (settings.getProperty("vector.bits", "").trim().equals("0")) {
            throw new IllegalArgumentException("invalid vector.bits=0: compare=true needs a vector width"
                    + " (128, 256 or 512, or unset for the CPU's) for its vector side");
        }
        int testLimit = parseTestLimit(settings.getProperty("testLimit", "0"));

        Properties withDefaults = new Properties();
        withDefaults.putAll(settings);
        List<String> defaults = new ArrayList<>();
        if (settings.getProperty("limit") == null) {
            withDefaults.setProperty("limit", String.valueOf(DEFAULT_LIMIT));
            defaults.add("limit=" + DEFAULT_LIMIT);
        }
        if (settings.getProperty("epochs") == null) {
            withDefaults.setProperty("epochs", String.valueOf(DEFAULT_EPOCHS));
            defaults.add("epochs=" + DEFAULT_EPOCHS);
        }
        Recipe recipe = Recipe.fromProperties(withDefaults);
        Kernels scalar = KernelProvider.scalar();
        // The vector side at the scalar side's thread count, then at the threads setting when that is more.
        int threads = scalar.threads();
        String asked = settings.getProperty("threads");
        int wanted = asked == null ? Runtime.getRuntime().availableProcessors() : parseThreads(asked);
        Kernels vector = vectorKernels.apply(withThreads(settings, String.valueOf(threads)));
        Kernels threaded = wanted > threads ? vectorKernels.apply(withThreads(settings, String.valueOf(wanted)))
                : null;
        return new Comparison(recipe, testLimit, scalar, vector, threaded, defaults);
    }

    /** {@code settings} with {@code threads} replaced. */
    private static Properties withThreads(Properties settings, String threads) {
        Properties p = new Properties();
        p.putAll(settings);
        p.setProperty("threads", threads);
        return p;
    }

    private static int parseThreads(String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("invalid threads=" + value.trim() + ": expected an integer >= 1");
    }

    /** The vector kernels {@code vector.bits} and {@code threads} ask for, or a one-line reason why there are none. */
    private static Kernels vectorKernels(Properties settings) {
        Properties p = new Properties();
        p.putAll(settings);
        p.setProperty("kernel", "vector");
        try {
            return KernelProvider.fromProperties(p);
        } catch (IllegalStateException e) {
            // A build without the vector kernels: say so in one line rather than with a stack trace.
            throw new IllegalArgumentException("compare=true needs the vector kernels, which could not be loaded ("
                    + e.getMessage() + ")");
        }
    }

    private static int parseTestLimit(String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the other kind of bad value
        }
        throw new IllegalArgumentException("invalid testLimit=" + value + ": expected an integer >= 0 (0 = all)");
    }

    public Recipe recipe() {
        return recipe;
    }

    /** Names the data set in the reports: its title and class names (Fashion-MNIST's by default); returns this. */
    public Comparison dataset(String title, List<String> names) {
        this.datasetTitle = Objects.requireNonNull(title, "title");
        this.classNames = names.toArray(new String[0]);
        return this;
    }

    /** Shows or hides the console progress bar of both paths' training ({@code progress}); returns this. */
    public Comparison showProgress(boolean show) {
        this.progress = show;
        return this;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Running

    /**
     * Everything the comparison measured.
     *
     * @param settings   what was run, one sentence per line, for the output and the reports
     * @param recipe     the recipe both paths trained with
     * @param testImages how many test images both were evaluated on
     * @param dataset    the data set's title
     * @param scalar     the scalar path
     * @param vector     the vector path at the scalar path's thread count
     * @param threaded   the vector path at more threads; null when the threads setting asked for no more
     * @param initial    the agreement of the untrained models on the first {@value #INITIAL_PROBE} test images
     * @param agreement  the agreement of the trained models on the whole test set
     * @param threads    the agreement of {@code threaded} with {@code vector} (null without a threaded run):
     *                   identical when the thread count changes no bit
     */
    public record Result(List<String> settings, Recipe recipe, int testImages, String dataset, PathResult scalar,
                         PathResult vector, PathResult threaded, LogitAgreement initial, LogitAgreement agreement,
                         LogitAgreement threads) {

        public Result {
            settings = List.copyOf(settings);
        }

        /** The paths that ran, in the order they ran: scalar, vector, and the threaded vector run if any. */
        public List<PathResult> paths() {
            return threaded == null ? List.of(scalar, vector) : List.of(scalar, vector, threaded);
        }
    }

    /**
     * Trains and evaluates both paths, scalar first, printing what runs and each epoch's line to {@code out}.
     *
     * @throws IllegalArgumentException when either path's training diverges (its loss stops being finite)
     */
    public Result run(Dataset trainingSet, Dataset testSet, PrintStream out) {
        Dataset.Split split = Trainer.split(trainingSet, recipe);
        Dataset test = testLimit > 0 ? testSet.limit(testLimit) : testSet;
        List<String> settings = describe(split, test, testSet.size());
        settings.forEach(line -> out.println("compare: " + line));

        Dataset probe = test.limit(INITIAL_PROBE);
        warmUp(scalar, split.train());
        warmUp(vector, split.train());
        PathResult s = runPath("scalar", scalar, split, probe, test, out);
        PathResult v = runPath("vector", vector, split, probe, test, out);
        PathResult t = vectorThreaded == null ? null
                : runPath("vector " + vectorThreaded.threads() + "t", vectorThreaded, split, probe, test, out);
        int classes = s.test().classNames().size();
        return new Result(settings, recipe, test.size(), datasetTitle, s, v, t,
                LogitAgreement.of(probe.labels(), s.initialLogits(), v.initialLogits(), classes),
                LogitAgreement.of(test.labels(), s.logits(), v.logits(), classes),
                t == null ? null : LogitAgreement.of(test.labels(), v.logits(), t.logits(), classes));
    }

    /** What is about to run, said plainly: the defaults this mode chose, data sizes, kernels, fairness rules. */
    private List<String> describe(Dataset.Split split, Dataset test, int fullTestSize) {
        List<String> lines = new ArrayList<>();
        lines.add("recipe: " + recipe.describe());
        if (!defaults.isEmpty()) {
            lines.add("compare mode chose " + String.join(" and ", defaults) + " because they were not set: the"
                    + " scalar kernels train at only a few hundred images/s, so the full recipe (48,000 images x"
                    + " 15 epochs) would take over half an hour on that path; -Dlimit=0 -Depochs=15 runs it all");
        }
        lines.add(String.format(Locale.ROOT, "data: training on %d images, validating on %d, testing on %d%s",
                split.train().size(), split.validation().size(), test.size(),
                test.size() < fullTestSize ? " (the first " + test.size() + " of " + fullTestSize + ")" : ""));
        lines.add(String.format(Locale.ROOT, "kernels: scalar side %s (%s), vector side %s (%s)%s", scalar.name(),
                threads(scalar.threads()), vector.name(), threads(vector.threads()),
                vectorThreaded == null ? "; no run at more threads (threads=" + vector.threads() + ")"
                        : ", then the vector side once more at " + threads(vectorThreaded.threads())));
        lines.add("both sides run at the same thread count, so their ratio is the SIMD gain alone"
                + (vectorThreaded == null ? "" : "; the vector side's second run shows what the threads add"));
        lines.add("both paths start from the same weights (seed " + recipe.seed() + "), see the same split and batch"
                + " order, and are evaluated with their last epoch's weights");
        lines.add("times are wall-clock on this machine; before them each kernel implementation trained a throwaway"
                + " model on " + Math.min(WARM_UP_IMAGES, split.train().size()) + " images, untimed, so that the JIT's"
                + " warm-up is not booked to the first run of the vector code; the scalar path runs first; JDK "
                + Runtime.version());
        return lines;
    }

    private static String threads(int n) {
        return n == 1 ? "1 thread" : n + " threads";
    }

    /**
     * One untimed epoch on the first {@value #WARM_UP_IMAGES} training images (at least one batch), on a model of
     * its own: the compared models and their batches are untouched.
     */
    @SuppressWarnings("try")   // the scope is used for its open/close, never referenced
    private void warmUp(Kernels kernels, Dataset train) {
        Dataset sample = train.limit(Math.max(WARM_UP_IMAGES, recipe.batch()));
        Recipe once = recipe.toBuilder().epochs(1).warmupEpochs(0).build();
        try (Engine.Scope scope = Engine.using(kernels)) {
            new Trainer(SeedCnn.create(new SplittableRandom(recipe.seed())), once).showProgress(false)
                    .fit(sample, sample.limit(0));
        }
    }

    /** Trains and evaluates one path inside a timing scope of its own. */
    @SuppressWarnings("try")   // the scope is used for its open/close, never referenced
    private PathResult runPath(String role, Kernels kernels, Dataset.Split split, Dataset probe, Dataset test,
                               PrintStream out) {
        TimedKernels timed = new TimedKernels(kernels);
        try (Engine.Scope scope = Engine.using(timed)) {
            Sequential model = SeedCnn.create(new SplittableRandom(recipe.seed()));
            float[] initialLogits = Evaluator.evaluate(model, probe, Evaluator.BATCH, true).logits();
            timed.reset();   // the breakdown is of training alone
            Trainer trainer = new Trainer(model, recipe).addListener(m -> out.println(role + ": " + m.describe()));
            if (progress != null) {
                trainer.showProgress(progress);
            }
            History history = trainer.fit(split.train(), split.validation());
            if (history.diverged()) {
                throw new IllegalArgumentException("training diverged on the " + role
                        + " path (the loss is not finite): lower lr=" + recipe.lr());
            }
            TimedKernels.Breakdown training = timed.breakdown();

            long start = System.nanoTime();
            Evaluation evaluation = Evaluator.evaluate(model, test, Evaluator.BATCH, true);
            double testSeconds = (System.nanoTime() - start) / 1e9;
            TestResults results = TestResults.compute(test.labels(), evaluation.logits(), classNames.clone());
            out.println(String.format(Locale.ROOT, "%s: test accuracy %.4f, evaluated in %.1f s",
                    role, results.accuracy(), testSeconds));
            return new PathResult(role, kernels.name(), kernels.vectorBits(), kernels.threads(), initialLogits,
                    history.epochs(), training, evaluation.logits(), testSeconds, results);
        }
    }

    /**
     * The whole job for the main program: runs the comparison, creates {@code runDir}, writes comparison.md and
     * report.html there, prints the comparison, and ends with both test accuracies.
     */
    public Result runAndWrite(Dataset trainingSet, Dataset testSet, Path runDir, PrintStream out)
            throws IOException {
        Result result = run(trainingSet, testSet, out);
        Files.createDirectories(runDir);
        ComparisonReport.write(result, runDir);
        out.println();
        out.print(ComparisonReport.markdown(result));
        out.println("run folder: " + runDir + " (" + ComparisonReport.MARKDOWN_FILE + ", report.html)");
        out.println(String.format(Locale.ROOT, "test accuracy: scalar %.4f, vector %.4f",
                result.scalar().test().accuracy(), result.vector().test().accuracy()));
        return result;
    }
}
