package jcnn.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import jcnn.training.data.DataLocator;
import jcnn.training.data.Dataset;
import jcnn.training.data.DatasetSpec;
import jcnn.training.nn.Module;
import jcnn.training.nn.ReLU;
import jcnn.training.nn.Sequential;
import org.junit.jupiter.api.Test;

/**
 * Exercise 3: the three breakages are what the page asks for, and the curves show what it says they show. The
 * observations are asserted loosely, far from where they would flip, on one epoch over 1,500 training images (a
 * few seconds on a quiet machine; BreakTheModel.main runs longer).
 */
class BreakTheModelExerciseTest {

    static final String PAGE = "docs/exercises/3-break-the-model.md";
    static final int EPOCHS = 1;

    @Test
    void theBrokenModelsShowWhatThePageSays() throws Exception {
        check(Exercise.load(3, PAGE, "BreakTheModel"));
    }

    @SuppressWarnings("unchecked")
    static void check(Exercise ex) throws Exception {
        Class<?> variantType = Class.forName(ex.type.getName() + "$Variant", true, ex.type.getClassLoader());
        Object[] variants = variantType.getEnumConstants();
        Map<String, Object> byName = new java.util.HashMap<>();
        for (Object v : variants) {
            byName.put(((Enum<?>) v).name(), v);
        }
        // The breakages themselves, before anything trains.
        Sequential noRelu = (Sequential) ex.call("model", new Class<?>[] {variantType, SplittableRandom.class},
                byName.get("NO_RELU"), new SplittableRandom(42));
        for (Module layer : noRelu.children().values()) {
            assertTrue(!(layer instanceof ReLU), "exercise 3: NO_RELU still has a ReLU (" + PAGE + ")");
        }
        assertEquals(206_922, noRelu.parameterCount(), "exercise 3: NO_RELU must keep every weight of the seed CNN");
        assertEquals(5.0, (double) ex.call("learningRate", new Class<?>[] {variantType}, byName.get("LR_X100")), 1e-12,
                "exercise 3: LR_X100 is 100 x 0.05 (" + PAGE + ")");
        DataLocator data = DataLocator.fromSystemProperties();
        Dataset train = data.load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TRAIN).limit(1500);
        Dataset test = data.load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TEST).limit(500);
        int[] order = (int[]) ex.call("order", new Class<?>[] {variantType, Dataset.class, int.class},
                byName.get("NO_SHUFFLE"), train, 2);
        for (int i = 1; i < order.length; i++) {
            assertTrue(train.label(order[i - 1]) <= train.label(order[i]), "exercise 3: NO_SHUFFLE must visit the"
                    + " images sorted by class (" + PAGE + ")");
        }

        Map<String, List<BreakTheModel.Epoch>> curves = new java.util.LinkedHashMap<>();
        for (Object v : variants) {
            List<?> curve = (List<?>) ex.call("run", new Class<?>[] {variantType, Dataset.class, Dataset.class, int.class},
                    v, train, test, EPOCHS);
            curves.put(((Enum<?>) v).name(), (List<BreakTheModel.Epoch>) curve);
            System.out.println(BreakTheModel.table(BreakTheModel.Variant.valueOf(((Enum<?>) v).name()),
                    (List<BreakTheModel.Epoch>) curve));
        }
        double baseline = last(curves, "BASELINE").testAccuracy();
        assertTrue(baseline > 0.55, "the baseline should learn: " + curves.get("BASELINE"));
        BreakTheModel.Epoch lr = last(curves, "LR_X100");
        assertTrue(!Double.isFinite(lr.trainLoss()) || lr.testAccuracy() < 0.3,
                "lr x100 should diverge: " + curves.get("LR_X100"));
        BreakTheModel.Epoch sorted = last(curves, "NO_SHUFFLE");
        assertTrue(sorted.testAccuracy() < baseline - 0.3, "sorted, unshuffled batches should ruin the test accuracy: "
                + curves);
        double noReluAccuracy = last(curves, "NO_RELU").testAccuracy();
        assertTrue(noReluAccuracy > 0.5, "without ReLU the model still learns (max pooling is not linear): " + curves);
    }

    private static BreakTheModel.Epoch last(Map<String, List<BreakTheModel.Epoch>> curves, String variant) {
        List<BreakTheModel.Epoch> c = curves.get(variant);
        return c.get(c.size() - 1);
    }
}
