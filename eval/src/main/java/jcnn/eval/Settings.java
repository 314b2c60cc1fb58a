package jcnn.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import jcnn.eval.compare.Comparison;
import jcnn.kernels.KernelProvider;
import jcnn.kernels.Kernels;
import jcnn.training.Checkpoint;
import jcnn.training.GridSearch;
import jcnn.training.NanPolicy;
import jcnn.training.Recipe;
import jcnn.training.RunFolder;
import jcnn.training.data.DataLocator;
import jcnn.training.data.Dataset;
import jcnn.training.data.DatasetSpec;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;
import jcnn.training.nn.Models;

/**
 * Everything the main program was told, parsed once and checked before anything runs or is written: the kernels,
 * where the data is, the run folder, and the one {@link Mode} to run with its own settings.
 *
 * @param help    whether to print the usage and do nothing else
 * @param kernels the kernels of the run (compare mode runs its own pair)
 * @param data    where the data set's files are found
 * @param dataset the data set ({@code dataset=}; Fashion-MNIST by default)
 * @param runDir  the run folder: new and empty, or the folder a resumed run continues in
 * @param mode    what to run
 * @param progress whether to show the console progress bar; null for the default (on a terminal only)
 * @param claim   how the run takes its folder when it starts: see {@link #claimRunFolder()}
 */
