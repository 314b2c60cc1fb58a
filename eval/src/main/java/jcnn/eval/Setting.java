package jcnn.eval;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import jcnn.training.Recipe;

/**
 * One setting of the main program, as the help text and the README's settings table show it: its name (a system
 * property {@code -Dname=value} or an argument {@code --name value}), the type of its values, the default, the
 * values it allows, one line of meaning, and the modes that use it. {@link #ALL} is the one list: the parser
 * accepts exactly these names, {@code --help} prints them, and a test checks the README's table against them.
 *
 * @param modes the modes that read this setting; given with another mode, it is an error, not silently ignored
 */
record Setting(String name, String type, String defaultValue, String allowed, String meaning, Set<Job> modes) {

    /** The four things the main program can do; {@link Settings#parse} picks one. */
    enum Job {
        TRAIN("train"), EVALUATE("evaluate"), GRID("grid"), COMPARE("compare");

        final String label;

        Job(String label) {
            this.label = label;
        }
    }

    private static final Set<Job> ALL_MODES = EnumSet.allOf(Job.class);
    private static final Set<Job> TRAINING = EnumSet.of(Job.TRAIN, Job.GRID, Job.COMPARE);

    /** Every setting, grouped as the help text shows them: all modes, the recipe, then each mode's own. */
    static final List<Setting> ALL = List.of(
            new Setting("help", "flag", "false", "true, false", "print this list and exit", ALL_MODES),
            new Setting("kernel", "choice", "vector if the Vector API is present", "scalar, vector",
                    "the kernel implementation (compare mode runs both)", ALL_MODES),
            new Setting("vector.bits", "integer", "the CPU's preferred", "0 (scalar), 128, 256, 512",
                    "the vector width of the vector kernels", ALL_MODES),
            new Setting("threads", "integer", "available processors", ">= 1",
                    "threads for GEMM and the batch-parallel kernels", ALL_MODES),
            new Setting("dataset", "choice", "fashion-mnist", "fashion-mnist, mnist, kmnist, cifar-10",
                    "the data set; both models take 1x28x28 images, so cifar-10 (3x32x32) is refused with them",
                    ALL_MODES),
            new Setting("data", "path", "bundled data/fashion-mnist", "a folder",
                    "a folder with the data set's files (Fashion-MNIST: the four IDX files)", ALL_MODES),
            new Setting("out", "path", "runs/<timestamp>/", "a new or empty folder (weights=: any folder)",
                    "the run folder: weights, metrics, reports, checkpoint; an evaluation into a folder that holds"
                    + " files writes a new subfolder evaluation/ there", ALL_MODES),
            new Setting("progress", "flag", "on a terminal", "true, false", "the console progress bar", ALL_MODES),
            new Setting("jcnn.download", "flag", "true", "true, false",
                    "download the data (https, checksum-pinned) when it is nowhere on disk", ALL_MODES),
            new Setting("jcnn.cache", "path", "~/.cache/jcnn", "a folder", "where downloaded data is kept",
                    ALL_MODES),
            new Setting("model", "choice", "seed (recipe=deep: deep)", "seed, deep",
                    "the model: seed (the study's CNN) or deep (conv-BN-ReLU blocks and dropout; README)",
                    EnumSet.of(Job.TRAIN, Job.EVALUATE)),
            new Setting("recipe", "choice", "default", "default, fast, best, seed, deep",
                    "a named recipe whose values the settings below override (docs/recipes.md; --help lists them)",
                    TRAINING),
            new Setting("epochs", "integer", "15 (compare: 1)", ">= 1", "training epochs", TRAINING),
            new Setting("optimizer", "choice", "sgd", "sgd, seed, sam, adam, adamw",
                    "sgd; seed (the notebook's own); sam (Foret et al.); adam; adamw", TRAINING),
            new Setting("momentum", "number", "0.9", "[0, 1)", "SGD and SAM momentum", TRAINING),
            new Setting("nesterov", "flag", "true", "true, false", "Nesterov momentum (needs momentum > 0)",
                    TRAINING),
            new Setting("weightDecay", "number", "5e-4", ">= 0", "L2 weight decay (decoupled for adamw)",
                    TRAINING),
            new Setting("schedule", "choice", "cosine", "constant, step, cosine, onecycle",
                    "the learning-rate schedule (onecycle: PyTorch's OneCycleLR, warm-up and cosine)",
                    TRAINING),
            new Setting("warmup", "integer", "0", "[0, epochs)", "linear warm-up epochs", TRAINING),
            new Setting("seed", "integer", "20261126", "any",
                    "initial weights, split and batch order: the same seed gives bit-identical weights", TRAINING),
            new Setting("limit", "integer", "0 = all (compare: 6000)", "0 .. the training images",
                    "train on the first N training images only (quick runs)", TRAINING),
            new Setting("validation", "number", "0.2", "[0, 1); grid needs > 0",
                    "the held-out fraction of the training set (the seed's 80/20 split)", TRAINING),
            // The recipes' ingredients (issue 17): all off in recipe=default; docs/recipes.md measures each.
            new Setting("crop", "integer", "0", "0 .. 8",
                    "augmentation: random crop from the image padded by this many black pixels (0 = off)", TRAINING),
            new Setting("flip", "flag", "false", "true, false",
                    "augmentation: flip half of the training images left to right", TRAINING),
            new Setting("labelSmoothing", "number", "0", "[0, 1)",
                    "label smoothing of the cross-entropy loss (PyTorch's label_smoothing)", TRAINING),
            new Setting("ema", "number", "0", "[0, 1)",
                    "decay of an average of the weights used for validation and the test (0 = off)", TRAINING),
            new Setting("lrScaling", "choice", "none", "none, linear, sqrt",
                    "scale lr with batch / 64: none, linear or sqrt", TRAINING),
            new Setting("tta", "flag", "false", "true, false",
                    "validation and the test classify each image and its mirror image, averaging the probabilities",
                    EnumSet.of(Job.TRAIN, Job.GRID, Job.EVALUATE)),
            new Setting("batch", "integer", "64", ">= 1, at most the training images", "images per step",
                    EnumSet.of(Job.TRAIN, Job.COMPARE)),
            new Setting("lr", "number", "0.05", "> 0", "the base learning rate of the schedule",
                    EnumSet.of(Job.TRAIN, Job.COMPARE)),
            new Setting("rho", "number", "0.05", ">= 0", "SAM's neighbourhood size",
                    EnumSet.of(Job.TRAIN, Job.COMPARE)),
            new Setting("nanPolicy", "choice", "stop", "stop, skip",
                    "on a non-finite loss or gradient: stop (naming step and layer) or skip the batch",
                    EnumSet.of(Job.TRAIN, Job.GRID)),
            new Setting("resume", "path", "", "a run folder with checkpoint.safetensors",
                    "continue the run in this folder from its checkpoint", EnumSet.of(Job.TRAIN)),
            new Setting("weights", "path", "", "a .h5 (the seed's) or .safetensors file",
                    "evaluate these weights instead of training", EnumSet.of(Job.EVALUATE)),
            new Setting("grid", "flag", "false", "true, false",
                    "the seed's grid search (batch x lr x rho, which it sets), then train the best point",
                    EnumSet.of(Job.GRID)),
            // The grid as independent runs (issue 17), for a batch scheduler: docs/grid.md.
            new Setting("grid.list", "flag", "false", "true, false",
                    "print one command per grid point (each grid.point=K out=OUT/point-K), run nothing",
                    EnumSet.of(Job.GRID)),
            new Setting("grid.point", "integer", "", "0 .. 7",
                    "train grid point K alone into the run folder (grid-point.json; no test set)",
                    EnumSet.of(Job.GRID)),
            new Setting("grid.merge", "path", "", "a folder of grid.point run folders",
                    "rank the points' folders by validation, then train and report the best",
                    EnumSet.of(Job.GRID)),
            new Setting("compare", "flag", "false", "true, false",
                    "train the same recipe on the scalar and the vector kernels and compare them",
                    EnumSet.of(Job.COMPARE)),
            new Setting("testLimit", "integer", "0 = all", ">= 0", "evaluate on the first N test images only",
                    EnumSet.of(Job.COMPARE)));

