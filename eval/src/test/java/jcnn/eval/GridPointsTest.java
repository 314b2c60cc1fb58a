package jcnn.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import jcnn.core.Engine;
import jcnn.kernels.KernelProvider;
import jcnn.training.GridPointResult;
import jcnn.training.GridSearch;
import jcnn.training.Recipe;
import jcnn.training.Trainer;
import jcnn.training.data.DataLocator;
import jcnn.training.data.Dataset;
import jcnn.training.data.DatasetSpec;
import jcnn.training.nn.Module;
import jcnn.training.nn.Weights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's grid as independent runs: grid.list prints the commands, grid.point=K trains one point into its folder,
 * grid.merge ranks the folders and trains the best: the same table and the same final weights as grid=true. On
 * tiny data (the first 200 training images, one epoch), so that each test stays within seconds.
 */
class GridPointsTest {

    @TempDir
    Path tmp;

    /** The recipe settings every run of these tests shares. */
    private static final String[] TINY = {"limit", "200", "epochs", "1", "threads", "1"};

    private Properties settings(String... keyValues) {
        List<String> all = new ArrayList<>(List.of(TINY));
        all.addAll(List.of(keyValues));
        return MainSettings.of(tmp, all.toArray(String[]::new));
    }

    private String run(Properties p) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Main(p, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listPrintsOneCommandPerPointAndWritesNothing() throws IOException {
        Path base = tmp.resolve("grid");
        String out = run(settings("grid.list", "", "out", base.toString(), "seed", "7"));
        List<String> lines = out.lines().toList();
        assertEquals(GridSearch.SEED_GRID.size(), lines.size(), out);
        for (int k = 0; k < lines.size(); k++) {
            String line = lines.get(k);
            assertTrue(line.startsWith("mvn -q exec:java -Dgrid.point=" + k + " -Dout=" + base.resolve("point-" + k)),
                    line);
            assertTrue(line.contains(" -Dseed=7") && line.contains(" -Dlimit=200"), line);
            assertFalse(line.contains("grid.list"), line);
        }
        assertFalse(Files.exists(base), "grid.list runs nothing and writes nothing");
        assertEquals("'a b'", GridMode.quote("a b"));
        assertEquals("'it'\\''s'", GridMode.quote("it's"));
    }

    /**
     * Points 0 and 5 through the command line, the others written from the in-process search's own runs (training
     * all eight through {@code Main} would load the data eight times and make this test slow): the command line's
     * point files must equal the in-process runs', and the merge's table and final weights must be the in-process
     * search's.
     */
    @Test
    @SuppressWarnings("try")
    void pointsThenMergeGiveTheInProcessSearchesTableAndTheBestPointsWeights() throws IOException {
        Path base = tmp.resolve("grid"), inProcess = tmp.resolve("in-process");
        Properties p = settings();
        Recipe recipe = Recipe.fromProperties(p);
        Dataset train = DataLocator.fromProperties(p).load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TRAIN);
        Dataset.Split split = Trainer.split(train, recipe);
        StringBuilder table = new StringBuilder();
        List<Module> models = new ArrayList<>();
        GridSearch.Result result;
        try (Engine.Scope scope = Engine.using(KernelProvider.fromProperties(p))) {
            result = new GridSearch(recipe, GridSearch.SEED_GRID, r -> {
                Module m = GridSearch.seedCnn().apply(r);
                models.add(m);
                return m;
            }).showProgress(false).onRun(r -> table.append(r.describe()).append('\n'))
                    .run(split.train(), split.validation());
        }
        table.append("best: ").append(result.best().describe()).append('\n');
        for (int k = 0; k < GridSearch.SEED_GRID.size(); k++) {
            GridSearch.Run r = result.runs().get(k);
            Path dir = (k == 0 || k == 5 ? inProcess : base).resolve("point-" + k);
            Files.createDirectories(dir);
            GridPointResult.of(k, r.recipe(), r.history()).write(dir);
        }
        for (int k : new int[] {0, 5}) {
            Path dir = base.resolve("point-" + k);
            run(settings("grid.point", String.valueOf(k), "out", dir.toString()));
            assertEquals(Files.readString(inProcess.resolve("point-" + k).resolve(GridPointResult.FILE_NAME)),
                    Files.readString(dir.resolve(GridPointResult.FILE_NAME)), "point " + k);
            assertTrue(Files.isRegularFile(dir.resolve("weights.safetensors")));
            assertFalse(Files.exists(dir.resolve("report.txt")), "points never see the test set");
        }
        Path merged = tmp.resolve("merged");
        String mergeOut = run(settings("grid.merge", base.toString(), "out", merged.toString()));
        assertTrue(mergeOut.contains("test accuracy: "), mergeOut);
        assertEquals(table.toString(), Files.readString(merged.resolve("grid.txt")));
        // The merge trained the best point again: with one epoch, the weights that point's run ended with.
        Module best = models.get(GridSearch.SEED_GRID.indexOf(result.best().point()));
        Module loaded = GridSearch.seedCnn().apply(recipe);
        Weights.load(loaded, merged.resolve("weights.safetensors"));
        best.namedParameters().forEach((name, t) -> assertArrayEquals(t.data(),
                loaded.namedParameters().get(name).data(), name));
    }

