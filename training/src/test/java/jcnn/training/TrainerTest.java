package jcnn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import jcnn.core.Compare;
import jcnn.core.Tensor;
import jcnn.core.io.Safetensors;
import jcnn.core.testing.ScalarEngineExtension;
import jcnn.training.data.DataLocator;
import jcnn.training.data.Dataset;
import jcnn.training.data.DatasetSpec;
import jcnn.training.nn.Module;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;
import jcnn.training.nn.Weights;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The trainer on small subsets of the real Fashion-MNIST training set with the scalar kernels: it learns, it is
 * bit-for-bit reproducible, it keeps the best weights, it reports, and its evaluation agrees with PyTorch. The
 * subsets are a few hundred images because scalar training runs at a few hundred images per second here.
 */
@ExtendWith(ScalarEngineExtension.class)
class TrainerTest {

    private static Dataset fashion;

    @BeforeAll
    static void loadData() throws Exception {
        fashion = DataLocator.fromSystemProperties().load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TRAIN)
                .limit(1024);
    }

    /** A recipe from the defaults and {@code key=value} overrides. */
    private static Recipe recipe(String... settings) {
        Properties p = new Properties();
        for (String s : settings) {
            String[] kv = s.split("=", 2);
            p.setProperty(kv[0], kv[1]);
        }
        return Recipe.fromProperties(p);
    }

    private static Sequential model(Recipe r) {
        return SeedCnn.create(new SplittableRandom(r.seed()));
    }

    @Test
    void shortTrainingLowersTheLossKeepsTheBestAndReports() {
        Recipe r = recipe("epochs=2", "batch=32", "lr=0.05", "schedule=constant", "limit=640");
        Dataset.Split split = Trainer.split(fashion, r);
        assertEquals(512, split.train().size());
        assertEquals(128, split.validation().size());
        Sequential model = model(r);
        double before = Evaluator.evaluate(model, split.train(), 256, false).loss();
        assertEquals(Math.log(10), before, 0.2, "an untrained 10-class model is close to chance");

        List<EpochMetrics> seen = new ArrayList<>();
        List<TrainingListener.Start> starts = new ArrayList<>();
        StringWriter json = new StringWriter();
        JsonLinesWriter writer = new JsonLinesWriter(json);
        Trainer trainer = new Trainer(model, r)
                .addListener(new TrainingListener() {
                    @Override
                    public void onStart(Start start) {
                        starts.add(start);
                    }

                    @Override
                    public void onEpoch(EpochMetrics m) {
                        seen.add(m);
                    }
                })
                .addListener(writer);
        History h = trainer.fit(split.train(), split.validation());

        double after = Evaluator.evaluate(model, split.train(), 256, false).loss();
        assertTrue(after < before - 0.5, "training loss " + before + " -> " + after);
        assertTrue(h.epochs().get(1).trainLoss() < h.epochs().get(0).trainLoss(), h.epochs().toString());
        assertTrue(h.last().validationAccuracy() > 0.5, h.last().describe());
        assertFalse(h.diverged());

        // Reporting: one start, two epochs in order, with sane timings; the JSON lines say the same.
        assertEquals(1, starts.size());
        assertEquals("scalar", starts.get(0).kernels());
        assertEquals(16, starts.get(0).stepsPerEpoch());
        assertEquals(h.epochs(), seen);
        for (EpochMetrics m : seen) {
            assertEquals(512, m.trainImages());
            assertTrue(m.imagesPerSecond() > 0 && m.seconds() >= m.trainSeconds(), m.describe());
        }
        String[] lines = json.toString().split("\n");
        assertEquals(2, lines.length);
        JsonObject second = JsonParser.parseString(lines[1]).getAsJsonObject();
        assertEquals(2, second.get("epoch").getAsInt());
        assertEquals(seen.get(1).validationAccuracy(), second.get("val_accuracy").getAsDouble());
        assertEquals("scalar", second.get("kernels").getAsString());

        // The best epoch's weights are kept, and restoring them gives back its validation accuracy exactly.
        int best = h.bestEpoch();
        assertTrue(best == 1 || best == 2);
        Map<String, Tensor> kept = trainer.bestState();
        trainer.restoreBest();
        model.namedParameters().forEach((name, p) -> assertArrayEquals(kept.get(name).data(), p.data(), name));
        assertEquals(h.bestValidationAccuracy(),
                Evaluator.evaluate(model, split.validation(), 256, false).accuracy());
    }

    /** The weights after training, in parameter order, flattened. */
    private static float[][] trainedWeights(Recipe r) {
        Dataset.Split split = Trainer.split(fashion, r);
        Module model = model(r);
        new Trainer(model, r).fit(split.train(), split.validation());
        return model.parameters().stream().map(t -> t.data().clone()).toArray(float[][]::new);
    }

    @Test
    void sameSeedSameKernelsGiveBitIdenticalWeights() {
        // SAM over SGD with Nesterov momentum and a cosine schedule: the most stateful path there is.
        Recipe r = recipe("epochs=2", "batch=64", "optimizer=sam", "rho=0.05", "limit=160", "validation=0.2");
        float[][] a = trainedWeights(r), b = trainedWeights(r);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], "parameter " + i + " differs between two identical runs");
        }
        float[][] c = trainedWeights(recipe("epochs=2", "batch=64", "optimizer=sam", "rho=0.05", "limit=160",
                "validation=0.2", "seed=7"));
        assertFalse(Arrays.equals(a[0], c[0]), "another seed must give other weights");
    }

    @Test
    void evaluationInUnevenBatchesMatchesPyTorch() throws Exception {
        Safetensors ref = Reference.load(Reference.SEED_MODEL_BATCH);
        Sequential model = SeedCnn.create(new SplittableRandom(0));
        Weights.load(model, ref, "param.", Reference.SEED_MODEL_BATCH);
        int[] target = ref.ints("target");
        Dataset batch = new Dataset(ref.tensor("x").data(), target, 28, 28);

        Evaluation e = Evaluator.evaluate(model, batch, 5, true);     // 5 + 5 + 5 + 1
        Compare.assertClose("logits", ref.tensor("logits").data(), e.logits(), Reference.MODEL_ATOL,
                Reference.MODEL_RTOL);
        assertEquals(ref.tensor("loss").item(), e.loss(), 1e-5);
        assertEquals(16, e.count());
        assertEquals(10, e.classes());
        int[] predicted = e.predictions();
        long correct = 0;
        for (int i = 0; i < 16; i++) {
            correct += predicted[i] == target[i] ? 1 : 0;
        }
        assertEquals(correct / 16.0, e.accuracy());
        assertNotNull(Evaluator.evaluate(model, batch, 64, false));  // one partial batch
    }

    @Test
    void aDivergingRunStopsAndSaysSoInsteadOfThrowing() {
        Recipe r = recipe("epochs=3", "batch=32", "lr=1e30", "schedule=constant", "limit=160");
        Dataset.Split split = Trainer.split(fashion, r);
        History h = new Trainer(model(r), r).fit(split.train(), split.validation());
        assertTrue(h.diverged());
        assertTrue(h.epochs().isEmpty(), "the epoch that diverged is not recorded");
        assertTrue(h.stopReason().startsWith("training stopped at epoch 1/3, batch "), h.stopReason());
    }

    @Test
    void withoutValidationTheLastEpochIsKept() {
        Recipe r = recipe("epochs=1", "batch=64", "limit=128", "validation=0");
        Dataset.Split split = Trainer.split(fashion, r);
        assertEquals(128, split.train().size());
        assertEquals(0, split.validation().size());
        History h = new Trainer(model(r), r).fit(split.train(), split.validation());
        assertEquals(1, h.bestEpoch());
        assertTrue(Double.isNaN(h.last().validationAccuracy()));
    }

    @Test
    void gridSearchRunsEveryPointAndPicksTheBest() {
        assertEquals(8, GridSearch.SEED_GRID.size());
        assertEquals(new GridSearch.Point(32, 0.01, 0.001), GridSearch.SEED_GRID.get(0));
        assertEquals(new GridSearch.Point(64, 0.1, 0.01), GridSearch.SEED_GRID.get(7));

        Recipe base = recipe("epochs=1", "optimizer=seed", "schedule=constant", "limit=160");
        Dataset.Split split = Trainer.split(fashion, base);
        List<GridSearch.Point> points = GridSearch.grid(List.of(64), List.of(0.001, 0.01), List.of(0.001));
        List<GridSearch.Run> reported = new ArrayList<>();
        GridSearch.Result result = new GridSearch(base, points, GridSearch.seedCnn())
                .onRun(reported::add)
                .run(split.train(), split.validation());
        assertEquals(2, result.runs().size());
        assertEquals(result.runs(), reported);
        assertEquals(0.01, result.runs().get(1).recipe().lr());
        double bestScore = result.runs().stream().mapToDouble(GridSearch.Run::score).max().orElseThrow();
        assertEquals(bestScore, result.best().score());
        assertThrows(IllegalArgumentException.class, () -> new GridSearch(base, List.of(), GridSearch.seedCnn()));
    }
}
