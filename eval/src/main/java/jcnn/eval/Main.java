package jcnn.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import jcnn.core.Engine;
import jcnn.eval.compare.Comparison;
import jcnn.eval.io.Hdf5Weights;
import jcnn.eval.io.NamedArray;
import jcnn.eval.metrics.ClassNames;
import jcnn.eval.report.HtmlReportWriter;
import jcnn.eval.report.Machine;
import jcnn.eval.report.RunReport;
import jcnn.eval.report.TestResults;
import jcnn.kernels.KernelProvider;
import jcnn.kernels.Kernels;
import jcnn.training.Checkpoint;
import jcnn.training.EpochMetrics;
import jcnn.training.GridSearch;
import jcnn.training.History;
import jcnn.training.JsonLinesWriter;
import jcnn.training.NanPolicy;
import jcnn.training.Recipe;
import jcnn.training.RunFolder;
import jcnn.training.Trainer;
import jcnn.training.data.DataLocator;
import jcnn.training.data.Dataset;
import jcnn.training.data.DatasetSpec;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;
import jcnn.training.nn.Summary;
import jcnn.training.nn.Weights;

/**
 * The main job: train the seed CNN on Fashion-MNIST (or load given weights), evaluate it on the official test set,
 * print the seed study's report and end with {@code test accuracy: 0.XXXX}.
 *
 * <pre>
 * mvn exec:java -Dkernel=vector                      train with the default recipe, then evaluate
 * mvn exec:java -Dweights=FILE                       evaluate weights (.h5 as saved by the seed, or .safetensors)
 * mvn exec:java -Dgrid=true -Depochs=3               the seed's grid search, then the best point
 * mvn exec:java -Dcompare=true                       the same recipe on scalar and vector kernels, side by side
 * </pre>
 * Every setting is a system property; see {@link #USAGE}. Every value is checked before anything runs or is
 * written: a bad one prints one line and exits with status 2, never a stack trace. Each run writes a folder
 * ({@code runs/<timestamp>/} by default): the weights as safetensors, per-epoch metrics as JSON lines, the report,
 * and the checkpoint of the last finished epoch, from which {@code -Dresume=DIR} continues an interrupted run.
 */
public final class Main {

    static final String USAGE = String.join("\n",
            "settings (-Dname=value):",
            "  kernel=scalar|vector  vector.bits=0|128|256|512  threads=N",
            "  epochs  batch  lr  optimizer=sgd|seed|sam|adam|adamw  momentum  nesterov  weightDecay  rho",
            "  schedule=constant|step|cosine  warmup  seed  limit (first N training images)  validation (fraction)",
            "  data=DIR  out=DIR  weights=FILE (.h5 or .safetensors: evaluate instead of training)  grid=true",
            "  compare=true (the recipe on scalar and vector kernels, side by side)  testLimit (first N test images)",
            "  resume=DIR (continue the run in DIR from its checkpoint)  nanPolicy=stop|skip (non-finite loss or"
                    + " gradient)");

    private final Properties settings;
    private final PrintStream out;
    private RunFolder runFolder;   // held, locked, from the check of the settings to the end of run()

