package jcnn.training.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import jcnn.core.NoGrad;
import jcnn.core.Tensor;
import jcnn.core.io.Safetensors;
import jcnn.core.testing.ScalarEngineExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Layer construction and shape errors, the seed CNN's names and size, initialisation, and weights on disk. */
@ExtendWith(ScalarEngineExtension.class)
class LayerTest {

    private static void assertMessage(IllegalArgumentException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void impossibleLayersAreRejectedWithTheirNumbers() {
        SplittableRandom rng = new SplittableRandom(1);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new Conv2d(0, 16, 3, 1, 1, rng)),
                "in=0", "in channels must be >= 1, got 0");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 16, 0, 1, 1, rng)),
                "kernel=0", "kernel must be >= 1, got 0");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 16, 3, 0, 1, rng)),
                "stride must be >= 1, got 0");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 16, 3, 1, -2, rng)),
                "padding must be >= 0, got -2");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new Linear(1568, 0, rng)),
                "Linear(in=1568, out=0)", "out features must be >= 1, got 0");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2, 0)),
                "stride must be >= 1, got 0");
    }

    @Test
    void layersThatDoNotFitTogetherAreNamedWithTheShapes() {
        SplittableRandom rng = new SplittableRandom(1);
        Sequential net = new Sequential()
                .add("conv", Conv2d.same(1, 4, 3, rng))
                .add("flatten", new Flatten())
                .add("fc", new Linear(100, 10, rng));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.outputShape(new int[] {1, 1, 28, 28}));
        assertMessage(e, "layer 'fc'", "Linear(100, 10)", "(n,100)", "(1,3136)");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Summary.of(net, 1, 28, 28)), "layer 'fc'");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> Conv2d.same(3, 4, 3, rng).outputShape(new int[] {1, 1, 28, 28})), "(n,3,h,w)", "(1,1,28,28)");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(1, 4, 7, 1, 0, rng).outputShape(new int[] {1, 1, 5, 5})), "larger than input");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new MaxPool2d(2, 2).outputShape(new int[] {1, 1, 1, 5})), "h, w >= 2", "(1,1,1,5)");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new Sequential().add("a", new ReLU()).add("a", new ReLU())), "'a' is already used");
    }

    @Test
    void seedCnnHasPyTorchsNamesShapesAndSize() {
        Sequential net = SeedCnn.create(new SplittableRandom(7));
        Map<String, Tensor> params = net.namedParameters();
        assertEquals(SeedCnn.PARAMETER_NAMES, new ArrayList<>(params.keySet()));
        assertArrayEquals(new int[] {16, 1, 3, 3}, params.get("conv1.weight").shape());
        assertArrayEquals(new int[] {32, 16, 3, 3}, params.get("conv2.weight").shape());
        assertArrayEquals(new int[] {128, 1568}, params.get("fc1.weight").shape());
        assertArrayEquals(new int[] {10}, params.get("fc2.bias").shape());
        assertEquals(206_922, net.parameterCount());
        assertTrue(params.values().stream().allMatch(Tensor::requiresGrad));
    }

    @Test
    void summaryMatchesTheSeedsTable() {
        Summary s = Summary.of(SeedCnn.create(new SplittableRandom(7)), SeedCnn.INPUT_SHAPE);
        assertEquals(206_922, s.total());
        assertEquals(10, s.rows().size());
        assertEquals("conv1", s.rows().get(0).name());
        assertEquals(160, s.rows().get(0).parameters());
        assertArrayEquals(new int[] {1, 16, 28, 28}, s.rows().get(0).outputShape());
        assertEquals(4_640, s.rows().get(3).parameters());
        assertArrayEquals(new int[] {1, 32, 7, 7}, s.rows().get(5).outputShape());
        assertArrayEquals(new int[] {1, 1568}, s.rows().get(6).outputShape());
        assertEquals(200_832, s.rows().get(7).parameters());
        assertEquals(1_290, s.rows().get(9).parameters());
        String table = s.table();
        assertTrue(table.contains("Total params: 206,922"), table);
        assertTrue(table.contains("fc1 (Linear)") && table.contains("[-1, 128]"), table);
    }

    @Test
    @SuppressWarnings("try")
    void forwardShapesAgreeWithOutputShape() {
        Sequential net = SeedCnn.create(new SplittableRandom(7));
        Tensor x = Tensor.randn(new SplittableRandom(8), 3, 1, 28, 28);
        Tensor y = net.forward(x);
        assertArrayEquals(new int[] {3, 10}, y.shape());
        assertArrayEquals(y.shape(), net.outputShape(x.shape()));
        assertTrue(y.requiresGrad(), "a forward pass records the graph for training");
        try (NoGrad ignored = NoGrad.enter()) {
            assertFalse(net.forward(x).requiresGrad(), "not under NoGrad");
        }
    }

    @Test
    void initialisationIsPyTorchsDefaultAndSeeded() {
        Map<String, Tensor> a = SeedCnn.create(new SplittableRandom(42)).namedParameters();
        Map<String, Tensor> b = SeedCnn.create(new SplittableRandom(42)).namedParameters();
        Map<String, Tensor> c = SeedCnn.create(new SplittableRandom(43)).namedParameters();
        Map<String, Integer> fanIn = Map.of("conv1", 9, "conv2", 144, "fc1", 1568, "fc2", 128);
        for (String name : SeedCnn.PARAMETER_NAMES) {
            float[] v = a.get(name).data();
            assertArrayEquals(v, b.get(name).data(), name + ": same seed, same weights");
            assertFalse(Arrays.equals(v, c.get(name).data()), name + ": another seed, other weights");
            double bound = 1 / Math.sqrt(fanIn.get(name.substring(0, name.indexOf('.'))));
            double max = 0, sum = 0, sumSq = 0;
            for (float x : v) {
                max = Math.max(max, Math.abs(x));
                sum += x;
                sumSq += x * x;
            }
            assertTrue(max <= bound, name + ": |w| " + max + " above the bound " + bound);
            if (v.length >= 1000) {     // uniform on [-b, b]: mean 0, variance b^2/3, here within a few sigma
                double mean = sum / v.length, var = sumSq / v.length - mean * mean;
                assertEquals(0, mean, 5 * bound / Math.sqrt(3 * v.length), name + " mean");
                assertEquals(bound * bound / 3, var, 0.05 * bound * bound / 3 + 1e-12, name + " variance");
                assertTrue(max > 0.99 * bound, name + ": draws should reach near the bound");
            }
        }
    }

    @Test
    void weightsRoundTripThroughSafetensors(@TempDir Path dir) throws Exception {
        Sequential saved = SeedCnn.create(new SplittableRandom(1));
        Path file = dir.resolve("seed.safetensors");
        Weights.save(saved, file, Map.of("epochs", "3"));
        Sequential loaded = SeedCnn.create(new SplittableRandom(2));
        Weights.load(loaded, file);
        for (String name : SeedCnn.PARAMETER_NAMES) {
            assertArrayEquals(saved.namedParameters().get(name).data(), loaded.namedParameters().get(name).data(),
                    name);
        }
        assertEquals("3", Safetensors.read(file).metadata().get("epochs"));
    }

    @Test
    void loadingChecksNamesAndShapesAndChangesNothingOnError(@TempDir Path dir) throws Exception {
        Sequential model = SeedCnn.create(new SplittableRandom(1));
        Map<String, Tensor> before = model.state();

        Path file = dir.resolve("bad.safetensors");
        Safetensors renamed = new Safetensors();
        model.namedParameters().forEach((n, p) -> renamed.put(n,
                n.equals("fc1.weight") ? Tensor.zeros(128, 1500) : Tensor.zeros(p.shape())));
        renamed.write(file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Weights.load(model, file));
        assertMessage(e, file.toString(), "'fc1.weight' has shape (128,1500) but the model expects (128,1568)");

        Map<String, Tensor> partial = new LinkedHashMap<>(model.state());
        partial.remove("conv2.bias");
        partial.put("conv3.bias", Tensor.zeros(32));
        e = assertThrows(IllegalArgumentException.class, () -> model.loadState(partial, "test"));
        assertMessage(e, "from test", "missing [conv2.bias]", "unexpected [conv3.bias]");

        for (String name : SeedCnn.PARAMETER_NAMES) {
            assertArrayEquals(before.get(name).data(), model.namedParameters().get(name).data(),
                    name + " must be unchanged after a failed load");
        }
    }

    @Test
    void loadStateFromArraysImportsWeights() {
        Sequential model = SeedCnn.create(new SplittableRandom(1));
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        List<String> names = SeedCnn.PARAMETER_NAMES;
        for (int i = 0; i < names.size(); i++) {
            Tensor p = model.namedParameters().get(names.get(i));
            float[] v = new float[p.size()];
            Arrays.fill(v, i);
            values.put(names.get(i), v);
            shapes.put(names.get(i), p.shape());
        }
        model.loadState(values, shapes, "arrays");
        assertEquals(4f, model.namedParameters().get("fc1.weight").data()[123]);
        values.get("fc2.bias")[0] = 99f;
        assertEquals(7f, model.namedParameters().get("fc2.bias").data()[0], "the values are copied");
    }
}
