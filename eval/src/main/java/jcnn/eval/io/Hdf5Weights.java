package jcnn.eval.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import jcnn.core.Tensor;
import jcnn.core.io.WeightValues;
import jcnn.training.nn.Module;

/**
 * Reads an HDF5 file of named float32 datasets, such as the seed study's trained weights, into
 * {@link NamedArray}s.
 *
 * <p>Goals: load exactly what the caller's model expects or fail with a message that names the file, the dataset
 * and what was expected; never convert silently (a float64 or int dataset means a different exporter or model, and
 * converting would hide that). The checks mirror PyTorch's {@code load_state_dict(strict=True)}: missing and
 * unexpected datasets are both errors. A corrupt file fails with a {@link WeightFileException} too, whatever the
 * corruption: every allocation is bounded by the size of the file, and nothing jhdf throws escapes unwrapped.
 *
 * <p>Naming: a dataset's name is its path below the root with "/" replaced by ".", so a root dataset
 * {@code conv1.weight} (how the seed wrote its files) and a dataset {@code weight} in group {@code conv1} (how
 * Keras-style exporters nest them) both load as {@code conv1.weight}, the PyTorch parameter name.
 *
 * <p>Non-goals: attributes, links, compound or string types, partial reads, files over 2 GiB. The file is parsed
 * by jhdf, a pure Java HDF5 reader, so no native library is needed.
 */
public final class Hdf5Weights {

    /** Files are parsed from memory (see {@link #open}): a Java array holds at most this many bytes. */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    /** Deflate expands by at most ~1032:1; a compressed dataset claiming more than that per file byte is corrupt. */
    private static final long MAX_DEFLATE_RATIO = 1032;

    /**
     * jHDF logs through SLF4J, bound to java.util.logging (slf4j-jdk14), whose default level prints INFO: about 25
     * lines on standard error per file read ("Getting flat data for [/conv1.weight]..."), and in the shaded
     * jcnn.jar, which has no jHDF manifest, the warning "Using development version of jHDF". Only its errors show:
     * what matters about a file is checked here and reported as a {@link WeightFileException} naming it. Held in
     * a field: java.util.logging keeps loggers weakly, and a collected one forgets its level.
     */
    private static final java.util.logging.Logger JHDF_LOG = java.util.logging.Logger.getLogger("io.jhdf");