    Main(Properties settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public static void main(String[] args) {
        try {
            new Main(System.getProperties(), System.out).run();
        } catch (IllegalArgumentException | IOException | UncheckedIOException | TrainingStopped e) {
            // A bad setting, missing data, a corrupt file or a run that stopped on a non-finite number: one line,
            // no stack trace, non-zero exit.
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Runs the job; a bad setting or input throws before the run folder is created. */
    void run() throws IOException {
        try {
            runJob();
        } finally {
            if (runFolder != null) {
                runFolder.close();   // also removes a folder this run created and left empty
                runFolder = null;
            }
        }
    }

    private void runJob() throws IOException {
        if (parseFlag("help")) {
            out.println(USAGE);
            return;
        }
        // Everything that can be wrong with the settings is found here, before any work or any file.
        Kernels kernels = KernelProvider.fromProperties(settings);
        Recipe recipe = Recipe.fromProperties(settings);
        Path weights = optionalPath("weights");
        boolean grid = parseFlag("grid");
        Comparison comparison = parseFlag("compare") ? Comparison.fromProperties(settings) : null;
        if (weights != null && !Files.isRegularFile(weights)) {
            throw new IllegalArgumentException("invalid weights=" + weights + ": no such file");
        }
        parseFlag("progress");        // read by the trainer and the data locator; checked here, with the rest
        parseFlag("jcnn.download");
        NanPolicy nanPolicy = NanPolicy.parse(settings.getProperty("nanPolicy"));
        Path resume = optionalPath("resume");
        Checkpoint checkpoint = resume == null ? null : resumeCheckpoint(resume, recipe, weights, grid);
        if (checkpoint != null) {
            recipe = checkpoint.recipe();
        }
        Path runDir = resume == null ? runFolder() : resumeFolder(resume);
        if (weights == null) {   // a run that writes owns its folder: created atomically, locked (issue 15)
            runFolder = resume != null ? RunFolder.resume(runDir)
                    : optionalPath("out") == null ? RunFolder.createUnique(runDir) : RunFolder.create(runDir);
            runDir = runFolder.dir();
        }

        DataLocator data = DataLocator.fromProperties(settings);
        Dataset test = data.load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TEST);
        Dataset train = weights == null ? data.load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TRAIN) : null;
        if (comparison != null) {
            // Trains on both kernel paths and writes its own report: see Comparison.
            comparison.runAndWrite(train, test, runDir, out);
            return;
        }

        try (Engine.Scope scope = Engine.using(kernels)) {
            Sequential model = SeedCnn.create(new SplittableRandom(recipe.seed()));
            List<EpochMetrics> history = new ArrayList<>();
            out.println("jcnn: kernels " + kernels.name() + ", " + kernels.threads() + " thread(s), JDK "
                    + Runtime.version());
            if (weights != null) {
                loadWeights(model, weights);
                out.println("evaluating weights " + weights);
            } else {
                out.println(Summary.of(model, SeedCnn.INPUT_SHAPE).table());
                Files.createDirectories(runDir);
                if (grid) {
                    recipe = gridSearch(recipe, train, runDir);
                    model = SeedCnn.create(new SplittableRandom(recipe.seed()));
                }
                history.addAll(train(model, recipe, train, runDir, nanPolicy, checkpoint));
            }

            TestResults results = TestResults.compute(test.labels(),
                    Trainer.evaluate(model, test, Trainer.EVALUATION_BATCH, true).logits(), ClassNames.fashionMnist());
            String text = describe(results);
            out.println();
            out.print(text);
            if (weights == null) {
                Files.writeString(runDir.resolve("report.txt"), text + accuracyLine(results) + "\n",
                        StandardCharsets.UTF_8);
                RunReport report = new RunReport("Fashion-MNIST seed CNN, " + kernels.name() + " kernels",
                        Instant.now(), recipe.asMap(), machine(kernels), history, results, List.of());
                HtmlReportWriter.write(report, runDir);
                out.println("run folder: " + runDir + " (report.html, report.txt, metrics.jsonl, weights.safetensors,"
                        + " checkpoint.safetensors)");
            }
            out.println(accuracyLine(results));
        }
    }

    private List<EpochMetrics> train(Sequential model, Recipe recipe, Dataset trainingSet, Path runDir,
                                     NanPolicy nanPolicy, Checkpoint resume) throws IOException {
        Dataset.Split split = Trainer.split(trainingSet, recipe);
        out.println("recipe: " + recipe.describe());
        out.println("training on " + split.train().size() + " images, validating on " + split.validation().size());
        Path checkpointFile = runDir.resolve(Checkpoint.FILE_NAME);
        Trainer trainer = new Trainer(model, recipe).nanPolicy(nanPolicy).checkpointTo(checkpointFile)
                .addListener(m -> out.println(m.describe()));
        if (resume != null) {
            out.println("resuming from " + checkpointFile + " after epoch " + resume.epoch() + " of "
                    + recipe.epochs());
            trainer.resume(resume, checkpointFile.toString());
        }
        History history;
        try (JsonLinesWriter metrics = JsonLinesWriter.create(runDir.resolve("metrics.jsonl"))) {
            trainer.addListener(metrics);
            history = trainer.fit(split.train(), split.validation());
        }
        if (history.diverged()) {
            throw new TrainingStopped(history.stopReason() + " (lower lr=" + recipe.lr() + ")");
        }
        if (history.skippedBatches() > 0) {
            out.println("skipped " + history.skippedBatches() + " batch(es) with a non-finite loss or gradient"
                    + " (nanPolicy=skip)");
        }
        trainer.restoreBest();
        out.println("kept the weights of epoch " + trainer.bestEpoch());
        Map<String, String> metadata = new LinkedHashMap<>();
        recipe.asMap().forEach((k, v) -> metadata.put(k, String.valueOf(v)));
        metadata.put("epoch", String.valueOf(trainer.bestEpoch()));
        Weights.save(model, runDir.resolve("weights.safetensors"), metadata);
        return history.epochs();
    }

    /** The text the run prints and saves: the report, confusion matrix, IoU, AUCs and top-k accuracy. */
    static String describe(TestResults t) {
        StringBuilder sb = new StringBuilder();
        sb.append(t.classificationReport()).append('\n');
        sb.append("confusion matrix (rows: true class, columns: predicted)\n");
        sb.append(t.confusion().render(t.classNames().toArray(new String[0]))).append('\n');
        sb.append("per-class IoU:");
        for (double v : t.iou()) {
            sb.append(String.format(Locale.ROOT, " %.4f", v));
        }
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "mean one-vs-rest ROC AUC (logits): %.5f%n", t.rocOneVsRest().macroAuc()));
        sb.append(String.format(Locale.ROOT, "one-vs-one ROC AUC (Hand & Till, softmax): %.5f%n", t.ovoMacroAuc()));
        t.topKAccuracy().forEach((k, v) -> {
            if (k > 1) {
                sb.append(String.format(Locale.ROOT, "top-%d accuracy: %.4f%n", k, v));
            }
        });
        return sb.toString();
    }

    /** The closing line of every run. */
    static String accuracyLine(TestResults t) {
        return String.format(Locale.ROOT, "test accuracy: %.4f", t.accuracy());
    }

    private static Machine machine(Kernels kernels) {
        String name = kernels.name();
        int bits = name.startsWith("vector-") ? Integer.parseInt(name.substring("vector-".length())) : 0;
        return Machine.detect(name, bits, kernels.threads());
    }

    private Recipe gridSearch(Recipe recipe, Dataset trainingSet, Path runDir) throws IOException {
        Dataset.Split split = Trainer.split(trainingSet, recipe);
        out.println("grid search over " + GridSearch.SEED_GRID.size() + " points: " + GridSearch.SEED_GRID);
        StringBuilder table = new StringBuilder();
        GridSearch.Result result = GridSearch.seed(recipe)
                .onRun(run -> {
                    out.println("grid: " + run.describe());
                    table.append(run.describe()).append('\n');
                })
                .run(split.train(), split.validation());
        out.println("grid: best " + result.best().describe());
        table.append("best: ").append(result.best().describe()).append('\n');
        Files.writeString(runDir.resolve("grid.txt"), table.toString(), StandardCharsets.UTF_8);
        return result.best().recipe();
    }

    static void loadWeights(Sequential model, Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
            Map<String, NamedArray> arrays = Hdf5Weights.read(file, Hdf5Weights.seedCnnShapes());
            Map<String, float[]> values = new LinkedHashMap<>();
            Map<String, int[]> shapes = new LinkedHashMap<>();
            arrays.forEach((k, a) -> {
                values.put(k, a.data());
                shapes.put(k, a.shape());
            });
            model.loadState(values, shapes, file.toString());
        } else if (name.endsWith(".safetensors")) {
            Weights.load(model, file);
        } else {
            throw new IllegalArgumentException("invalid weights=" + file + ": expected a .h5 or .safetensors file");
        }
    }

    /**
     * The checkpoint {@code resume=DIR} continues, after checking that nothing else on the command line contradicts
     * it: a recipe setting given must have the checkpoint's value, and neither weights= nor grid=true fit.
     */
    private Checkpoint resumeCheckpoint(Path dir, Recipe given, Path weights, boolean grid) throws IOException {
        if (weights != null) {
            throw new IllegalArgumentException("invalid resume=" + dir + ": it continues training, weights="
                    + weights + " evaluates without training; give one of them");
        }
        if (grid) {
            throw new IllegalArgumentException("invalid resume=" + dir + ": a grid search cannot be resumed");
        }
        Path file = dir.resolve(Checkpoint.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("invalid resume=" + dir + ": no " + Checkpoint.FILE_NAME + " in it");
        }
        Checkpoint checkpoint = Checkpoint.load(file);
        Map<String, Object> saved = checkpoint.recipe().asMap(), mine = given.asMap();
        for (String key : saved.keySet()) {
            if (settings.getProperty(key) != null && !saved.get(key).equals(mine.get(key))) {
                throw new IllegalArgumentException("invalid " + key + "=" + settings.getProperty(key).trim()
                        + ": resume=" + dir + " continues a run with " + key + "=" + saved.get(key)
                        + " (leave the setting out or give that value)");
            }
        }
        return checkpoint;
    }

    /** A resumed run goes on in its own folder; {@code out}, if given, must name it. */
    private Path resumeFolder(Path resume) throws IOException {
        Path dir = optionalPath("out");
        if (dir != null && !(Files.exists(dir) && Files.isSameFile(dir, resume))) {
            throw new IllegalArgumentException("invalid out=" + dir + ": resume=" + resume
                    + " continues in its own folder (leave out= out)");
        }
        return resume;
    }

    /** Training stopped on a non-finite loss, gradient or weight; its message names the step and the layer. */
    static final class TrainingStopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TrainingStopped(String message) {
            super(message);
        }
    }

    private Path runFolder() {
        Path dir = optionalPath("out");
        if (dir == null) {
            return RunFolder.defaultPath(LocalDateTime.now());   // taken: RunFolder.createUnique adds -2, -3, ...
        }
        if (!RunFolder.isUnused(dir)) {
            // Never overwrite a previous run's weights or report.
            throw new IllegalArgumentException("invalid out=" + dir + ": it already exists and is not an empty folder");
        }
        return dir;
    }

    private Path optionalPath(String key) {
        String v = settings.getProperty(key);
        if (v == null) {
            return null;
        }
        if (v.isBlank()) {
            throw new IllegalArgumentException("invalid " + key + "=: expected a path");
        }
        return Path.of(v.trim());
    }

    private boolean parseFlag(String key) {
        String v = settings.getProperty(key, "false").trim();
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("invalid " + key + "=" + v + ": expected true or false");
        }
        return Boolean.parseBoolean(v);
    }
}
