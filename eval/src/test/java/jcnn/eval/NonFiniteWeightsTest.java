package jcnn.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import jcnn.core.io.Safetensors;
import jcnn.eval.io.Hdf5Weights;
import jcnn.eval.io.NamedArray;
import jcnn.eval.io.WeightFileException;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;
import jcnn.training.nn.Weights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, items 7 and 9: weights are checked at load. One NaN in conv1.weight used to be accepted (exit 0, a
 * silently wrong accuracy), and a NaN or 3e38 in fc2 ended in {@code error: scores[0, 0] is NaN}; now the load
 * refuses with {@code FILE: conv1.weight[0] is NaN}, for safetensors and HDF5 files alike. A folder given as the
 * weights says it is a folder.
 */
class NonFiniteWeightsTest {

    @TempDir
    Path tmp;

    private Path safetensorsWith(String tensor, int index, float value) throws IOException {
        Sequential model = SeedCnn.create(new SplittableRandom(1));
        model.namedParameters().get(tensor).data()[index] = value;
        Path file = tmp.resolve("bad-" + tensor + ".safetensors");
        Weights.save(model, file);
        return file;
    }

    @Test
    void oneNanInConv1IsRefusedNamingTheFileTheTensorAndTheIndex() throws IOException {
        Path file = safetensorsWith("conv1.weight", 0, Float.NaN);
        Sequential model = SeedCnn.create(new SplittableRandom(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EvaluateMode.loadWeights(model,
                file));
        System.out.println("NaN weight: " + e.getMessage());
        assertEquals(file + ": conv1.weight[0] is NaN", e.getMessage());
    }

    @Test
    void infinitiesAndHugeValuesInFc2AreRefusedToo() throws IOException {
        Sequential model = SeedCnn.create(new SplittableRandom(2));
        Path inf = safetensorsWith("fc2.weight", 7, Float.NEGATIVE_INFINITY);
        assertEquals(inf + ": fc2.weight[7] is -Infinity",
                assertThrows(IllegalArgumentException.class, () -> EvaluateMode.loadWeights(model, inf)).getMessage());
        Path huge = safetensorsWith("fc2.bias", 3, 3e38f);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EvaluateMode.loadWeights(model, huge)).getMessage()
                .startsWith(huge + ": fc2.bias[3] is 3.0E38, beyond the 1.8e19"));
        // The largest magnitude accepted still loads.
        EvaluateMode.loadWeights(model, safetensorsWith("fc1.weight", 0, 0x1p64f));
    }

    @Test
    void theSafetensorsReaderItselfStaysPermissive() throws IOException {
        // A reference file may hold infinities on purpose: only loading weights into a model checks.
        Path file = safetensorsWith("conv1.weight", 0, Float.NaN);
        assertTrue(Float.isNaN(Safetensors.read(file).tensor("conv1.weight").data()[0]));
    }

    @Test
    void aNanInTheSeedsHdf5FileIsRefusedTheSameWay() throws Exception {
        Path seed = Path.of(NonFiniteWeightsTest.class.getResource("/seed/with-optimisation-OptimizedModel.h5")
                .toURI());
        float first = Hdf5Weights.read(seed).get("conv1.weight").data()[0];
        byte[] bytes = Files.readAllBytes(seed);
        int at = onlyOccurrence(bytes, first);
        ByteBuffer.wrap(bytes, at, 4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN);
        Path bad = Files.write(tmp.resolve("nan.h5"), bytes);

        WeightFileException e = assertThrows(WeightFileException.class, () -> Hdf5Weights.read(bad));
        assertEquals(bad + ": conv1.weight[0] is NaN", e.getMessage());
        assertEquals("conv1.weight", e.dataset());
        Sequential model = SeedCnn.create(new SplittableRandom(2));
        assertEquals(bad + ": conv1.weight[0] is NaN",
                assertThrows(WeightFileException.class, () -> EvaluateMode.loadWeights(model, bad)).getMessage());
        Map<String, NamedArray> good = Hdf5Weights.read(seed);   // the unchanged file still loads
        assertEquals(first, good.get("conv1.weight").data()[0]);
    }

    @Test
    void aFolderGivenAsWeightsSaysItIsAFolder() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("weights.safetensors"));
        Sequential model = SeedCnn.create(new SplittableRandom(2));
        assertEquals(dir + ": file: it is a directory, not a safetensors file",
                assertThrows(IOException.class, () -> EvaluateMode.loadWeights(model, dir)).getMessage());
        Path h5 = Files.createDirectories(tmp.resolve("weights.h5"));
        assertEquals(h5 + ": it is a directory, not a weights file",
                assertThrows(IOException.class, () -> EvaluateMode.loadWeights(model, h5)).getMessage());
    }

    /** Where the little-endian bytes of {@code value} occur in {@code bytes}, which must be exactly once. */
    private static int onlyOccurrence(byte[] bytes, float value) {
        byte[] pattern = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array();
        int found = -1;
        for (int i = 0; i + 4 <= bytes.length; i++) {
            if (bytes[i] == pattern[0] && bytes[i + 1] == pattern[1] && bytes[i + 2] == pattern[2]
                    && bytes[i + 3] == pattern[3]) {
                if (found >= 0) {
                    throw new IllegalStateException(value + " occurs twice in the seed file; pick another");
                }
                found = i;
            }
        }
        if (found < 0) {
            throw new IllegalStateException(value + " is not stored as little-endian float32 in the seed file");
        }
        return found;
    }
}
