package jcnn.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Properties;
import jcnn.eval.compare.Comparison;
import jcnn.kernels.KernelProvider;
import jcnn.kernels.Kernels;
import jcnn.training.Checkpoint;
import jcnn.training.NanPolicy;
import jcnn.training.Recipe;
import jcnn.training.data.DataLocator;

/**
 * Everything the main program was told, parsed once and checked before anything runs or is written: the kernels,
 * where the data is, the run folder, and the one {@link Mode} to run with its own settings.
 *
 * @param help    whether to print the usage and do nothing else
 * @param kernels the kernels of the run (compare mode runs its own pair)
 * @param data    where the Fashion-MNIST files are found
 * @param runDir  the run folder: new and empty, or the folder a resumed run continues in
 * @param mode    what to run
 */
record Settings(boolean help, Kernels kernels, DataLocator data, Path runDir, Mode mode) {

    /**
     * Parses and checks every setting in {@code p}; a checkpoint to resume from is read and verified here too.
     *
     * @throws IllegalArgumentException with a one-line message naming the setting, the value and what was
     *                                  expected
     * @throws IOException              when the checkpoint to resume from cannot be read
     */
    static Settings parse(Properties p) throws IOException {
        if (flag(p, "help")) {
            return new Settings(true, null, null, null, null);
        }
        Kernels kernels = KernelProvider.fromProperties(p);
        Recipe recipe = Recipe.fromProperties(p);
        Path weights = optionalPath(p, "weights");
        boolean grid = flag(p, "grid");
        Comparison comparison = flag(p, "compare") ? Comparison.fromProperties(p) : null;
        if (weights != null && !Files.isRegularFile(weights)) {
            throw new IllegalArgumentException("invalid weights=" + weights + ": no such file");
        }
        flag(p, "progress");        // read by the trainer and the data locator; checked here, with the rest
        flag(p, "jcnn.download");
        NanPolicy nanPolicy = NanPolicy.parse(p.getProperty("nanPolicy"));
        Path resume = optionalPath(p, "resume");
        Checkpoint checkpoint = resume == null ? null : resumeCheckpoint(p, resume, recipe, weights, grid);
        Path runDir = resume == null ? runFolder(p) : resumeFolder(p, resume);

        Mode mode;
        if (comparison != null) {
            mode = new CompareMode(comparison);
        } else if (weights != null) {
            mode = new EvaluateMode(weights);
        } else if (grid) {
            mode = new GridMode(recipe, nanPolicy);
        } else {
            mode = new TrainMode(checkpoint == null ? recipe : checkpoint.recipe(), nanPolicy, checkpoint);
        }
        return new Settings(false, kernels, DataLocator.fromProperties(p), runDir, mode);
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
            dir = Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        if (Files.exists(dir) && !isEmptyDirectory(dir)) {
            throw new IllegalArgumentException("invalid out=" + dir + ": it already exists and is not an empty folder");
        }
        return dir;
    }

    private static boolean isEmptyDirectory(Path dir) {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

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
