package jcnn.training.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import jcnn.core.Tensor;
import jcnn.core.io.Safetensors;
import jcnn.core.testing.ScalarEngineExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deep model's state by PyTorch's names: the names, shapes and dtypes of its {@code state_dict()} as the same
 * model built in torch.nn lists them (deep_model_state.txt, written by core/src/test/python/layer_references.py),
 * and a weights file that keeps them, buffers included, through a save and a load.
 */
@ExtendWith(ScalarEngineExtension.class)
class DeepCnnTest {

    /** One line of the committed list: name, shape ("()" for a scalar) and PyTorch dtype. */
    record Entry(String name, int[] shape, String dtype) {
        @Override
        public String toString() {
            return name + " " + Tensor.shapeString(shape) + " " + dtype;
        }
    }

    private static List<Entry> pytorchStateDict() throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (InputStream in = DeepCnnTest.class.getResourceAsStream("/deep_model_state.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split(" ");
                int[] shape = f[1].equals("()") ? new int[0]
                        : Arrays.stream(f[1].split("x")).mapToInt(Integer::parseInt).toArray();
                entries.add(new Entry(f[0], shape, f[2]));
            }
        }
        return entries;
    }

    @Test
    void theStateHasPyTorchsNamesShapesAndDtypesInItsOrder() throws IOException {
        Sequential model = DeepCnn.create(new SplittableRandom(1));
        List<Entry> expected = pytorchStateDict();
        List<Entry> actual = new ArrayList<>();
        model.namedState().forEach((name, t) -> actual.add(new Entry(name, t.shape(),
                model.integerBufferNames().contains(name) ? "int64" : "float32")));
        assertEquals(expected.toString(), actual.toString());
        assertEquals(DeepCnn.PARAMETER_COUNT, model.parameterCount());
        assertEquals(20, model.namedParameters().size());
        assertEquals(12, model.namedBuffers().size());   // running_mean, running_var, num_batches_tracked x 4
    }

    @Test
    void weightsKeepTheRunningStatisticsAndTheBatchCountAsInt64(@TempDir Path dir) throws IOException {
        Sequential model = DeepCnn.create(new SplittableRandom(2));
        SplittableRandom rng = new SplittableRandom(3);
        Tensor x = Tensor.randn(rng, 4, 1, 28, 28);
        model.train();
        model.forward(x);
        model.forward(x);   // two training batches: the running statistics move, the count is 2
        BatchNorm2d bn1 = (BatchNorm2d) model.children().get("bn1");
        assertEquals(2, bn1.batchesTracked());
        Path file = dir.resolve("deep.safetensors");
        Weights.save(model, file);

        Safetensors f = Safetensors.read(file);
        assertEquals(Safetensors.DType.I64, f.dtype("bn1.num_batches_tracked"));
        assertArrayEquals(new long[] {2}, f.longs("bn1.num_batches_tracked"));
        assertEquals(Safetensors.DType.F32, f.dtype("bn1.running_mean"));
        assertEquals(model.namedState().keySet(), f.names());

        Sequential other = DeepCnn.create(new SplittableRandom(99));
        Weights.load(other, file);
        model.namedState().forEach((name, t) -> assertArrayEquals(t.data(), other.namedState().get(name).data(),
                name));
        model.eval();
        other.eval();
        assertArrayEquals(model.forward(x).data(), other.forward(x).data(), "the same logits in evaluation mode");
    }

    @Test
    void aFileWithoutTheBuffersIsRejectedNamingThem(@TempDir Path dir) throws IOException {
        Sequential model = DeepCnn.create(new SplittableRandom(2));
        Safetensors out = new Safetensors();
        model.namedParameters().forEach(out::put);
        Path file = dir.resolve("params-only.safetensors");
        out.write(file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Weights.load(model, file));
        assertTrue(e.getMessage().contains("missing [bn1.num_batches_tracked, bn1.running_mean, bn1.running_var"),
                e.getMessage());

        Safetensors wrongType = new Safetensors();
        model.namedState().forEach(wrongType::put);   // the count as F32 instead of I64
        Path file2 = dir.resolve("f32-count.safetensors");
        wrongType.write(file2);
        e = assertThrows(IllegalArgumentException.class, () -> Weights.load(model, file2));
        assertTrue(e.getMessage().contains("expected I64"), e.getMessage());
    }

    @Test
    void theSummaryListsEveryLayerAndTheModelsAreSelectableByName() {
        Sequential model = Models.create("deep", new SplittableRandom(0));
        Summary s = Summary.of(model, SeedCnn.INPUT_SHAPE);
        assertEquals(DeepCnn.PARAMETER_COUNT, s.total());
        String table = s.table();
        assertTrue(table.contains("bn1 (BatchNorm2d)"), table);
        assertTrue(table.contains("drop2 (Dropout)"), table);
        assertTrue(table.contains("[-1, 10]"), table);
        assertEquals(List.of("seed", "deep"), Models.names());
        assertEquals(SeedCnn.PARAMETER_COUNT, Models.create("seed", new SplittableRandom(0)).parameterCount());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Models.create("resnet", new SplittableRandom(0)));
        assertEquals("invalid model=resnet: expected one of seed, deep", e.getMessage());
    }

    @Test
    void theSeedCnnHasNoBuffersSoItsStateIsItsParameters() {
        Sequential seed = SeedCnn.create(new SplittableRandom(0));
        assertEquals(Map.of(), seed.namedBuffers());
        assertEquals(List.copyOf(seed.namedParameters().keySet()), List.copyOf(seed.namedState().keySet()));
    }
}
