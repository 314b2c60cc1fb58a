package jcnn.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jcnn.core.Engine;
import jcnn.eval.metrics.ClassNames;
import jcnn.eval.metrics.ClassificationReport;
import jcnn.eval.report.TestResults;
import jcnn.kernels.KernelProvider;
import jcnn.kernels.Kernels;
import jcnn.training.Evaluator;
import jcnn.training.data.DataLocator;
import jcnn.training.data.Dataset;
import jcnn.training.data.DatasetSpec;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * End to end: the seed study's own trained weights, imported from its HDF5 files, run through our layers on the
 * official test set, reproduce its reported accuracy and its classification report character for character, on
 * both kernel paths, and the per-class IoU and mean AUC that SEED.md gives.
 */
class SeedWeightsTest {

    private static Dataset test;

    @BeforeAll
    static void loadTestSet() throws IOException {
        test = DataLocator.fromSystemProperties().load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TEST);
    }

    static Stream<Named<Supplier<Kernels>>> kernels() {
        return Stream.of(
                Named.of("scalar", KernelProvider::scalar),
                Named.of("vector", () -> KernelProvider.vector(-1, 2)));
    }

    private static TestResults evaluate(String run, Kernels kernels) throws IOException {
        Sequential model = SeedCnn.create(new SplittableRandom(1));
        EvaluateMode.loadWeights(model, resource(run + "-OptimizedModel.h5"));
        try (var scope = Engine.using(kernels)) {
            float[] logits = Evaluator.evaluate(model, test, Evaluator.BATCH, true).logits();
            return TestResults.compute(test.labels(), logits, ClassNames.fashionMnist());
        }
    }

    private static Path resource(String name) {
        return Path.of("src/test/resources/seed", name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void withOptimisationWeightsReproduceTheSeedReport(Supplier<Kernels> kernels) throws IOException {
        TestResults t = evaluate("with-optimisation", kernels.get());
        assertEquals(9129, t.confusion().correct(), "correct test images");
        assertEquals(expectedReport("with-optimisation"), ClassificationReport.of(t.confusion()).toString());
        // SEED.md: per-class IoU and the mean one-vs-rest ROC AUC on logits, 91.29% run.
        double[] iou = {0.7525, 0.9752, 0.7565, 0.8447, 0.7553, 0.9635, 0.5960, 0.9245, 0.9684, 0.9397};
        assertArrayEquals(iou, round(t.iou(), 4), 0.0);
        assertEquals(0.98873, Math.round(t.rocOneVsRest().macroAuc() * 1e5) / 1e5, 0.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void withoutOptimizationWeightsReproduceTheSeedReport(Supplier<Kernels> kernels) throws IOException {
        TestResults t = evaluate("without-optimization", kernels.get());
        assertEquals(9111, t.confusion().correct(), "correct test images");
        assertEquals(expectedReport("without-optimization"), ClassificationReport.of(t.confusion()).toString());
        assertEquals(0.98797, Math.round(t.rocOneVsRest().macroAuc() * 1e5) / 1e5, 0.0);
    }

    private static String expectedReport(String run) throws IOException {
        return Files.readString(resource(run + "-PredictionAccuracyScoreReport.txt"), StandardCharsets.UTF_8);
    }

    private static double[] round(double[] values, int digits) {
        double scale = Math.pow(10, digits);
        double[] r = new double[values.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.round(values[i] * scale) / scale;
        }
        return r;
    }
}
