package jcnn.core.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Fuzzes the safetensors reader: at least 10,000 corrupted copies of small valid files per run. Each must either
 * read, with every tensor's shape matching its values, or fail with a {@link SafetensorsException} whose message
 * starts with the file and the field; anything else fails the property: another exception, an error, more than
 * {@link #TIME_LIMIT_MS} for one file, or an allocation out of proportion to the file's size.
 *
 * <p>Seeds are written by {@link Safetensors#write}. Mutations: truncation, bit flips, inserted and deleted bytes,
 * words overwritten with extreme values, header lengths that are huge, negative, zero or off by a little, JSON
 * broken as text (stray and missing characters, invalid UTF-8, duplicate keys, deep nesting, trailing content),
 * JSON that parses but whose fields are wrong (dtypes, shapes and offsets that are negative, huge, fractional, of
 * the wrong type, overlapping or past the end), and dtypes and shapes that disagree with the offsets. The last
 * line of the run counts the outcomes.
 */
class SafetensorsFuzzProperties {

    /** A read over this is reported as a hang; the fuzzed files are a few hundred bytes. */
    private static final long TIME_LIMIT_MS = 2000;

    /** Heap one read may allocate: 16 bytes per byte of file (header string, JSON tree, values) + 4 MiB. */
    private static final long ALLOC_PER_FILE_BYTE = 16;
    private static final long ALLOC_SLACK = 4L << 20;

    enum Mutation {
        TRUNCATE, FLIP_BITS, INSERT_BYTES, DELETE_BYTES, EXTREME_WORD, HEADER_LENGTH, JSON_TEXT, JSON_FIELD,
        DTYPE_SHAPE_MISMATCH
    }

    private static final long[] EXTREMES = {0, 1, -1, 7, 8, 255, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 1L << 40,
        100_000_001L, Long.MAX_VALUE, Long.MIN_VALUE};

    /** Values a header field should never have, for JSON_FIELD. */
    private static final List<JsonElement> BAD_VALUES = new ArrayList<>();

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
    private static final List<byte[]> SEEDS = new ArrayList<>();
    private static final List<Safetensors> SEED_CONTENTS = new ArrayList<>();
    private static Path dir;
    private static Path file;
    private static FuzzHarness harness;

    @BeforeAll
    static void seeds() throws Exception {
        dir = Files.createTempDirectory("jcnn-safetensors-fuzz");
        file = dir.resolve("fuzzed.safetensors");
        Random rng = new Random(1);
        Safetensors many = new Safetensors()
                .put("conv.weight", Tensor.randn(rng, 2, 3))
                .put("conv.bias", Tensor.randn(rng, 3))
                .put("scale", Tensor.scalar(0.75f))
                .put("empty", Tensor.zeros(0, 3))
                .putLongs("ids", new long[] {1, -2, 3L << 40, Long.MIN_VALUE}, 4)
                .putMetadata("format", "pt")
                .putMetadata("epoch", "3");
        Safetensors one = new Safetensors().put("x", Tensor.randn(rng, 5));
        Safetensors none = new Safetensors().putMetadata("note", "no tensors");
        for (Safetensors st : List.of(many, one, none)) {
            st.write(file);
            SEEDS.add(Files.readAllBytes(file));
            SEED_CONTENTS.add(st);
        }
        for (String json : List.of("null", "\"F16\"", "\"BF16\"", "\"f32\"", "\"\"", "123", "-1", "1.5", "1e3",
                "[]", "{}", "[-1]", "[0]", "[0,1,2]", "[-1,4]", "[8,4]", "[1.5,2]", "[\"2\"]", "[null]", "[[2]]",
                "[2147483648]", "[1099511627776]", "[9223372036854775807]", "[99999999999999999999]",
                "[0,9223372036854775807]", "[9223372036854775807,9223372036854775807]", "[0,2147483647,2147483647]",
                "[70000,70000,0]", "[2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2]",
                "{\"k\":1}", "{\"k\":null}", "{\"k\":{\"n\":\"x\"}}", "true")) {
            BAD_VALUES.add(JsonParser.parseString(json));
        }
        harness = new FuzzHarness("safetensors", TIME_LIMIT_MS);
        for (byte[] seed : SEEDS) {   // warms up, so class loading is not counted as time or allocation
            check(seed, -1, "warm-up");
        }
        harness.startCounting();
    }

    @AfterAll
    static void summary() throws IOException {
        harness.close();
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
        System.out.println(harness.summary());
    }

    /** One try: the mutation, the seed file (pick 0-5: the first, 6-8: the second, 9: the third), its randomness. */
    record Try(Mutation mutation, int pick, long random) {
    }

    @Test
    void corruptFilesReadConsistentlyOrFailNamingFileAndField() {
        Gen<Try> tries = Generate.enumValues(Mutation.class)
                .zip(SourceDSL.integers().between(0, 9), SourceDSL.longs().all(), Try::new);
        PropertyCheck.forAll(10_000, FuzzHarness.SHRINK_CYCLES, tries, t -> harness.attempt(() -> {
            Random rng = new Random(t.random());
            int seed = t.pick() < 6 ? 0 : t.pick() < 9 ? 1 : 2;   // mostly the seed with every dtype, shape, metadata
            StringBuilder what = new StringBuilder("seed ").append(seed).append(": ").append(t.mutation());
            check(mutate(SEEDS.get(seed), t.mutation(), rng, what), seed, what.toString());
        }));
    }

    /** Reads {@code bytes} from the fuzz file on the worker thread, then checks and counts the outcome. */
    private static void check(byte[] bytes, int seed, String what) throws Exception {
        Files.write(file, bytes);
        Object outcome = harness.read(() -> Safetensors.read(file), bytes.length,
                ALLOC_SLACK + ALLOC_PER_FILE_BYTE * bytes.length, what);
        if (outcome instanceof SafetensorsException e) {
            if (!file.equals(e.file()) || e.field() == null || !e.getMessage().startsWith(file + ": " + e.field())) {
                throw new AssertionError(what + ": message does not start with the file and the field ("
                        + e.field() + "): " + e.getMessage(), e);
            }
            harness.rejected(fieldKind(e.field()));
        } else if (outcome instanceof Throwable t) {
            throw new AssertionError(what + ": " + t, t);
        } else {
            Safetensors read = (Safetensors) outcome;
            consistent(read, bytes, what);
            if (seed >= 0 && Arrays.equals(bytes, SEEDS.get(seed))) {
                same(SEED_CONTENTS.get(seed), read, what);
            }
            harness.parsed();
        }
    }

    /** Every tensor's values fill its shape, and together they fill the data section. */
    private static void consistent(Safetensors read, byte[] bytes, String what) {
        long dataBytes = 0;
        for (String name : read.names()) {
            int[] shape = read.shape(name);
            long size = 1;
            for (int d : shape) {
                size *= d;
            }
            long values = read.dtype(name) == Safetensors.DType.F32 ? read.tensor(name).size()
                    : read.longs(name).length;
            if (values != size) {
                throw new AssertionError(what + ": " + name + " has " + values + " values for shape "
                        + Arrays.toString(shape));
            }
            dataBytes += values * read.dtype(name).bytes;
        }
        long headerEnd = 8 + ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (dataBytes != bytes.length - headerEnd) {
            throw new AssertionError(what + ": tensors hold " + dataBytes + " bytes of a data section of "
                    + (bytes.length - headerEnd));
        }
    }

    private static void same(Safetensors expected, Safetensors read, String what) {
        boolean same = expected.names().equals(read.names()) && expected.metadata().equals(read.metadata());
        for (String name : expected.names()) {
            same &= read.contains(name) && Arrays.equals(expected.shape(name), read.shape(name))
                    && (expected.dtype(name) == Safetensors.DType.F32
                    ? Arrays.equals(expected.tensor(name).data(), read.tensor(name).data())
                    : Arrays.equals(expected.longs(name), read.longs(name)));
        }
        if (!same) {
            throw new AssertionError(what + ": the unchanged file read differently");
        }
    }

    /** "conv.weight.shape" counts as "shape", "__metadata__.epoch" as "__metadata__", a bare name as "entry". */
    private static String fieldKind(String field) {
        for (String kind : List.of("dtype", "shape", "data_offsets")) {
            if (field.equals(kind) || field.endsWith("." + kind)) {
                return kind;
            }
        }
        if (field.startsWith("__metadata__")) {
            return "__metadata__";
        }
        return field.equals("header") || field.equals("header length") ? field : "tensor entry";
    }

    // ---------------------------------------------------------------------------------------------------------
    // Mutations

    private static byte[] mutate(byte[] seed, Mutation mutation, Random rng, StringBuilder what) {
        byte[] m = seed.clone();
        int headerLength = (int) ByteBuffer.wrap(seed).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        byte[] header = Arrays.copyOfRange(seed, 8, 8 + headerLength);
        byte[] data = Arrays.copyOfRange(seed, 8 + headerLength, seed.length);
        switch (mutation) {
            case TRUNCATE -> {
                int length = rng.nextInt(seed.length);
                what.append(" to ").append(length);
                return Arrays.copyOf(seed, length);
            }
            case FLIP_BITS -> {
                for (int k = 1 + rng.nextInt(4); k > 0; k--) {
                    int at = rng.nextInt(m.length);
                    m[at] ^= (byte) (1 << rng.nextInt(8));
                    what.append(' ').append(at);
                }
                return m;
            }
            case INSERT_BYTES -> {
                int at = rng.nextInt(seed.length + 1);
                byte[] inserted = new byte[1 + rng.nextInt(16)];
                rng.nextBytes(inserted);
                what.append(' ').append(inserted.length).append(" at ").append(at);
                return FuzzHarness.splice(seed, at, 0, inserted);
            }
            case DELETE_BYTES -> {
                int at = rng.nextInt(seed.length), n = Math.min(seed.length - at, 1 + rng.nextInt(16));
                what.append(' ').append(n).append(" at ").append(at);
                return FuzzHarness.splice(seed, at, n, new byte[0]);
            }
            case EXTREME_WORD -> {
                int width = 1 << rng.nextInt(4), at = rng.nextInt(m.length - width + 1);
                long value = EXTREMES[rng.nextInt(EXTREMES.length)];
                for (int i = 0; i < width; i++) {
                    m[at + i] = (byte) (value >>> 8 * i);
                }
                what.append(' ').append(width).append(" bytes at ").append(at).append(" = ").append(value);
                return m;
            }
            case HEADER_LENGTH -> {
                long value = rng.nextBoolean() ? EXTREMES[rng.nextInt(EXTREMES.length)]
                        : headerLength + rng.nextInt(33) - 16;
                ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
                what.append(' ').append(value);
                return m;
            }
            case JSON_TEXT -> {
                return pack(brokenJson(header, rng, what), data);
            }
            case JSON_FIELD -> {
                JsonObject json = JsonParser.parseString(new String(header, StandardCharsets.UTF_8)).getAsJsonObject();
                badField(json, rng, what);
                return pack(GSON.toJson(json).getBytes(StandardCharsets.UTF_8), data);
            }
            case DTYPE_SHAPE_MISMATCH -> {
                JsonObject json = JsonParser.parseString(new String(header, StandardCharsets.UTF_8)).getAsJsonObject();
                mismatch(json, rng, what);
                return pack(GSON.toJson(json).getBytes(StandardCharsets.UTF_8), data);
            }
            default -> throw new AssertionError(mutation);
        }
    }

    /** The header as text, broken: a character removed, added or replaced, or the whole document replaced. */
    private static byte[] brokenJson(byte[] header, Random rng, StringBuilder what) {
        byte[] specials = "{}[]\",:\\0-e. \n".getBytes(StandardCharsets.US_ASCII);
        byte[] oddBytes = {0, 0x1f, (byte) 0xff, (byte) 0xc3, (byte) 0x80, (byte) 0xed};
        int at = rng.nextInt(header.length);
        byte b = rng.nextBoolean() ? specials[rng.nextInt(specials.length)] : oddBytes[rng.nextInt(oddBytes.length)];
        String text = new String(header, StandardCharsets.UTF_8).strip();
        switch (rng.nextInt(8)) {
            case 0 -> {
                what.append(" byte ").append(at).append(" removed");
                return FuzzHarness.splice(header, at, 1, new byte[0]);
            }
            case 1 -> {
                what.append(" byte ").append(b).append(" inserted at ").append(at);
                return FuzzHarness.splice(header, at, 0, new byte[] {b});
            }
            case 2 -> {
                what.append(" byte ").append(at).append(" replaced by ").append(b);
                return FuzzHarness.splice(header, at, 1, new byte[] {b});
            }
            case 3 -> {   // the first entry again: a duplicate key
                JsonObject json = JsonParser.parseString(text).getAsJsonObject();
                Map.Entry<String, JsonElement> first = json.entrySet().iterator().next();
                String duplicate = GSON.toJson(first.getKey()) + ":" + GSON.toJson(first.getValue());
                what.append(" duplicate key ").append(first.getKey());
                return (text.substring(0, text.length() - 1) + "," + duplicate + "}").getBytes(StandardCharsets.UTF_8);
            }
            case 4 -> {
                String tail = List.of("}", "x", "{}", "[]", " 1", "\u0000").get(rng.nextInt(6));
                what.append(" followed by ").append(GSON.toJson(tail));
                return (text + tail).getBytes(StandardCharsets.UTF_8);
            }
            case 5 -> {
                int depth = 1 + rng.nextInt(100_000);
                what.append(" nested ").append(depth).append(" deep");
                return ("{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}").getBytes(StandardCharsets.UTF_8);
            }
            case 6 -> {
                String doc = List.of("", " ", "[]", "null", "\"x\"", "1", "{", "}", "{\"a\":}", "{'a':1}",
                        "{\"a\":1,}", "{/* c */}", "{\"a\"\u0000:1}").get(rng.nextInt(13));
                what.append(" replaced by ").append(GSON.toJson(doc));
                return doc.getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                String cut = text.substring(0, rng.nextInt(text.length()));
                what.append(" cut to ").append(cut.length()).append(" characters");
                return cut.getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    /** One field of one entry (or the entry, or the metadata) gets a value it must never have. */
    private static void badField(JsonObject json, Random rng, StringBuilder what) {
        JsonElement bad = BAD_VALUES.get(rng.nextInt(BAD_VALUES.size()));
        List<String> names = new ArrayList<>(json.keySet());
        if (names.isEmpty() || rng.nextInt(8) == 0) {
            String name = List.of("", "new", "__metadata__", "\u00e9\u0000").get(rng.nextInt(4));
            json.add(name, bad);
            what.append(" entry ").append(GSON.toJson(name)).append(" = ").append(bad);
            return;
        }
        String name = names.get(rng.nextInt(names.size()));
        JsonElement entry = json.get(name);
        if (!entry.isJsonObject() || rng.nextInt(6) == 0) {
            json.add(name, bad);
            what.append(' ').append(name).append(" = ").append(bad);
            return;
        }
        JsonObject o = entry.getAsJsonObject();
        List<String> fields = new ArrayList<>(o.keySet());
        String field = name.equals("__metadata__") ? fields.get(rng.nextInt(fields.size()))
                : List.of("dtype", "shape", "data_offsets").get(rng.nextInt(3));
        if (rng.nextInt(8) == 0) {
            o.remove(field);
            what.append(' ').append(name).append('.').append(field).append(" removed");
            return;
        }
        JsonElement value = bad;
        if (field.equals("data_offsets") && rng.nextBoolean()) {   // plausible but wrong offsets
            JsonArray offsets = o.getAsJsonArray("data_offsets");
            long begin = offsets.get(0).getAsLong(), end = offsets.get(1).getAsLong();
            long[][] choices = {{end, begin}, {begin, end + 4}, {begin + 4, end}, {begin - 4, end - 4},
                {begin, begin}, {0, end}, {begin, Long.MAX_VALUE}};
            long[] c = choices[rng.nextInt(choices.length)];
            value = GSON.toJsonTree(c);
        }
        o.add(field, value);
        what.append(' ').append(name).append('.').append(field).append(" = ").append(value);
    }

    /** A tensor's dtype or shape changed so that it disagrees with its offsets (or, reshaped, still agrees). */
    private static void mismatch(JsonObject json, Random rng, StringBuilder what) {
        List<String> names = new ArrayList<>(json.keySet());
        names.remove("__metadata__");
        if (names.isEmpty()) {
            json.add("ghost", JsonParser.parseString("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}"));
            what.append(" a tensor with no data");
            return;
        }
        String name = names.get(rng.nextInt(names.size()));
        JsonObject o = json.getAsJsonObject(name);
        switch (rng.nextInt(4)) {
            case 0 -> {
                String dtype = o.get("dtype").getAsString().equals("F32") ? "I64" : "F32";
                o.add("dtype", new JsonPrimitive(dtype));
                what.append(' ').append(name).append(" as ").append(dtype);
            }
            case 1 -> {   // one more or one fewer dimension of 2
                JsonArray shape = o.getAsJsonArray("shape");
                if (shape.isEmpty() || rng.nextBoolean()) {
                    shape.add(2);
                } else {
                    shape.remove(shape.size() - 1);
                }
                what.append(' ').append(name).append(" shape ").append(shape);
            }
            case 2 -> {   // one dimension off by one (or set to zero)
                JsonArray shape = o.getAsJsonArray("shape");
                if (shape.isEmpty()) {
                    shape.add(0);
                } else {
                    int i = rng.nextInt(shape.size());
                    long changed = shape.get(i).getAsLong() + (rng.nextBoolean() ? 1 : -1);
                    shape.set(i, new JsonPrimitive(Math.max(0, changed)));
                }
                what.append(' ').append(name).append(" shape ").append(shape);
            }
            default -> {   // the same number of elements in another shape: still a valid file
                JsonArray shape = o.getAsJsonArray("shape");
                long size = 1;
                for (JsonElement d : shape) {
                    size *= d.getAsLong();
                }
                JsonArray flat = new JsonArray();
                flat.add(size);
                if (rng.nextBoolean()) {
                    flat.add(1);
                }
                o.add("shape", flat);
                what.append(' ').append(name).append(" reshaped to ").append(flat);
            }
        }
    }

    /** A file of {@code header} (length-prefixed, sometimes padded with spaces as the writer does) and data. */
    private static byte[] pack(byte[] header, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int padded = (header.length + 7) / 8 * 8;
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        out.writeBytes(header);
        out.writeBytes(" ".repeat(padded - header.length).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        return out.toByteArray();
    }
}
