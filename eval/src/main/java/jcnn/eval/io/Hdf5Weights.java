package jcnn.eval.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads an HDF5 file of named float32 datasets, such as the seed study's trained weights, into
 * {@link NamedArray}s.
 *
 * <p>Goals: load exactly what the caller's model expects or fail with a message that names the file, the dataset
 * and what was expected; never convert silently (a float64 or int dataset means a different exporter or model, and
 * converting would hide that). The checks mirror PyTorch's {@code load_state_dict(strict=True)}: missing and
 * unexpected datasets are both errors.
 *
 * <p>Naming: a dataset's name is its path below the root with "/" replaced by ".", so a root dataset
 * {@code conv1.weight} (how the seed wrote its files) and a dataset {@code weight} in group {@code conv1} (how
 * Keras-style exporters nest them) both load as {@code conv1.weight}, the PyTorch parameter name.
 *
 * <p>Non-goals: attributes, links, compound or string types, partial reads. The file is parsed by jhdf, a pure
 * Java HDF5 reader, so no native library is needed.
 */
public final class Hdf5Weights {

    private Hdf5Weights() {
    }

    /**
     * The parameters of the seed CNN (see shared/seed/SEED.md) and their PyTorch shapes, in the order of the
     * model's layers. A fresh map each call.
     */
    public static Map<String, int[]> seedCnnShapes() {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put("conv1.weight", new int[] {16, 1, 3, 3});
        shapes.put("conv1.bias", new int[] {16});
        shapes.put("conv2.weight", new int[] {32, 16, 3, 3});
        shapes.put("conv2.bias", new int[] {32});
        shapes.put("fc1.weight", new int[] {128, 1568});
        shapes.put("fc1.bias", new int[] {128});
        shapes.put("fc2.weight", new int[] {10, 128});
        shapes.put("fc2.bias", new int[] {10});
        return shapes;
    }

    /**
     * Every dataset in the file, which must all be float32, keyed and sorted by name. For looking at a file; to load
     * weights into a model, prefer {@link #read(Path, Map)}, which also checks names and shapes.
     */
    public static Map<String, NamedArray> read(Path file) throws WeightFileException {
        try (HdfFile hdf = open(file)) {
            Map<String, NamedArray> out = new TreeMap<>();
            for (Map.Entry<String, Dataset> e : datasets(file, hdf).entrySet()) {
                out.put(e.getKey(), load(file, e.getKey(), e.getValue()));
            }
            return Collections.unmodifiableMap(out);
        } catch (HdfException e) {
            throw new WeightFileException(file, null, "not a readable HDF5 file (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Exactly the datasets named in {@code expectedShapes}, each float32 of the expected shape, in the map's order.
     *
     * @throws WeightFileException for the first expected dataset that is missing, not float32 or of another shape,
     *                             then for any dataset the caller did not expect
     */
    public static Map<String, NamedArray> read(Path file, Map<String, int[]> expectedShapes)
            throws WeightFileException {
        try (HdfFile hdf = open(file)) {
            Map<String, Dataset> found = datasets(file, hdf);
            Map<String, NamedArray> out = new LinkedHashMap<>();
            for (Map.Entry<String, int[]> e : expectedShapes.entrySet()) {
                String name = e.getKey();
                String wanted = "float32 " + NamedArray.shapeString(e.getValue());
                Dataset d = found.get(name);
                if (d == null) {
                    throw new WeightFileException(file, name, "missing; expected " + wanted
                            + ". The file has: " + String.join(", ", found.keySet()));
                }
                int[] shape = d.getDimensions();
                if (!isFloat32(d.getDataType()) || !Arrays.equals(shape, e.getValue())) {
                    throw new WeightFileException(file, name, "expected " + wanted + ", found "
                            + dtypeName(d.getDataType()) + " " + NamedArray.shapeString(shape));
                }
                out.put(name, load(file, name, d));
            }
            List<String> unexpected = new ArrayList<>(found.keySet());
            unexpected.removeAll(expectedShapes.keySet());
            if (!unexpected.isEmpty()) {
                throw new WeightFileException(file, unexpected.get(0), "not expected by the model (unexpected: "
                        + String.join(", ", unexpected) + "; expected: "
                        + String.join(", ", expectedShapes.keySet()) + ")");
            }
            return Collections.unmodifiableMap(out);
        } catch (HdfException e) {
            throw new WeightFileException(file, null, "not a readable HDF5 file (" + e.getMessage() + ")", e);
        }
    }

    private static HdfFile open(Path file) throws WeightFileException {
        if (!Files.isRegularFile(file)) {
            throw new WeightFileException(file, null, "no such file");
        }
        try {
            return new HdfFile(file);
        } catch (HdfException e) {
            throw new WeightFileException(file, null, "not a readable HDF5 file (" + e.getMessage() + ")", e);
        }
    }

    /** All datasets below the root, by dotted name, in the order jhdf lists them. */
    private static Map<String, Dataset> datasets(Path file, HdfFile hdf) throws WeightFileException {
        Map<String, Dataset> out = new LinkedHashMap<>();
        collect(file, hdf, "", out);
        return out;
    }

    private static void collect(Path file, Group group, String prefix, Map<String, Dataset> out)
            throws WeightFileException {
        for (Node node : group) {
            String name = prefix + node.getName();
            if (node instanceof Dataset d) {
                if (out.put(name, d) != null) {
                    // e.g. a root dataset "a.b" and a dataset "b" in group "a": the name would not say which
                    throw new WeightFileException(file, name, "two datasets map to this name");
                }
            } else if (node instanceof Group g) {
                collect(file, g, name + ".", out);
            }
        }
    }

    private static NamedArray load(Path file, String name, Dataset d) throws WeightFileException {
        if (!isFloat32(d.getDataType())) {
            throw new WeightFileException(file, name, "expected float32, found " + dtypeName(d.getDataType()));
        }
        Object flat = d.getDataFlat();
        float[] data;
        if (flat instanceof float[] f) {
            data = f;
        } else if (flat instanceof Float f) {   // a scalar dataset
            data = new float[] {f};
        } else {
            throw new WeightFileException(file, name, "float32 dataset read as "
                    + (flat == null ? "null" : flat.getClass().getSimpleName()));
        }
        return new NamedArray(name, d.getDimensions(), data);
    }

    private static boolean isFloat32(DataType t) {
        return t instanceof FloatingPoint && t.getSize() == 4;
    }

    /** numpy's name for an HDF5 type, which is what the person who wrote the file will recognise. */
    private static String dtypeName(DataType t) {
        if (t instanceof FloatingPoint) {
            return "float" + 8 * t.getSize();
        }
        if (t instanceof FixedPoint fp) {
            return (fp.isSigned() ? "int" : "uint") + 8 * t.getSize();
        }
        return t.getClass().getSimpleName();
    }
}
