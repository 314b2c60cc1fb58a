package jcnn.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jcnn.core.Engine;
import jcnn.core.io.AtomicFiles;
import jcnn.training.GridPointResult;
import jcnn.training.GridSearch;
import jcnn.training.History;
import jcnn.training.JsonLinesWriter;
import jcnn.training.NanPolicy;
import jcnn.training.Recipe;
import jcnn.training.Trainer;
import jcnn.training.data.Dataset;
import jcnn.training.data.DatasetSpec;
import jcnn.training.nn.Module;
import jcnn.training.nn.Weights;
import jcnn.training.nn.Models;

/**
 * The seed notebook's grid search over {@link GridSearch#SEED_GRID} (batch x lr x rho), ranked by validation
 * accuracy, in one of four ways:
 * <ul>
 *   <li>{@code grid=true}: every point in this process, one after the other, the table in {@code grid.txt}; then
 *       the best point is trained and reported like the main job.</li>
 *   <li>{@code grid.list=true}: prints one command per point (nothing else, nothing written), each running
 *       {@code grid.point=K} into {@code OUT/point-K}, for GNU parallel or a Slurm job array (docs/grid.md).</li>
 *   <li>{@code grid.point=K}: trains point K alone into the run folder: {@code grid-point.json} (its recipe and best
 *       validation accuracy), {@code metrics.jsonl}, and the best epoch's {@code weights.safetensors}. The test set
 *       is not touched: points are chosen on validation only.</li>
 *   <li>{@code grid.merge=DIR}: reads the point folders in DIR, checks that all eight are there and share one
 *       recipe, ranks them as {@code grid=true} does, writes {@code grid.txt}, then trains the best point and
 *       reports it. Each point trains exactly as in {@code grid=true} (same data, order and initial weights), so
 *       the table and the final weights are the in-process search's, bit for bit, on the same kernels.</li>
 * </ul>
 *
 * @param recipe the base recipe, whose batch, lr and rho each point replaces
 * @param action which of the four
 * @param point  the point of {@code grid.point}; -1 otherwise
 * @param merged the points read by {@code grid.merge}, in grid order; empty otherwise
 * @param given  the settings given, for the commands {@code grid.list} prints
 */
