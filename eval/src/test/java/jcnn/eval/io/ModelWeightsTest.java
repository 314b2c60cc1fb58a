package jcnn.eval.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import jcnn.training.Predictor;
import jcnn.training.data.DataLocator;
import jcnn.training.data.Dataset;
import jcnn.training.data.DatasetSpec;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;
import jcnn.training.nn.Weights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One call loads the seed's HDF5 weights or a run's safetensors, and the loaded model predicts as trained. */
class ModelWeightsTest {

    private static final Path SEED = Path.of("src/test/resources/seed/with-optimisation-OptimizedModel.h5");

    @TempDir
    Path tmp;

    @Test
    void theSeedsWeightsClassifyTheFirstTestImagesAsTheStudyDid() throws Exception {
        Sequential model = ModelWeights.seedCnn(SEED);
        Dataset test = DataLocator.fromSystemProperties().load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TEST)
                .limit(200);
        List<Predictor.Prediction> got = Predictor.seedCnn(model).predict(test);
        int correct = 0;
        for (int i = 0; i < got.size(); i++) {
            correct += got.get(i).classIndex() == test.label(i) ? 1 : 0;
        }
        // 91.29% on all 10,000; the first 200 are no harder (a model that did not load scores ~10%)
        assertTrue(correct >= 170, correct + " of 200");
        Predictor.Prediction first = got.get(0);   // test image 0 is an ankle boot
        assertEquals("Ankle boot", first.className());
        assertTrue(first.probability() > 0.5f, first.toString());
    }

    @Test
    void aRunFolderOrItsFileLoadsTheSameWeights() throws Exception {
        Sequential trained = SeedCnn.create(new SplittableRandom(3));
        Path run = Files.createDirectories(tmp.resolve("run"));
        Weights.save(trained, run.resolve(ModelWeights.RUN_WEIGHTS));
        for (Path p : new Path[] {run, run.resolve(ModelWeights.RUN_WEIGHTS)}) {
            Sequential loaded = ModelWeights.seedCnn(p);
            for (String name : SeedCnn.PARAMETER_NAMES) {
                assertArrayEquals(trained.namedParameters().get(name).data(), loaded.namedParameters().get(name).data(),
                        name + " from " + p);
            }
        }
    }

    @Test
    void anotherKindOfFileIsRejectedWithWhatWasExpected() throws Exception {
        Path txt = Files.writeString(tmp.resolve("weights.txt"), "no");
        String m = assertThrows(IllegalArgumentException.class, () -> ModelWeights.seedCnn(txt)).getMessage();
        assertTrue(m.contains(txt.toString()) && m.contains(".h5") && m.contains(".safetensors"), m);
    }
}