    /** The setting called {@code name}, exactly; null when there is none. */
    static Setting named(String name) {
        for (Setting s : ALL) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        return null;
    }

    /**
     * Whether a property that is not one of ours looks like a mistyped one of ours, and which: the same name in
     * another case ({@code weightdecay}), one edit away ({@code epoch}), or ours with something appended
     * ({@code batchsize}); any {@code jcnn.*} name counts too. Properties of Maven and the JVM ({@code java.home},
     * {@code maven.repo.local}, {@code test}, ...) are none of these, so they never count. Null when it does not.
     */
    static Setting nearMiss(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        Setting best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Setting s : ALL) {
            String ours = s.name.toLowerCase(Locale.ROOT);
            int d = distance(lower, ours);
            boolean near = d == 0 || (d == 1 && ours.length() >= 4) || (d == 2 && ours.length() >= 7)
                    || (ours.length() >= 4 && lower.startsWith(ours) && lower.length() <= ours.length() + 6);
            if (near && d < bestDistance) {
                best = s;
                bestDistance = d;
            }
        }
        if (best == null && lower.startsWith("jcnn.")) {
            return closest(name);
        }
        return best;
    }

    /** The setting whose name is closest to {@code name}, for a suggestion. */
    static Setting closest(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        Setting best = ALL.get(0);
        int bestDistance = Integer.MAX_VALUE;
        for (Setting s : ALL) {
            int d = distance(lower, s.name.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = s;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1], current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    /** What a value must be, for messages: "an integer (>= 1)", "a path", "one of scalar, vector". */
    String expected() {
        return switch (type) {
            case "integer" -> "an integer (" + allowed + ")";
            case "number" -> "a number (" + allowed + ")";
            case "flag" -> "true or false";
            case "choice" -> "one of " + allowed;
            default -> "a path";
        };
    }

    /** Which modes use it, in words: "all modes", or "train, compare". */
    String modeList() {
        if (modes.equals(ALL_MODES)) {
            return "all";
        }
        List<String> labels = new ArrayList<>();
        for (Job j : modes) {
            labels.add(j.label);
        }
        return String.join(", ", labels);
    }

    /** The help text: every setting, grouped by the modes that use it. */
    static String help() {
        StringBuilder sb = new StringBuilder();
        sb.append("jcnn: train the seed CNN on Fashion-MNIST, evaluate it on the official test set.\n");
        sb.append("usage: mvn -q compile exec:java -Dname=value ...  |  java -jar jcnn.jar --name value ...\n");
        sb.append("modes: train (default; resume=DIR continues a run), evaluate (weights=FILE), grid (grid=true,"
                + " grid.list, grid.point=K, grid.merge=DIR),"
                + " compare (compare=true)\n");
        String group = null;
        for (Setting s : ALL) {
            String g = s.modeList();
            if (!g.equals(group)) {
                group = g;
                sb.append('\n').append(g.equals("all") ? "all modes" : "modes: " + g).append('\n');
            }
            sb.append(String.format(Locale.ROOT, "  %-14s %-7s default: %s; allowed: %s%n", s.name, s.type,
                    s.defaultValue.isEmpty() ? "none" : s.defaultValue, s.allowed));
            sb.append(String.format(Locale.ROOT, "  %-14s %s%n", "", s.meaning));
        }
        sb.append("\nnamed recipes (recipe=NAME; any setting above overrides its value, and the run's first lines and"
                + " report say which did)\n");
        sb.append(Recipe.namedRecipesText());
        return sb.toString();
    }

    /** The README's settings table, generated from {@link #ALL}; {@code SettingsTest} checks the README has it. */
    static String markdownTable() {
        StringBuilder sb = new StringBuilder("| setting | type | default | allowed | modes | meaning |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (Setting s : ALL) {
            sb.append("| `").append(s.name).append("` | ").append(s.type).append(" | ")
                    .append(s.defaultValue.isEmpty() ? "" : s.defaultValue).append(" | ").append(s.allowed)
                    .append(" | ").append(s.modeList()).append(" | ").append(s.meaning).append(" |\n");
        }
        return sb.toString();
    }
}