    static {
        JHDF_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    private Hdf5Weights() {
    }

    /**
     * The names and shapes a model's parameters have, in the model's order: what {@link #read(Path, Map)} must
     * find in a file to load it into {@code model}. A fresh map each call (callers may change it).
     */
    public static Map<String, int[]> expectedShapes(Module model) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> shapes.put(name, p.shape()));
        return shapes;
    }

    /**
     * Loads the weights in {@code file} into {@code model}: exactly the model's parameters, by name, each float32
     * of the parameter's shape ({@link #read(Path, Map)} with {@link #expectedShapes}).
     *
     * @throws WeightFileException naming the file and the first dataset that does not fit
     */
    public static void load(Module model, Path file) throws WeightFileException {
        Map<String, NamedArray> arrays = read(file, expectedShapes(model));
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        arrays.forEach((k, a) -> {
            values.put(k, a.data());
            shapes.put(k, a.shape());
        });
        model.loadState(values, shapes, file.toString());
    }

    /**
     * Every dataset in the file, which must all be float32, keyed and sorted by name. For looking at a file; to load
     * weights into a model, prefer {@link #read(Path, Map)}, which also checks names and shapes.
     */
    public static Map<String, NamedArray> read(Path file) throws WeightFileException {
        try (HdfFile hdf = open(file)) {
            long fileSize = hdf.size();
            Map<String, NamedArray> out = new TreeMap<>();
            for (Map.Entry<String, Dataset> e : datasets(file, hdf).entrySet()) {
                out.put(e.getKey(), load(file, fileSize, e.getKey(), e.getValue()));
            }
            return Collections.unmodifiableMap(out);
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
            long fileSize = hdf.size();
            Map<String, Dataset> found = datasets(file, hdf);
            Map<String, NamedArray> out = new LinkedHashMap<>();
            for (Map.Entry<String, int[]> e : expectedShapes.entrySet()) {
                String name = e.getKey();
                String wanted = "float32 " + Tensor.shapeString(e.getValue());
                Dataset d = found.get(name);
                if (d == null) {
                    throw new WeightFileException(file, name, "name", "missing; expected " + wanted
                            + ". The file has: " + String.join(", ", found.keySet()));
                }
                DataType type = jhdf(file, name, "dtype", d::getDataType);
                int[] shape = jhdf(file, name, "shape", d::getDimensions);
                if (!isFloat32(type) || !Arrays.equals(shape, e.getValue())) {
                    throw new WeightFileException(file, name, isFloat32(type) ? "shape" : "dtype", "expected "
                            + wanted + ", found " + dtypeName(type) + " " + Tensor.shapeString(shape));
                }
                out.put(name, load(file, fileSize, name, d));
            }
            List<String> unexpected = new ArrayList<>(found.keySet());
            unexpected.removeAll(expectedShapes.keySet());
            if (!unexpected.isEmpty()) {
                throw new WeightFileException(file, unexpected.get(0), "name", "not expected by the model "
                        + "(unexpected: " + String.join(", ", unexpected) + "; expected: "
                        + String.join(", ", expectedShapes.keySet()) + ")");
            }
            return Collections.unmodifiableMap(out);
        }
    }

    /**
     * The whole file is read into memory and parsed from there. Reading from a file channel, jhdf 0.11.0 allocates
     * a buffer of whatever length a header claims before reading into it (also when mapping a region beyond the
     * end of the file fails), so one corrupt length cost a 2 GiB allocation. From memory, every structure jhdf
     * reads is a slice of these bytes, and a length beyond the end is an exception instead of an allocation. The
     * weights are loaded whole anyway, so this costs one more copy of the file at most.
     */
    private static HdfFile open(Path file) throws WeightFileException {
        if (!Files.isRegularFile(file)) {
            throw new WeightFileException(file, null, "file", Files.isDirectory(file)
                    ? "it is a directory, not a weights file" : "no such file");
        }
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new WeightFileException(file, null, "file", "size " + size + " bytes is over the "
                        + MAX_FILE_BYTES + " this reader holds in memory");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw e instanceof WeightFileException w ? w
                    : new WeightFileException(file, null, "file", "read failed: " + e.getMessage(), e);
        }
        return jhdf(file, null, "superblock", () -> HdfFile.fromBytes(bytes));
    }

    /**
     * Runs one jhdf call. jhdf is a third-party parser: on a corrupt file it throws whatever its code runs into
     * (its own HdfException, but also ArithmeticException, IllegalArgument- and IllegalStateException, buffer
     * under- and overflows, index errors, and StackOverflowError when a structure points back at itself). Each
     * becomes the one exception this class documents, naming the file, the dataset and the part being read.
     */
    private static <T> T jhdf(Path file, String dataset, String field, Supplier<T> call)
            throws WeightFileException {
        return jhdf(file, dataset, field, field, call);
    }

    /** {@code part}: what was being read, for the message, e.g. "group 'conv1'". */
    private static <T> T jhdf(Path file, String dataset, String field, String part, Supplier<T> call)
            throws WeightFileException {
        try {
            return call.get();
        } catch (RuntimeException | StackOverflowError e) {
            // jhdf's outer message says what it was doing ("Failed to load children for group"), the innermost
            // cause what it found ("newLimit > capacity: (5300 > 5295)"): both help whoever reads this.
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = describe(e) + (root == e ? "" : " (" + describe(root) + ")");
            throw new WeightFileException(file, dataset, field, "not a readable HDF5 file: " + part + ": " + why, e);
        }
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** All datasets below the root, by dotted name, in the order jhdf lists them. */
    private static Map<String, Dataset> datasets(Path file, HdfFile hdf) throws WeightFileException {
        Map<String, Dataset> out = new LinkedHashMap<>();
        collect(file, hdf, "", new HashSet<>(), out);
        return out;
    }

    /** {@code ancestors}: the addresses of the groups above, so a link back to one of them is an error. */
    private static void collect(Path file, Group group, String prefix, Set<Long> ancestors,
                                Map<String, Dataset> out) throws WeightFileException {
        if (!ancestors.add(group.getAddress())) {
            // A corrupt link can point at a group above: following it would recurse forever.
            throw new WeightFileException(file, null, "group", "not a readable HDF5 file: group '"
                    + prefix.substring(0, prefix.length() - 1) + "' links back to a group that contains it");
        }
        // jhdf reads a group's links, and its children's object headers, on first use: here.
        String part = prefix.isEmpty() ? "root group" : "group '" + prefix.substring(0, prefix.length() - 1) + "'";
        List<Node> children = jhdf(file, null, "group", part, () -> {
            List<Node> list = new ArrayList<>();
            group.forEach(list::add);
            return list;
        });
        for (Node node : children) {
            String name = prefix + node.getName();
            if (node instanceof Dataset d) {
                if (out.put(name, d) != null) {
                    // e.g. a root dataset "a.b" and a dataset "b" in group "a": the name would not say which
                    throw new WeightFileException(file, name, "name", "two datasets map to this name");
                }
            } else if (node instanceof Group g) {
                collect(file, g, name + ".", ancestors, out);
            }
        }
        ancestors.remove(group.getAddress());
    }

    private static NamedArray load(Path file, long fileSize, String name, Dataset d) throws WeightFileException {
        DataType type = jhdf(file, name, "dtype", d::getDataType);
        if (!isFloat32(type)) {
            throw new WeightFileException(file, name, "dtype", "expected float32, found " + dtypeName(type));
        }
        int[] shape = jhdf(file, name, "shape", d::getDimensions);
        long size = checkedSize(file, name, "shape", shape);
        // Checked before jhdf allocates the array, as a corrupt dataspace can claim any size: uncompressed data
        // lies in the file, and compressed data cannot expand beyond deflate's maximum ratio.
        boolean filtered = jhdf(file, name, "filters", () -> !d.getFilters().isEmpty());
        long limit = filtered ? fileSize * MAX_DEFLATE_RATIO : fileSize;
        if (4 * size > limit) {
            throw new WeightFileException(file, name, "shape", "float32 " + Tensor.shapeString(shape)
                    + " needs " + 4 * size + " bytes, more than this " + fileSize + "-byte file can hold");
        }
        if (d instanceof ChunkedDataset c) {
            // jhdf allocates a buffer per chunk, of the size the layout claims for a chunk
            int[] chunk = jhdf(file, name, "chunk shape", c::getChunkDimensions);
            if (4 * checkedSize(file, name, "chunk shape", chunk) > limit) {
                throw new WeightFileException(file, name, "chunk shape", "float32 " + Tensor.shapeString(chunk)
                        + " needs more bytes than this " + fileSize + "-byte file can hold");
            }
        }
        Object flat = jhdf(file, name, "data", d::getDataFlat);
        float[] data;
        if (flat instanceof float[] f) {
            data = f;
        } else if (flat instanceof Float f) {   // a scalar dataset
            data = new float[] {f};
        } else {
            throw new WeightFileException(file, name, "data", "float32 dataset read as "
                    + (flat == null ? "null" : flat.getClass().getSimpleName()));
        }
        if (data.length != size) {
            throw new WeightFileException(file, name, "data", "shape " + Tensor.shapeString(shape) + " holds "
                    + size + " values but " + data.length + " were read");
        }
        String bad = WeightValues.firstBad(data);
        if (bad != null) {   // "FILE: conv1.weight[0] is NaN": the element at fault is the field
            throw new WeightFileException(file, name + bad.substring(0, bad.indexOf(']') + 1), file + ": " + name
                    + bad);
        }
        return new NamedArray(name, shape, data);
    }

    /** The number of elements of {@code shape}, saturating where 4 bytes each would overflow a long. */
    private static long checkedSize(Path file, String name, String field, int[] shape) throws WeightFileException {
        long size = 1;
        for (int n : shape) {
            if (n < 0) {
                throw new WeightFileException(file, name, field, "negative dimension in "
                        + Tensor.shapeString(shape));
            }
            size = n == 0 ? 0 : size > Long.MAX_VALUE / 8 / n ? Long.MAX_VALUE / 8 : size * n;
        }
        return size;
    }

    private static boolean isFloat32(DataType t) {
        return t instanceof FloatingPoint && t.getSize() == 4;
    }

    /** numpy's name for an HDF5 type, which is what the person who wrote the file will recognise. */
    private static String dtypeName(DataType t) {
        if (t == null) {
            return "no datatype";
        }
        if (t instanceof FloatingPoint) {
            return "float" + 8 * t.getSize();
        }
        if (t instanceof FixedPoint fp) {
            return (fp.isSigned() ? "int" : "uint") + 8 * t.getSize();
        }
        return t.getClass().getSimpleName();
    }
}