    @Test
    void mergeRefusesMissingPointsAndMixedRecipesBeforeWritingAnything() throws IOException {
        Path base = tmp.resolve("grid");
        run(settings("grid.point", "0", "out", base.resolve("point-0").toString()));
        run(settings("grid.point", "1", "out", base.resolve("point-1").toString(), "seed", "5"));
        Path merged = tmp.resolve("merged");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(settings("grid.merge", base.toString(), "out", merged.toString())));
        assertTrue(e.getMessage().startsWith("invalid grid.merge=" + base + ": no grid-point.json for point(s) 2"
                + " (batch=32 lr=0.1 rho=0.001), 3"), e.getMessage());
        for (int k = 2; k < GridSearch.SEED_GRID.size(); k++) {
            // copies of point 0's file, relabelled: cheap stand-ins with the shared recipe
            Path dir = Files.createDirectories(base.resolve("point-" + k));
            GridPointResult p0 = GridPointResult.read(base.resolve("point-0").resolve(GridPointResult.FILE_NAME));
            GridSearch.Point p = GridSearch.SEED_GRID.get(k);
            new GridPointResult(k, p, p0.recipe().withGridPoint(p.batch(), p.lr(), p.rho()), 0.5, 1, null).write(dir);
        }
        e = assertThrows(IllegalArgumentException.class,
                () -> run(settings("grid.merge", base.toString(), "out", merged.toString())));
        assertTrue(e.getMessage().contains("has seed=5 but"), e.getMessage());
        Files.delete(base.resolve("point-1").resolve(GridPointResult.FILE_NAME));
        GridSearch.Point p1 = GridSearch.SEED_GRID.get(1);
        GridPointResult p0 = GridPointResult.read(base.resolve("point-0").resolve(GridPointResult.FILE_NAME));
        new GridPointResult(1, p1, p0.recipe().withGridPoint(p1.batch(), p1.lr(), p1.rho()), 0.5, 1, null)
                .write(base.resolve("point-1"));
        e = assertThrows(IllegalArgumentException.class,
                () -> run(settings("grid.merge", base.toString(), "out", merged.toString(), "epochs", "3")));
        assertTrue(e.getMessage().startsWith("invalid epochs=3: the points in"), e.getMessage());
        assertFalse(Files.exists(merged), "nothing may be written after a refused merge");
        e = assertThrows(IllegalArgumentException.class, () -> run(settings("grid.point", "8")));
        assertTrue(e.getMessage().startsWith("invalid grid.point=8: expected an integer in [0, 7]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> run(settings("grid.point", "1", "grid", "true")));
        assertTrue(e.getMessage().startsWith("invalid grid.point=1: grid=true is another mode"), e.getMessage());
    }
}
