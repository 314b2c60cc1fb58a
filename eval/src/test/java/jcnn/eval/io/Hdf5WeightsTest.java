package jcnn.eval.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import jcnn.core.Tensor;
import jcnn.training.nn.SeedCnn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed study's weight files load with the right names and shapes and the values h5py reads, and every way a
 * file can disagree with the model is reported with the file, the dataset and the expectation.
 *
 * <p>Expected values were read with h5py 3.7 (Debian's python3-h5py): element values are printed with
 * {@code repr(float(x))} of the float32, sums are {@code np.sum(x.astype(np.float64))}.
 */
class Hdf5WeightsTest {

    private static final Path WITH = resource("/seed/with-optimisation-OptimizedModel.h5");
    private static final Path WITHOUT = resource("/seed/without-optimization-OptimizedModel.h5");

    /** The seed CNN's names and shapes, from the model itself. */
    private static Map<String, int[]> seedCnnShapes() {
        return Hdf5Weights.expectedShapes(SeedCnn.create(new SplittableRandom(1)));
    }

    @Test
    void seedFilesLoadAllEightParametersWithTheirShapes() throws IOException {
        for (Path file : List.of(WITH, WITHOUT)) {
            Map<String, NamedArray> w = Hdf5Weights.read(file, seedCnnShapes());
            assertEquals(List.copyOf(seedCnnShapes().keySet()), List.copyOf(w.keySet()));
            for (Map.Entry<String, int[]> e : seedCnnShapes().entrySet()) {
                NamedArray a = w.get(e.getKey());
                assertEquals(e.getKey(), a.name());
                assertArrayEquals(e.getValue(), a.shape(), e.getKey());
                for (float v : a.data()) {
                    assertTrue(Float.isFinite(v) && Math.abs(v) < 10, e.getKey() + " holds " + v);
                }
            }
            long parameters = w.values().stream().mapToLong(NamedArray::size).sum();
            assertEquals(206_922, parameters);   // SEED.md
        }
    }

    @Test
    void valuesAreTheOnesH5pyReads() throws IOException {
        Map<String, NamedArray> w = Hdf5Weights.read(WITH, seedCnnShapes());
        assertArrayEquals(new float[] {-0.16081881523132324f, 0.0821177288889885f, 0.04495658352971077f,
            0.037644077092409134f}, Arrays.copyOf(w.get("conv1.bias").data(), 4));
        float[] fc2 = w.get("fc2.weight").data();   // row-major (10, 128): [0, 0..2]
        assertArrayEquals(new float[] {0.18879172205924988f, 0.4115298092365265f, -0.15418337285518646f},
                Arrays.copyOf(fc2, 3));
        assertEquals(-0.006832584738731384f, w.get("fc1.weight").data()[127 * 1568 + 1567]);   // the last element

        assertEquals(-0.829488844552543, sum(w.get("conv1.bias")), 1e-12);
        assertEquals(0.9190566912293434, sum(w.get("conv1.weight")), 1e-12);
        assertEquals(-158.57712931816417, sum(w.get("fc1.weight")), 1e-9);

        Map<String, NamedArray> other = Hdf5Weights.read(WITHOUT, seedCnnShapes());
        assertEquals(-1.3073339853435755, sum(other.get("conv1.bias")), 1e-12);
        assertEquals(-0.11147650080965832, sum(other.get("fc2.weight")), 1e-12);
    }

    @Test
    void readingWithoutExpectationsListsEveryDatasetByName() throws IOException {
        Map<String, NamedArray> w = Hdf5Weights.read(WITH);
        assertEquals(List.of("conv1.bias", "conv1.weight", "conv2.bias", "conv2.weight", "fc1.bias", "fc1.weight",
                "fc2.bias", "fc2.weight"), List.copyOf(w.keySet()));
        assertEquals("conv2.weight float32 (32,16,3,3)", w.get("conv2.weight").toString());
    }

    @Test
    void datasetsInGroupsAreNamedWithDots() throws IOException {
        // nested.h5 (make_fixtures.py): conv1/weight (2, 3) = 0..5, conv1/bias (2,), fc.weight (2, 2), scale ().
        Map<String, NamedArray> w = Hdf5Weights.read(resource("/io/nested.h5"));
        assertEquals(List.of("conv1.bias", "conv1.weight", "fc.weight", "scale"), List.copyOf(w.keySet()));
        assertEquals(new NamedArray("conv1.weight", new int[] {2, 3}, new float[] {0, 1, 2, 3, 4, 5}),
                w.get("conv1.weight"));
        assertArrayEquals(new float[] {0.5f, -0.25f}, w.get("conv1.bias").data());
        assertEquals(new NamedArray("scale", new int[0], new float[] {0.75f}), w.get("scale"));
    }

    @Test
    void missingDatasetNamesFileDatasetAndExpectation() {
        Map<String, int[]> expected = new LinkedHashMap<>(seedCnnShapes());
        expected.put("fc3.weight", new int[] {10, 10});
        WeightFileException e = assertThrows(WeightFileException.class, () -> Hdf5Weights.read(WITH, expected));
        assertEquals("fc3.weight", e.dataset());
        assertEquals(WITH, e.file());
        assertEquals(WITH + ": dataset 'fc3.weight': missing; expected float32 (10,10). The file has: "
                + "conv1.bias, conv1.weight, conv2.bias, conv2.weight, fc1.bias, fc1.weight, fc2.bias, fc2.weight",
                e.getMessage());
    }

    @Test
    void wrongShapeNamesBoth() {
        Map<String, int[]> expected = seedCnnShapes();
        expected.put("fc1.weight", new int[] {1568, 128});   // transposed: a classic
        WeightFileException e = assertThrows(WeightFileException.class, () -> Hdf5Weights.read(WITH, expected));
        assertEquals(WITH + ": dataset 'fc1.weight': expected float32 (1568,128), found float32 (128,1568)",
                e.getMessage());
    }

    @Test
    void unexpectedDatasetsAreAnError() {
        Map<String, int[]> expected = seedCnnShapes();
        expected.remove("fc2.bias");
        WeightFileException e = assertThrows(WeightFileException.class, () -> Hdf5Weights.read(WITH, expected));
        assertEquals("fc2.bias", e.dataset());
        assertTrue(e.getMessage().contains("not expected by the model (unexpected: fc2.bias;"), e.getMessage());
    }

    @Test
    void otherDtypesAreRefusedNotConverted() {
        Path file = resource("/io/mixed-dtypes.h5");
        WeightFileException e = assertThrows(WeightFileException.class,
                () -> Hdf5Weights.read(file, Map.of("d", new int[] {2})));
        assertEquals(file + ": dataset 'd': expected float32 (2), found float64 (2)", e.getMessage());
        e = assertThrows(WeightFileException.class, () -> Hdf5Weights.read(file, Map.of("step", new int[0])));
        assertEquals(file + ": dataset 'step': expected float32 (), found int64 ()", e.getMessage());
        e = assertThrows(WeightFileException.class, () -> Hdf5Weights.read(file));
        assertEquals("d", e.dataset());
    }

    @Test
    void twoDatasetsWithTheSameDottedNameAreAnError() {
        WeightFileException e = assertThrows(WeightFileException.class,
                () -> Hdf5Weights.read(resource("/io/name-clash.h5")));
        assertEquals("a.b", e.dataset());
    }

    @Test
    void unreadableFilesAreReportedAsSuch(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("weights.h5");
        Files.writeString(text, "this is not HDF5");
        WeightFileException e = assertThrows(WeightFileException.class, () -> Hdf5Weights.read(text));
        assertTrue(e.getMessage().startsWith(text + ": not a readable HDF5 file"), e.getMessage());
        assertEquals(null, e.dataset());

        Path absent = dir.resolve("absent.h5");
        e = assertThrows(WeightFileException.class, () -> Hdf5Weights.read(absent));
        assertEquals(absent + ": no such file", e.getMessage());
    }

    @Test
    void aGroupLinkingBackToItselfIsAnErrorNotAnEndlessRecursion(@TempDir Path dir) throws IOException {
        // In name-clash.h5 (make_fixtures.py) the symbol table of group "a" (object header at byte 1400) stores
        // the address of dataset "a/b" (4216) at byte 4504; pointing it at 1400 makes "a/b" the group "a" itself.
        byte[] bytes = Files.readAllBytes(resource("/io/name-clash.h5"));
        ByteBuffer entry = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(4216, entry.getLong(4504));
        entry.putLong(4504, 1400);
        Path cyclic = Files.write(dir.resolve("cyclic.h5"), bytes);
        WeightFileException e = assertThrows(WeightFileException.class, () -> Hdf5Weights.read(cyclic));
        assertEquals(cyclic + ": not a readable HDF5 file: group 'a.b' links back to a group that contains it",
                e.getMessage());
        assertEquals("group", e.field());
    }

    @Test
    void aHeapClaimingTwoGigabytesIsRefusedNotAllocated(@TempDir Path dir) throws IOException {
        // Byte 688 of nested.h5 holds the size of the root group's local heap (88). jhdf reading from a file
        // channel allocated a buffer of the claimed size before reading: OutOfMemoryError at any heap size.
        byte[] bytes = Files.readAllBytes(resource("/io/nested.h5"));
        ByteBuffer heapSize = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(88, heapSize.getLong(688));
        heapSize.putLong(688, Integer.MAX_VALUE);
        Path huge = Files.write(dir.resolve("huge-heap.h5"), bytes);
        WeightFileException e = assertThrows(WeightFileException.class, () -> Hdf5Weights.read(huge));
        assertTrue(e.getMessage().startsWith(huge + ": not a readable HDF5 file: root group: "), e.getMessage());
        assertEquals("group", e.field());
    }

    @Test
    void truncatedFilesNameTheFieldBeingRead(@TempDir Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(resource("/io/nested.h5"));
        for (int length : new int[] {0, 7, 100, 1000, 3000, bytes.length - 1}) {
            Path cut = Files.write(dir.resolve("cut-" + length + ".h5"), Arrays.copyOf(bytes, length));
            WeightFileException e = assertThrows(WeightFileException.class, () -> Hdf5Weights.read(cut));
            assertTrue(e.getMessage().startsWith(cut + ": ") && e.getMessage().contains(e.field()), e.getMessage());
        }
    }

    @Test
    void namedArrayChecksItsShape() {
        assertThrows(IllegalArgumentException.class, () -> new NamedArray("x", new int[] {2, 2}, new float[3]));
        assertEquals("(16)", Tensor.shapeString(new int[] {16}));
        assertEquals("()", Tensor.shapeString(new int[0]));
        int[] shape = {2};
        NamedArray a = new NamedArray("x", shape, new float[2]);
        shape[0] = 3;   // the record keeps its own copy
        assertArrayEquals(new int[] {2}, a.shape());
    }

    private static double sum(NamedArray a) {
        double s = 0;
        for (float v : a.data()) {
            s += v;
        }
        return s;
    }

    private static Path resource(String name) {
        URL url = Hdf5WeightsTest.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("missing test resource " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