record GridMode(Recipe recipe, NanPolicy nanPolicy, Action action, int point, List<GridPointResult> merged,
                Map<String, String> given) implements Mode {

    /** The four ways of running the grid. */
    enum Action { SEARCH, LIST, POINT, MERGE }

    /** The folder {@code grid.list} names for point K: {@code point-K}. */
    static final String POINT_FOLDER = "point-";

    /** The in-process search of {@code grid=true}. */
    GridMode(Recipe recipe, NanPolicy nanPolicy) {
        this(recipe, nanPolicy, Action.SEARCH, -1, List.of(), Map.of());
    }

    GridMode {
        merged = List.copyOf(merged);
        given = Map.copyOf(given);
    }

    @Override
    public boolean usesRunFolder() {
        return action != Action.LIST;
    }

    @Override
    @SuppressWarnings("try")   // the kernels scope is used for its open/close
    public void run(Settings settings, PrintStream out) throws IOException {
        if (action == Action.LIST) {
            commands(settings.runDir()).forEach(out::println);
            return;
        }
        Dataset train = settings.data().load(settings.dataset(), DatasetSpec.Part.TRAIN);
        Recipe base = action == Action.MERGE ? merged.get(0).recipe() : recipe;
        List<Integer> batches = action == Action.POINT ? List.of(GridSearch.SEED_GRID.get(point).batch())
                : GridSearch.SEED_GRID.stream().map(GridSearch.Point::batch).toList();
        Settings.checkData(base, train, true, batches);
        Dataset test = action == Action.POINT ? null
                : settings.data().load(settings.dataset(), DatasetSpec.Part.TEST);
        try (Engine.Scope scope = Engine.using(settings.kernels())) {
            TrainMode.announce(settings.kernels(), Models.DEFAULT, out);
            Files.createDirectories(settings.runDir());
            Recipe best = switch (action) {
                case SEARCH -> search(train, settings, out);
                case MERGE -> merge(settings, out);
                default -> null;
            };
            if (action == Action.POINT) {
                trainPoint(train, settings, out);
            } else {
                TrainMode.trainAndReport(settings, best, nanPolicy, null, Models.DEFAULT, train, test, out);
            }
        }
    }

    private Recipe search(Dataset trainingSet, Settings settings, PrintStream out) throws IOException {
        Dataset.Split split = Trainer.split(trainingSet, recipe);
        out.println("grid search over " + GridSearch.SEED_GRID.size() + " points: " + GridSearch.SEED_GRID);
        StringBuilder table = new StringBuilder();
        GridSearch search = GridSearch.seed(recipe);
        if (settings.progress() != null) {
            search.showProgress(settings.progress());
        }
        GridSearch.Result result = search
                .onRun(run -> {
                    out.println("grid: " + run.describe());
                    table.append(run.describe()).append('\n');
                })
                .run(split.train(), split.validation());
        out.println("grid: best " + result.best().describe());
        table.append("best: ").append(result.best().describe()).append('\n');
        AtomicFiles.write(settings.runDir().resolve("grid.txt"), table.toString().getBytes(StandardCharsets.UTF_8));
        return result.best().recipe();
    }

    /**
     * One point, trained as {@link GridSearch#run} trains it (a fresh seed CNN from the recipe's seed, the
     * recipe's split, the default non-finite policy), with its metrics, best weights and result saved.
     */
    private void trainPoint(Dataset trainingSet, Settings settings, PrintStream out) throws IOException {
        GridSearch.Point p = GridSearch.SEED_GRID.get(point);
        Recipe r = recipe.withGridPoint(p.batch(), p.lr(), p.rho());
        Dataset.Split split = Trainer.split(trainingSet, r);
        out.println("grid point " + point + " of " + GridSearch.SEED_GRID.size() + ": " + p);
        out.println("recipe: " + r.describe());
        Module model = GridSearch.seedCnn().apply(r);
        Trainer trainer = new Trainer(model, r).addListener(m -> out.println(m.describe()));
        if (settings.progress() != null) {
            trainer.showProgress(settings.progress());
        }
        History history;
        Path dir = settings.runDir();
        try (JsonLinesWriter metrics = JsonLinesWriter.create(dir.resolve("metrics.jsonl"))) {
            trainer.addListener(metrics);
            history = trainer.fit(split.train(), split.validation());
        }
        GridPointResult result = GridPointResult.of(point, r, history);
        if (history.bestEpoch() > 0) {
            trainer.restoreBest();
            Map<String, String> metadata = new LinkedHashMap<>();
            r.asMap().forEach((k, v) -> metadata.put(k, String.valueOf(v)));
            metadata.put("epoch", String.valueOf(history.bestEpoch()));
            Weights.save(model, dir.resolve("weights.safetensors"), metadata);
        }
        result.write(dir);
        out.println("grid: " + result.describe());
        out.println("wrote " + dir.resolve(GridPointResult.FILE_NAME));
    }

    private Recipe merge(Settings settings, PrintStream out) throws IOException {
        StringBuilder table = new StringBuilder();
        GridPointResult best = null;
        for (GridPointResult r : merged) {
            out.println("grid: " + r.describe());
            table.append(r.describe()).append('\n');
            if (best == null || r.score() > best.score()) {
                best = r;
            }
        }
        out.println("grid: best " + best.describe());
        table.append("best: ").append(best.describe()).append('\n');
        AtomicFiles.write(settings.runDir().resolve("grid.txt"), table.toString().getBytes(StandardCharsets.UTF_8));
        return best.recipe();
    }

    /**
     * The commands {@code grid.list} prints: one per point, each with the settings given here (but grid.list and
     * out) and {@code grid.point=K out=BASE/point-K}. From the runnable jar they are {@code java -jar JAR --name
     * value ...}; otherwise {@code mvn -q exec:java -Dname=value ...}.
     */
    List<String> commands(Path base) {
        String jar = Main.runningJar();
        List<String> lines = new ArrayList<>();
        for (int k = 0; k < GridSearch.SEED_GRID.size(); k++) {
            Map<String, String> s = new LinkedHashMap<>();
            s.put("grid.point", String.valueOf(k));
            s.put("out", base.resolve(POINT_FOLDER + k).toString());
            given.forEach((name, value) -> {
                if (!name.equals("grid.list") && !name.equals("out")) {
                    s.put(name, value.trim());
                }
            });
            StringBuilder line = new StringBuilder(jar != null ? "java -jar " + quote(jar) : "mvn -q exec:java");
            s.forEach((name, value) -> line.append(jar != null ? " --" + name + " " + quote(value)
                    : " " + quote("-D" + name + "=" + value)));
            lines.add(line.toString());
        }
        return lines;
    }

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=,+@%-]+");

    /** A word as a POSIX shell reads it back unchanged. */
    static String quote(String word) {
        return SAFE.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    /**
     * The points of {@code grid.merge=DIR}: the {@value GridPointResult#FILE_NAME} of every folder directly in DIR,
     * in grid order, after checking that each point is there exactly once and that they share one recipe (but
     * batch, lr and rho), and that the recipe settings given to the merge, if any, agree with it.
     *
     * @throws IllegalArgumentException naming the folder, the point or the setting at fault
     */
    static List<GridPointResult> readPoints(Path dir, Map<String, String> given) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("invalid grid.merge=" + dir + ": not a folder");
        }
        int n = GridSearch.SEED_GRID.size();
        GridPointResult[] byIndex = new GridPointResult[n];
        Path[] from = new Path[n];
        List<Path> files;
        try (Stream<Path> children = Files.list(dir)) {
            files = children.map(c -> c.resolve(GridPointResult.FILE_NAME)).filter(Files::isRegularFile).sorted()
                    .toList();
        }
        for (Path f : files) {
            GridPointResult r = GridPointResult.read(f);
            if (byIndex[r.index()] != null) {
                throw new IllegalArgumentException("invalid grid.merge=" + dir + ": point " + r.index()
                        + " is in both " + from[r.index()] + " and " + f);
            }
            byIndex[r.index()] = r;
            from[r.index()] = f;
        }
        List<String> missing = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            if (byIndex[k] == null) {
                missing.add(k + " (" + GridSearch.SEED_GRID.get(k) + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("invalid grid.merge=" + dir + ": no " + GridPointResult.FILE_NAME
                    + " for point(s) " + String.join(", ", missing) + " in its folders (run grid.point=K for them)");
        }
        Map<String, Object> shared = withoutPoint(byIndex[0].recipe());
        for (int k = 1; k < n; k++) {
            Map<String, Object> other = withoutPoint(byIndex[k].recipe());
            for (String key : shared.keySet()) {
                if (!shared.get(key).equals(other.get(key))) {
                    throw new IllegalArgumentException("invalid grid.merge=" + dir + ": " + from[k] + " has " + key
                            + "=" + other.get(key) + " but " + from[0] + " has " + key + "=" + shared.get(key)
                            + " (the points of one search share their recipe)");
                }
            }
        }
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (shared.containsKey(e.getKey())) {
                Properties p = new Properties();
                byIndex[0].recipe().asMap().forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
                p.setProperty(e.getKey(), e.getValue().trim());
                Object mine = Recipe.fromProperties(p).asMap().get(e.getKey());
                if (!mine.equals(shared.get(e.getKey()))) {
                    throw new IllegalArgumentException("invalid " + e.getKey() + "=" + e.getValue().trim()
                            + ": the points in " + dir + " trained with " + e.getKey() + "=" + shared.get(e.getKey())
                            + " (leave it out or give that value)");
                }
            }
        }
        return List.of(byIndex);
    }

    private static Map<String, Object> withoutPoint(Recipe r) {
        Map<String, Object> m = new LinkedHashMap<>(r.asMap());
        m.remove("batch");
        m.remove("lr");
        m.remove("rho");
        return m;
    }
}