record Settings(boolean help, Kernels kernels, DataLocator data, Path runDir, Mode mode, Boolean progress,
                Claim claim, DatasetSpec dataset) {

    /**
     * A new folder named by {@code out}; a new folder whose name gets a suffix when taken (the default
     * {@code runs/<timestamp>}, or an evaluation's {@code out/evaluation}); a resumed run's folder.
     */
    enum Claim { GIVEN, DEFAULT, RESUME }

    /**
     * Takes the run folder for this run: created atomically and locked for the run's life, so no other run, in
     * this JVM or another, writes into it (see {@link RunFolder}). A default name that another run took in the
     * same second gets a suffix; a given one that is in use is refused with one line naming it.
     */
    RunFolder claimRunFolder() throws IOException {
        return switch (claim) {
            case GIVEN -> RunFolder.create(runDir);
            case DEFAULT -> RunFolder.createUnique(runDir);
            case RESUME -> RunFolder.resume(runDir);
        };
    }

    /** These settings with the folder the run actually claimed. */
    Settings in(Path claimed) {
        return new Settings(help, kernels, data, claimed, mode, progress, claim, dataset);
    }

    /** As {@link #parse(Properties, List)} without command-line arguments. */
    static Settings parse(Properties p) throws IOException {
        return parse(p, List.of());
    }

    /**
     * Parses and checks every setting: those among {@code system} (the JVM's system properties, {@code -Dname=value})
     * whose names are ours, then the command-line {@code args} ({@code --name value}, {@code --name=value},
     * {@code --flag}), which win. A checkpoint to resume from is read and verified here too. Nothing is written.
     *
     * @throws IllegalArgumentException with a one-line message naming the setting, the value and what was
     *                                  expected: an unknown or misspelled name (with a suggestion), a bad value, a
     *                                  setting the chosen mode does not use, or two settings that contradict
     * @throws IOException              when the checkpoint to resume from cannot be read
     */
    static Settings parse(Properties system, List<String> args) throws IOException {
        Properties p = new Properties();
        p.putAll(system);
        Map<String, String> given = new LinkedHashMap<>();
        for (String key : system.stringPropertyNames()) {
            if (Setting.named(key) != null) {
                given.put(key, system.getProperty(key));
            } else {
                Setting near = Setting.nearMiss(key);
                if (near != null) {
                    throw new IllegalArgumentException("unknown setting '" + key + "': did you mean '" + near.name()
                            + "'? (--help lists them all)");
                }
            }
        }
        given.putAll(arguments(args));
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (e.getValue().isBlank() && Setting.named(e.getKey()).type().equals("flag")) {
                e.setValue("true");   // -Dgrid.list, like --grid.list: a flag named alone is on
            }
        }
        given.forEach(p::setProperty);
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (e.getValue().isBlank()) {
                Setting s = Setting.named(e.getKey());
                throw new IllegalArgumentException("invalid " + e.getKey() + "=: expected " + s.expected());
            }
        }
        for (Map.Entry<String, String> e : given.entrySet()) {
            checkIntegerRange(Setting.named(e.getKey()), e.getValue().trim());
        }
        if (flag(p, "help")) {
            return new Settings(true, null, null, null, null, null, null, null);
        }
        Setting.Job job = job(p, given);
        for (String key : given.keySet()) {
            Setting s = Setting.named(key);
            if (!s.modes().contains(job)) {
                throw new IllegalArgumentException("invalid " + key + "=" + given.get(key).trim() + ": "
                        + ignoredBecause(s, job) + "; leave it out");
            }
        }
        if (given.containsKey("vector.bits") && p.getProperty("kernel", "").trim().equalsIgnoreCase("scalar")) {
            throw new IllegalArgumentException("invalid vector.bits=" + given.get("vector.bits").trim()
                    + ": kernel=scalar has no vector width; leave one of them out");
        }

        String model = model(p, job);
        DatasetSpec dataset = dataset(p, model);
        Kernels kernels = KernelProvider.fromProperties(p);
        Recipe recipe = Recipe.fromProperties(p);
        Path weights = optionalPath(p, "weights");
        Comparison comparison = job == Setting.Job.COMPARE ? Comparison.fromProperties(p) : null;
        if (weights != null && !Files.isRegularFile(weights)) {
            throw new IllegalArgumentException("invalid weights=" + weights + ": no such file");
        }
        Boolean progress = given.containsKey("progress") ? flag(p, "progress") : null;
        flag(p, "jcnn.download");
        NanPolicy nanPolicy = NanPolicy.parse(p.getProperty("nanPolicy"));
        Path resume = optionalPath(p, "resume");
        Checkpoint checkpoint = resume == null ? null : resumeCheckpoint(p, resume, recipe, weights, false);
        if (checkpoint != null && p.getProperty("model") == null) {
            model = Recipe.modelFor(checkpoint.recipe().name());   // a resumed recipe=deep run is the deep model's
        }
        GridMode grid = job == Setting.Job.GRID ? gridMode(p, given, recipe, nanPolicy) : null;
        Path runDir = resume != null ? resumeFolder(p, resume)
                : grid != null && !grid.usesRunFolder() ? listFolder(p)
                : job == Setting.Job.EVALUATE && isFinishedRun(p) ? evaluationFolder(p) : runFolder(p);

        Mode mode = switch (job) {
            case COMPARE -> new CompareMode(comparison);
            case EVALUATE -> new EvaluateMode(weights, model, recipe.tta());
            case GRID -> grid;
            case TRAIN -> new TrainMode(checkpoint == null ? recipe : checkpoint.recipe(), nanPolicy, checkpoint,
                    model);
        };
        Claim claim = resume != null ? Claim.RESUME
                : optionalPath(p, "out") == null || !runDir.equals(optionalPath(p, "out")) ? Claim.DEFAULT
                : Claim.GIVEN;
        return new Settings(false, kernels, DataLocator.fromProperties(p), runDir, mode, progress, claim, dataset);
    }

    /**
     * The model {@code model=} names; when it is not given, the one the named recipe is for ({@code recipe=deep}:
     * the deep model; {@link Recipe#modelFor}), else the seed CNN. Grid and compare modes run the seed CNN only, so
     * a recipe made for another model is refused there.
     */
    static String model(Properties p, Setting.Job job) {
        String recipe = p.getProperty("recipe", "default").trim();
        String given = p.getProperty("model");
        String model = given != null ? given.trim() : Recipe.modelFor(recipe);
        if (!Models.names().contains(model)) {
            throw new IllegalArgumentException("invalid model=" + model + ": expected one of "
                    + String.join(", ", Models.names()));
        }
        if ((job == Setting.Job.GRID || job == Setting.Job.COMPARE) && !model.equals(Models.DEFAULT)) {
            throw new IllegalArgumentException("invalid recipe=" + recipe + ": it trains the " + model
                    + " model, and " + job.label + " mode runs the seed CNN only");
        }
        return model;
    }

    /**
     * The data set {@code dataset=} names (Fashion-MNIST when it is not given), after checking that the model
     * {@code modelName} takes its images and gives one score per class: the seed CNN and the deep model take
     * 1x28x28, so CIFAR-10's 3x32x32 are refused here, before any data is read or anything is written, with both
     * shapes and the layer that does not fit.
     */
    static DatasetSpec dataset(Properties p, String modelName) {
        String name = p.getProperty("dataset", DatasetSpec.FASHION_MNIST.name()).trim();
        DatasetSpec spec;
        try {
            spec = DatasetSpec.named(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid dataset=" + name + ": expected one of "
                    + Setting.named("dataset").allowed());
        }
        Sequential model = Models.create(modelName, new SplittableRandom(0));
        String label = modelName.equals(Models.DEFAULT) ? "the seed CNN" : "the " + modelName + " model";
        int[] in = SeedCnn.INPUT_SHAPE;   // both models take the seed's 1x28x28 (Models)
        String takes = in[0] + "x" + in[1] + "x" + in[2];
        int[] out;
        try {
            out = model.outputShape(new int[] {1, spec.channels(), spec.rows(), spec.cols()});
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid dataset=" + name + ": its images are " + spec.shapeName()
                    + " (channels x rows x cols) and " + label + " takes " + takes + " (" + e.getMessage()
                    + "); it needs a model made for " + spec.shapeName() + " images");
        }
        if (out[out.length - 1] != spec.classes()) {
            throw new IllegalArgumentException("invalid dataset=" + name + ": it has " + spec.classes()
                    + " classes and " + label + " " + out[out.length - 1]);
        }
        return spec;
    }

    /**
     * Checks a recipe against the training set it will run on, before anything is written: a limit within the
     * data, a split that leaves training images (and validation images when a fraction is held out, or when
     * {@code needsValidation}), and batches no larger than the training images.
     *
     * @param batches the batch sizes that will run (the recipe's, or every grid point's)
     */
    static void checkData(Recipe r, Dataset trainingSet, boolean needsValidation, List<Integer> batches) {
        int n = trainingSet.size();
        if (r.limit() > n) {
            throw new IllegalArgumentException("invalid limit=" + r.limit() + ": the training set has " + n
                    + " images (limit=0 uses all of them)");
        }
        int used = r.limit() > 0 ? r.limit() : n;
        double f = r.validationFraction();
        int train = f == 0 ? used : (int) Math.round(used * (1 - f));
        int validation = used - train;
        if (train == 0) {
            throw new IllegalArgumentException("invalid validation=" + f + ": it leaves no training image of the "
                    + used + " used");
        }
        if (f > 0 && validation == 0) {
            throw new IllegalArgumentException("invalid validation=" + f + ": it holds out no image of the " + used
                    + " used (validation=0 means no validation set)");
        }
        if (needsValidation && validation == 0) {
            throw new IllegalArgumentException("invalid validation=" + f
                    + ": grid=true ranks its points by validation accuracy, so it needs a validation set");
        }
        for (int batch : batches) {
            if (batch > train) {
                throw new IllegalArgumentException("invalid batch=" + batch + ": larger than the " + train
                        + " training images (" + used + " used, " + validation + " held out for validation)");
            }
        }
    }

    /** Which way the grid runs: grid=true, grid.list, grid.point=K or grid.merge=DIR (one of them). */
    private static GridMode gridMode(Properties p, Map<String, String> given, Recipe recipe, NanPolicy nanPolicy)
            throws IOException {
        if (given.containsKey("grid.point")) {
            String v = given.get("grid.point").trim();
            int n = GridSearch.SEED_GRID.size(), k;
            try {
                k = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                k = -1;
            }
            if (k < 0 || k >= n) {
                throw new IllegalArgumentException("invalid grid.point=" + v + ": expected an integer in [0, "
                        + (n - 1) + "] (the seed's grid has " + n + " points; grid.list prints them)");
            }
            return new GridMode(recipe, nanPolicy, GridMode.Action.POINT, k, List.of(), given);
        }
        if (given.containsKey("grid.merge")) {
            Path dir = optionalPath(p, "grid.merge");
            return new GridMode(recipe, nanPolicy, GridMode.Action.MERGE, -1, GridMode.readPoints(dir, given),
                    given);
        }
        if (flag(p, "grid.list")) {
            return new GridMode(recipe, nanPolicy, GridMode.Action.LIST, -1, List.of(), given);
        }
        return new GridMode(recipe, nanPolicy);
    }

    /** grid.list's base folder for the points: out, or a new default name; it prints and creates nothing. */
    private static Path listFolder(Properties p) {
        Path dir = optionalPath(p, "out");
        return dir != null ? dir : RunFolder.defaultPath(LocalDateTime.now());
    }

    /**
     * An integer setting given a whole number that its type cannot hold ({@code epochs=99999999999}) is refused
     * with the range, not with "expected an integer" (issue 15, item 9). {@code seed} is a long; the others ints.
     * Anything that is not a whole number is left to the setting's own parser, which says what it expected.
     */
    static void checkIntegerRange(Setting s, String value) {
        if (!s.type().equals("integer") || !value.matches("[-+]?\\d+")) {
            return;
        }
        boolean isLong = s.name().equals("seed");
        java.math.BigInteger v = new java.math.BigInteger(value);
        java.math.BigInteger min = java.math.BigInteger.valueOf(isLong ? Long.MIN_VALUE : Integer.MIN_VALUE);
        java.math.BigInteger max = java.math.BigInteger.valueOf(isLong ? Long.MAX_VALUE : Integer.MAX_VALUE);
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            throw new IllegalArgumentException("invalid " + s.name() + "=" + value + ": expected " + s.expected()
                    + ", and " + value + " is beyond the " + (isLong ? "64" : "32") + "-bit range, "
                    + (v.signum() < 0 ? "at least " + min : "at most " + max));
        }
    }

    /** The one mode the settings select; two at once is an error. */
    private static Setting.Job job(Properties p, Map<String, String> given) {
        List<String> modes = new ArrayList<>();
        if (flag(p, "compare")) {
            modes.add("compare=true");
        }
        if (given.containsKey("weights")) {
            modes.add("weights=" + given.get("weights").trim());
        }
        if (flag(p, "grid")) {
            modes.add("grid=true");
        }
        if (flag(p, "grid.list")) {
            modes.add("grid.list=true");
        }
        for (String key : List.of("grid.point", "grid.merge")) {
            if (given.containsKey(key)) {
                modes.add(key + "=" + given.get(key).trim());
            }
        }
        if (given.containsKey("resume")) {
            modes.add("resume=" + given.get("resume").trim());
        }
        if (modes.size() > 1) {
            throw new IllegalArgumentException("invalid " + modes.get(1) + ": " + modes.get(0)
                    + " is another mode; give one of " + String.join(", ", modes));
        }
        if (flag(p, "compare")) {
            return Setting.Job.COMPARE;
        }
        if (given.containsKey("weights")) {
            return Setting.Job.EVALUATE;
        }
        boolean grid = flag(p, "grid") || flag(p, "grid.list") || given.containsKey("grid.point")
                || given.containsKey("grid.merge");
        return grid ? Setting.Job.GRID : Setting.Job.TRAIN;
    }

    private static String ignoredBecause(Setting s, Setting.Job job) {
        if (s.name().equals("model")) {
            return job.label + " mode runs the seed CNN only (model= is for training and evaluation)";
        }
        if (job == Setting.Job.GRID && s.modes().contains(Setting.Job.TRAIN)) {
            return "grid=true sets " + s.name() + " itself at every point of its grid";
        }
        if (job == Setting.Job.EVALUATE && s.modes().contains(Setting.Job.TRAIN)) {
            return "weights= evaluates without training, and " + s.name() + " is a training setting";
        }
        return s.name() + " is read only in " + s.modeList() + " mode, and this run is " + job.label;
    }

    /**
     * {@code --name value}, {@code --name=value}, {@code --flag} (true), {@code -h}; the names are the settings'
     * own. An unknown name is an error with a suggestion.
     */
    static Map<String, String> arguments(List<String> args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-h") || a.equals("--help") || a.equals("-help")) {
                out.put("help", "true");
                continue;
            }
            if (!a.startsWith("--") || a.length() == 2) {
                throw new IllegalArgumentException("unexpected argument '" + a + "': settings are --name value"
                        + " (--help lists them)");
            }
            String name = a.substring(2), value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Setting s = Setting.named(name);
            if (s == null) {
                throw new IllegalArgumentException("unknown setting '--" + name + "': did you mean '--"
                        + Setting.closest(name).name() + "'? (--help lists them all)");
            }
            if (value == null) {
                boolean next = i + 1 < args.size() && !args.get(i + 1).startsWith("--");
                if (s.type().equals("flag") && (!next || !isBoolean(args.get(i + 1)))) {
                    value = "true";
                } else if (next) {
                    value = args.get(++i);
                } else {
                    throw new IllegalArgumentException("invalid --" + name + ": expected a value (" + s.allowed()
                            + ")");
                }
            }
            out.put(name, value);
        }
        return out;
    }

    private static boolean isBoolean(String v) {
        return v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false");
    }

    /**
     * The checkpoint {@code resume=DIR} continues, after checking that nothing else contradicts it: a recipe
     * setting given must have the checkpoint's value, and neither weights= nor grid=true fit.
     */
    private static Checkpoint resumeCheckpoint(Properties p, Path dir, Recipe given, Path weights, boolean grid)
            throws IOException {
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
            if (p.getProperty(key) != null && !saved.get(key).equals(mine.get(key))) {
                throw new IllegalArgumentException("invalid " + key + "=" + p.getProperty(key).trim()
                        + ": resume=" + dir + " continues a run with " + key + "=" + saved.get(key)
                        + " (leave the setting out or give that value)");
            }
        }
        return checkpoint;
    }

    /** A resumed run goes on in its own folder; {@code out}, if given, must name it. */
    private static Path resumeFolder(Properties p, Path resume) throws IOException {
        Path dir = optionalPath(p, "out");
        if (dir != null && !(Files.exists(dir) && Files.isSameFile(dir, resume))) {
            throw new IllegalArgumentException("invalid out=" + dir + ": resume=" + resume
                    + " continues in its own folder (leave out= out)");
        }
        return resume;
    }

    /** {@code out}, or {@code runs/<timestamp>/}; never a folder that holds anything (another run's work). */
    private static Path runFolder(Properties p) {
        Path dir = optionalPath(p, "out");
        if (dir == null) {
            return RunFolder.defaultPath(LocalDateTime.now());   // taken already: claimRunFolder adds -2, -3, ...
        }
        if (!RunFolder.isUnused(dir)) {
            throw new IllegalArgumentException("invalid out=" + dir + ": it already exists and is not an empty folder");
        }
        return dir;
    }

    /** Whether {@code out} names a folder that holds something already (another run's results, say). */
    private static boolean isFinishedRun(Properties p) {
        Path dir = optionalPath(p, "out");
        return dir != null && Files.isDirectory(dir) && !RunFolder.isUnused(dir);
    }

    /**
     * Where {@code weights=FILE out=DIR} writes when DIR holds something already: a new subfolder
     * {@code DIR/evaluation} ({@code evaluation-2}, ... when taken), created atomically when the run starts. An
     * evaluation writes a report of its own (report.txt, report.html, figures), so it may go beside a finished
     * run, whose weights it often evaluates, but it never overwrites that run's files (issue 15, item 10).
     */
    private static Path evaluationFolder(Properties p) {
        return optionalPath(p, "out").resolve(EVALUATION_FOLDER);
    }

    /** The subfolder an evaluation writes into when {@code out} names a folder that is not empty. */
    static final String EVALUATION_FOLDER = "evaluation";

    private static Path optionalPath(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            return null;
        }
        if (v.isBlank()) {
            throw new IllegalArgumentException("invalid " + key + "=: expected a path");
        }
        return Path.of(v.trim());
    }

    private static boolean flag(Properties p, String key) {
        String v = p.getProperty(key, "false").trim();
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("invalid " + key + "=" + v + ": expected true or false");
        }
        return Boolean.parseBoolean(v);
    }
}
