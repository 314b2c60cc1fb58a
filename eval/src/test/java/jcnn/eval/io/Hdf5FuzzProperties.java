package jcnn.eval.io;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import jcnn.core.Tensor;
import jcnn.core.testing.FuzzHarness;
import jcnn.core.testing.PropertyCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * Fuzzes the HDF5 import: at least 10,000 corrupted copies of small valid files per run. Each must either load, with
 * a result that agrees with itself, or fail with a {@link WeightFileException} that names the file and the field;
 * anything else fails the property: another exception, an error (out of memory, stack overflow), more than
 * {@link #TIME_LIMIT_MS} for one file, or an allocation out of proportion to the file's size.
 *
 * <p>Seeds: the fixtures of {@code Hdf5WeightsTest} (h5py's layout: superblock 0, symbol-table groups), a file jhdf
 * writes (superblock 2, link messages, checksums), and now and then a real seed weight file. Mutations are chosen
 * to reach every kind of field: truncation, bit flips, inserted and deleted bytes, words overwritten with extreme
 * values, lengths and addresses made huge, negative, zero or just past the end, addresses swapped for other
 * addresses (cycles, structures of the wrong kind), and expectations that disagree with the file's dtypes and
 * shapes. The last line of the run counts the outcomes.
 */
class Hdf5FuzzProperties {

    /** A parse over this is reported as a hang; the slowest corrupt fixture takes a few milliseconds. */
    private static final long TIME_LIMIT_MS = 2000;

    /** Heap one parse may allocate: 16 bytes per byte of file (the file, its floats, jhdf's objects) + 16 MiB. */
    private static final long ALLOC_PER_FILE_BYTE = 16;
    private static final long ALLOC_SLACK = 16L << 20;

    /** {@code words[w]}: offsets of the {@code w}-byte words that look like an address or a length. */
    private record Seed(String name, byte[] bytes, Map<String, int[]> shapes, int[][] words) {
    }

    enum Mutation {
        TRUNCATE, FLIP_BITS, INSERT_BYTES, DELETE_BYTES, EXTREME_WORD, BAD_LENGTH_OR_ADDRESS, SWAP_ADDRESSES,
        WRONG_EXPECTATIONS
    }

    private static final long[] EXTREMES = {0, 1, -1, 2, 7, 255, 0xFFFF, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL,
        1L << 40, Long.MAX_VALUE, Long.MIN_VALUE};

    private static final List<Seed> SMALL = new ArrayList<>();
    private static Seed large;
    private static Path dir;
    private static Path file;
    private static FuzzHarness harness;

    @BeforeAll
    static void seeds() throws Exception {
        dir = Files.createTempDirectory("jcnn-hdf5-fuzz");
        file = dir.resolve("fuzzed.h5");
        for (String name : List.of("/io/nested.h5", "/io/mixed-dtypes.h5", "/io/name-clash.h5")) {
            SMALL.add(seed(name, Files.readAllBytes(resource(name))));
        }
        Path written = dir.resolve("jhdf-written.h5");
        try (WritableHdfFile out = HdfFile.write(written)) {
            out.putDataset("fc.weight", new float[][] {{1, 2, 3}, {4, 5, 6}});
            WritableGroup conv = out.putGroup("conv1");
            conv.putDataset("bias", new float[] {0.5f, -0.25f});
            conv.putDataset("weight", new float[][][] {{{1}, {2}}});
            out.putDataset("scale", 0.75f);
        }
        SMALL.add(seed("jhdf-written.h5", Files.readAllBytes(written)));
        String seedFile = "/seed/with-optimisation-OptimizedModel.h5";
        large = seed(seedFile, Files.readAllBytes(resource(seedFile)));
        harness = new FuzzHarness("hdf5", TIME_LIMIT_MS);
        for (Seed s : SMALL) {   // warms up jhdf, so class loading is not counted as time or allocation
            check(s, s.bytes(), false, "warm-up");
        }
        harness.startCounting();
    }

    /** The valid file's dataset shapes, when it reads; null when even the valid file is refused (on purpose). */
    private static Seed seed(String name, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        int[][] words = new int[9][];
        for (int width = 2; width <= 8; width *= 2) {
            words[width] = plausibleWords(bytes, width);
        }
        Map<String, int[]> shapes = new LinkedHashMap<>();
        try {
            Hdf5Weights.read(file).forEach((k, v) -> shapes.put(k, v.shape()));
        } catch (WeightFileException e) {
            return new Seed(name, bytes, null, words);
        }
        return new Seed(name, bytes, shapes, words);
    }

    @AfterAll
    static void summary() throws IOException {
        harness.close();
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir.resolve("jhdf-written.h5"));
        Files.deleteIfExists(dir);
        System.out.println(harness.summary());
    }

    /** One try: the mutation, the seed file (pick 0: the large one, else a small one), and its randomness. */
    record Try(Mutation mutation, int pick, long random) {
    }

    @Test
    void corruptFilesLoadConsistentlyOrFailNamingFileAndField() {
        Gen<Try> tries = Generate.enumValues(Mutation.class)
                .zip(SourceDSL.integers().between(0, 99), SourceDSL.longs().all(), Try::new);
        PropertyCheck.forAll(10_000, FuzzHarness.SHRINK_CYCLES, tries,
                t -> harness.attempt(() -> corruptFile(t.mutation(), t.pick(), t.random())));
    }

    private static void corruptFile(Mutation mutation, int pick, long random) throws Exception {
        Random rng = new Random(random);
        // One try in 100 fuzzes the 830 kB seed file, the rest the small fixtures: small files keep the run fast
        // and put most mutations in the structures rather than in the float data.
        Seed seed = pick == 0 ? large : SMALL.get(pick % SMALL.size());
        StringBuilder what = new StringBuilder(seed.name()).append(": ").append(mutation);
        byte[] bytes = mutation == Mutation.WRONG_EXPECTATIONS ? seed.bytes() : mutate(seed, mutation, rng, what);
        boolean expectations = seed.shapes() != null && (mutation == Mutation.WRONG_EXPECTATIONS || rng.nextBoolean());
        Map<String, int[]> expected = expectations ? expectations(seed, mutation, rng, what) : null;
        check(seed, bytes, expected, what.toString());
    }

    private static void check(Seed seed, byte[] bytes, boolean withShapes, String what) throws Exception {
        check(seed, bytes, withShapes ? seed.shapes() : null, what);
    }

    /** Reads {@code bytes} from the fuzz file on the worker thread and checks and counts the outcome. */
    private static void check(Seed seed, byte[] bytes, Map<String, int[]> expected, String what) throws Exception {
        Files.write(file, bytes);
        Object outcome = harness.read(
                () -> expected == null ? Hdf5Weights.read(file) : Hdf5Weights.read(file, expected), bytes.length,
                ALLOC_SLACK + ALLOC_PER_FILE_BYTE * bytes.length, what);
        if (outcome instanceof WeightFileException e) {
            boolean named = e.getMessage().startsWith(file + ": ") && file.equals(e.file()) && e.field() != null
                    && (e.getMessage().contains(e.field()) || e.getMessage().contains("dataset '" + e.dataset() + "'"));
            if (!named) {
                throw new AssertionError(what + ": message does not name the file and the field (" + e.field()
                        + "): " + e.getMessage(), e);
            }
            harness.rejected(e.field());
        } else if (outcome instanceof Throwable t) {
            throw new AssertionError(what + ": " + t, t);
        } else {
            @SuppressWarnings("unchecked")
            Map<String, NamedArray> read = (Map<String, NamedArray>) outcome;
            consistent(read, expected, what);
            if (Arrays.equals(bytes, seed.bytes()) && seed.shapes() != null && expected == null
                    && !read.keySet().equals(seed.shapes().keySet())) {
                throw new AssertionError(what + ": the unchanged file read as " + read.keySet());
            }
            harness.parsed();
        }
    }

    /** Names match the keys, shapes the data, and expectations, when given, are met exactly. */
    private static void consistent(Map<String, NamedArray> read, Map<String, int[]> expected, String what) {
        for (Map.Entry<String, NamedArray> e : read.entrySet()) {
            NamedArray a = e.getValue();
            long size = 1;
            for (int d : a.shape()) {
                size *= d;
            }
            if (!a.name().equals(e.getKey()) || size != a.data().length) {
                throw new AssertionError(what + ": inconsistent result " + e.getKey() + " -> " + a);
            }
        }
        if (expected != null) {
            if (!List.copyOf(read.keySet()).equals(List.copyOf(expected.keySet()))) {
                throw new AssertionError(what + ": read " + read.keySet() + " but expected " + expected.keySet());
            }
            expected.forEach((name, shape) -> {
                if (!Arrays.equals(shape, read.get(name).shape())) {
                    throw new AssertionError(what + ": " + name + " read as " + read.get(name) + ", expected "
                            + Tensor.shapeString(shape));
                }
            });
        }
    }

    /** The valid file's shapes; for WRONG_EXPECTATIONS one is changed, dropped, added or renamed. */
    private static Map<String, int[]> expectations(Seed seed, Mutation mutation, Random rng, StringBuilder what) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        seed.shapes().forEach((k, v) -> shapes.put(k, v.clone()));
        if (mutation != Mutation.WRONG_EXPECTATIONS || shapes.isEmpty()) {
            return shapes;
        }
        List<String> names = List.copyOf(shapes.keySet());
        String name = names.get(rng.nextInt(names.size()));
        int[] shape = shapes.get(name);
        switch (rng.nextInt(5)) {
            case 0 -> shapes.remove(name);
            case 1 -> shapes.put("missing." + name, shape);
            case 2 -> shapes.put(name, Arrays.copyOf(shape, shape.length + 1));
            case 3 -> {
                if (shape.length > 0) {
                    shape[rng.nextInt(shape.length)] += rng.nextBoolean() ? 1 : -1;
                }
            }
            default -> {
                int[] reversed = new int[shape.length];
                for (int i = 0; i < shape.length; i++) {
                    reversed[i] = shape[shape.length - 1 - i];
                }
                shapes.put(name, reversed);
            }
        }
        what.append(" expecting ");
        shapes.forEach((k, v) -> what.append(k).append(Tensor.shapeString(v)).append(' '));
        return shapes;
    }

    private static byte[] mutate(Seed s, Mutation mutation, Random rng, StringBuilder what) {
        byte[] seed = s.bytes();
        byte[] m = seed.clone();
        switch (mutation) {
            case TRUNCATE -> {
                int length = rng.nextInt(seed.length);
                what.append(" to ").append(length);
                return Arrays.copyOf(seed, length);
            }
            case FLIP_BITS -> {
                for (int k = 1 + rng.nextInt(8); k > 0; k--) {
                    int at = rng.nextInt(m.length);
                    m[at] ^= (byte) (1 << rng.nextInt(8));
                    what.append(' ').append(at);
                }
            }
            case INSERT_BYTES -> {
                int at = rng.nextInt(seed.length + 1), n = 1 + rng.nextInt(16);
                byte[] inserted = new byte[n];
                rng.nextBytes(inserted);
                m = FuzzHarness.splice(seed, at, 0, inserted);
                what.append(' ').append(n).append(" at ").append(at);
            }
            case DELETE_BYTES -> {
                int at = rng.nextInt(seed.length), n = Math.min(seed.length - at, 1 + rng.nextInt(16));
                m = FuzzHarness.splice(seed, at, n, new byte[0]);
                what.append(' ').append(n).append(" at ").append(at);
            }
            case EXTREME_WORD -> {
                int width = 1 << rng.nextInt(4), at = rng.nextInt(m.length - width + 1);
                long value = EXTREMES[rng.nextInt(EXTREMES.length)];
                putLittleEndian(m, at, width, value);
                what.append(' ').append(width).append(" bytes at ").append(at).append(" = ").append(value);
            }
            case BAD_LENGTH_OR_ADDRESS -> {
                // A little-endian word between 1 and the file size is most likely an address, a length, a count
                // or a dimension: make it huge, negative, zero or point just past the end.
                int width = 2 << rng.nextInt(3);
                int[] candidates = s.words()[width];
                int at = candidates[rng.nextInt(candidates.length)];
                long value = rng.nextInt(3) == 0 ? seed.length + rng.nextInt(64) - 32
                        : EXTREMES[rng.nextInt(EXTREMES.length)];
                putLittleEndian(m, at, width, value);
                what.append(' ').append(width).append(" bytes at ").append(at).append(" = ").append(value);
            }
            case SWAP_ADDRESSES -> {
                int[] candidates = s.words()[8];
                int to = candidates[rng.nextInt(candidates.length)];
                int from = candidates[rng.nextInt(candidates.length)];
                System.arraycopy(seed, from, m, to, 8);
                what.append(" word at ").append(from).append(" copied to ").append(to);
            }
            default -> throw new AssertionError(mutation);
        }
        return m;
    }

    /** Offsets of little-endian words of {@code width} bytes whose value lies in 1..length-1. */
    private static int[] plausibleWords(byte[] bytes, int width) {
        List<Integer> offsets = new ArrayList<>();
        for (int at = 0; at + width <= bytes.length; at++) {
            long value = 0;
            for (int i = width - 1; i >= 0; i--) {
                value = value << 8 | bytes[at + i] & 0xFF;
            }
            if (value > 0 && value < bytes.length) {
                offsets.add(at);
            }
        }
        return offsets.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void putLittleEndian(byte[] bytes, int at, int width, long value) {
        for (int i = 0; i < width; i++) {
            bytes[at + i] = (byte) (value >>> 8 * i);
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        URL url = Hdf5FuzzProperties.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("missing test resource " + name);
        }
        return Path.of(url.toURI());
    }
}
