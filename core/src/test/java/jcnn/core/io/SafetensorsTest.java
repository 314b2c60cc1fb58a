package jcnn.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import jcnn.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The safetensors reader and writer: round trips, the byte layout, PyTorch's files, and malformed input. */
class SafetensorsTest {

    @TempDir
    Path dir;

    private static Safetensors sample() {
        Random rng = new Random(11);
        return new Safetensors()
                .put("conv.weight", Tensor.randn(rng, 4, 3, 3, 3))
                .put("big", Tensor.randn(rng, 200, 100))          // more than one read/write chunk
                .put("scalar", Tensor.scalar(-2.5f))
                .put("empty", Tensor.zeros(0, 4))
                .putLongs("labels", new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, 2, 2)
                .putInts("target", new int[] {3, 1, 4}, 3)
                .putMetadata("note", "quotes \" and <tags> & ünïcödé")
                .putMetadata("lr", "0.01");
    }

    @Test
    void roundTrip() throws IOException {
        Safetensors written = sample();
        Path file = dir.resolve("sample.safetensors");
        written.write(file);
        Safetensors read = Safetensors.read(file);

        assertEquals(written.names().size(), read.names().size());
        for (String name : written.names()) {
            assertEquals(written.dtype(name), read.dtype(name), name);
            assertArrayEquals(written.shape(name), read.shape(name), name);
            if (written.dtype(name) == Safetensors.DType.F32) {
                assertArrayEquals(written.tensor(name).data(), read.tensor(name).data(), name);
            } else {
                assertArrayEquals(written.longs(name), read.longs(name), name);
            }
        }
        assertEquals(written.metadata(), read.metadata());
        assertArrayEquals(new int[] {3, 1, 4}, read.ints("target"));
        assertEquals(0, read.tensor("scalar").rank());
        try (var left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList(), "the temporary file is moved away");
        }
    }

    @Test
    void layoutFollowsTheFormat() throws IOException {
        Path file = dir.resolve("layout.safetensors");
        sample().write(file);
        byte[] bytes = Files.readAllBytes(file);

        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header padded to a multiple of 8");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"lr\":\"0.01\",\"note\":\"quotes \\\" and <tags> & "),
                header);
        assertEquals(header.strip().length(), header.stripTrailing().length(), "only trailing spaces pad");
        assertTrue(header.length() - header.stripTrailing().length() < 8);

        // I64 before F32, then by name; offsets tile the data section from 0 to its end.
        JsonObject json = JsonParser.parseString(header).getAsJsonObject();
        List<String> names = new ArrayList<>(json.keySet());
        assertEquals(List.of("__metadata__", "labels", "target", "big", "conv.weight", "empty", "scalar"), names);
        long expectedBegin = 0;
        for (String name : names.subList(1, names.size())) {
            long begin = json.getAsJsonObject(name).getAsJsonArray("data_offsets").get(0).getAsLong();
            long end = json.getAsJsonObject(name).getAsJsonArray("data_offsets").get(1).getAsLong();
            assertEquals(expectedBegin, begin, name);
            expectedBegin = end;
        }
        assertEquals(bytes.length, 8 + n + expectedBegin);

        // The data are little-endian: the scalar -2.5f is the last 4 bytes.
        float last = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        assertEquals(-2.5f, last);
    }

    @Test
    void sameContentsGiveTheSameBytesWhateverTheInsertionOrder() throws IOException {
        Path a = dir.resolve("a.safetensors"), b = dir.resolve("b.safetensors");
        new Safetensors().put("x", Tensor.scalar(1f)).put("w", Tensor.zeros(2)).putMetadata("k", "v")
                .putMetadata("a", "b").write(a);
        new Safetensors().putMetadata("a", "b").put("w", Tensor.zeros(2)).putMetadata("k", "v")
                .put("x", Tensor.scalar(1f)).write(b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void rewritingPyTorchsFilesReproducesThemByteForByte() throws Exception {
        // Files with at most one metadata entry: PyTorch's writer orders metadata keys by a hash, we by name.
        for (String name : List.of("cross_entropy_0", "seed_model_testset_logits")) {
            Path original = Path.of(SafetensorsTest.class.getResource("/reference/" + name + ".safetensors").toURI());
            Safetensors st = Safetensors.read(original);
            Path copy = dir.resolve(name + ".safetensors");
            st.write(copy);
            assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copy), name);
        }
    }

    @Test
    void emptyTensorsWithLargeDimensionsRoundTrip() throws IOException {
        // Found by SafetensorsFuzzProperties: 70000*70000 overflows an array, but times 0 it is empty, and
        // PyTorch writes such shapes. The file was read; building its Tensor threw.
        Path file = dir.resolve("empty.safetensors");
        new Safetensors().put("e", Tensor.zeros(70000, 70000, 0)).write(file);
        Tensor e = Safetensors.read(file).tensor("e");
        assertArrayEquals(new int[] {70000, 70000, 0}, e.shape());
        assertEquals(0, e.size());
    }

    @Test
    void overwritesAnExistingFile() throws IOException {
        Path file = dir.resolve("over.safetensors");
        sample().write(file);
        new Safetensors().put("only", Tensor.scalar(1f)).write(file);
        assertEquals(List.of("only"), new ArrayList<>(Safetensors.read(file).names()));
    }

    @Test
    void intsRefusesValuesOutsideTheIntRange() throws IOException {
        Path file = dir.resolve("longs.safetensors");
        new Safetensors().putLongs("big", new long[] {1L << 40}, 1).write(file);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(file).ints("big"));
        assertTrue(e.getMessage().contains("longs.safetensors") && e.getMessage().contains("big"), e.getMessage());
    }

    @Test
    void misuseOfTheApiIsAnIllegalArgument() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> new Safetensors().put("__metadata__", Tensor.scalar(1f)));
        assertThrows(IllegalArgumentException.class,
                () -> new Safetensors().put("a", Tensor.scalar(1f)).put("a", Tensor.scalar(2f)));
        assertThrows(IllegalArgumentException.class, () -> new Safetensors().putLongs("a", new long[3], 2));
        Safetensors st = sample();
        assertThrows(IllegalArgumentException.class, () -> st.tensor("labels"));
        assertThrows(IllegalArgumentException.class, () -> st.longs("big"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> st.tensor("nope"));
        assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Malformed files: each gives a SafetensorsException naming the file and the field.

    private static final String A2 = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    /** name, header length (null: the real one), header, data bytes, the field the message must name. */
    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("shorter than the length", -5L, "", 0, "header length"),
                Arguments.of("header past the end", 1000L, "{}", 0, "header length"),
                Arguments.of("length above 2^63", -1L, "{}      ", 0, "header length"),
                Arguments.of("invalid JSON", null, "{not json", 0, "header"),
                Arguments.of("lenient JSON", null, "{'a':{}}", 0, "header"),
                Arguments.of("trailing content", null, "{} {}", 0, "header"),
                Arguments.of("not an object", null, "[1,2]", 0, "header"),
                Arguments.of("tensor not an object", null, "{\"a\":5}", 0, "a"),
                Arguments.of("duplicate name", null, "{" + A2 + "," + A2 + "}", 8, "a"),
                Arguments.of("unknown dtype", null,
                        "{\"a\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2, "a.dtype"),
                Arguments.of("missing offsets", null, "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4,
                        "a.data_offsets"),
                Arguments.of("offsets past the data", null, "{" + A2 + "}", 4, "a.data_offsets"),
                Arguments.of("offsets not matching the shape", null,
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "a.data_offsets"),
                Arguments.of("shape product overflowing a long", null,
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647,4],"
                                + "\"data_offsets\":[0,8]}}", 8, "a.data_offsets"),
                Arguments.of("dimension beyond an int", null,
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296],\"data_offsets\":[0,8]}}", 8, "a.shape"),
                Arguments.of("negative dimension", null,
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8, "a.shape"),
                Arguments.of("fractional offset", null,
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8.5]}}", 8, "a.data_offsets"),
                Arguments.of("overlap", null, "{" + A2
                        + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "b.data_offsets"),
                Arguments.of("gap", null, "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12, "b.data_offsets"),
                Arguments.of("bytes after the last tensor", null, "{" + A2 + "}", 12, "data_offsets"),
                Arguments.of("metadata not a string", null, "{\"__metadata__\":{\"k\":1}}", 0, "__metadata__.k"),
                Arguments.of("metadata not an object", null, "{\"__metadata__\":[]}", 0, "__metadata__"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedFilesAreRejectedWithFileAndField(String what, Long headerLength, String header, int dataBytes,
                                                   String field) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("bad.safetensors");
        if (headerLength != null && headerLength == -5L) {
            Files.write(file, new byte[5]);
        } else {
            long n = headerLength != null ? headerLength : json.length;
            ByteBuffer buf = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(n).put(json);
            Files.write(file, buf.array());
        }
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(file));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith(file + ": " + field + ": "), e.getMessage());
    }

    @Test
    void invalidUtf8InTheHeaderIsRejected() throws IOException {
        Path file = dir.resolve("utf8.safetensors");
        Files.write(file, new byte[] {2, 0, 0, 0, 0, 0, 0, 0, (byte) 0xC3, (byte) 0x28});
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(file));
        assertEquals("header", e.field());
    }

    @Test
    void everyReferenceFileIsValid() throws IOException, URISyntaxException {
        Path folder = Path.of(SafetensorsTest.class.getResource("/reference").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Safetensors st = Safetensors.read(file);
                assertFalse(st.names().isEmpty(), file.toString());
            }
        }
        Safetensors batch = Safetensors.read(folder.resolve("seed_model_batch.safetensors"));
        assertArrayEquals(new int[] {128, 1568}, batch.shape("param.fc1.weight"));
        assertEquals(Map.of("lr", "0.01", "weight_decay", "0.001"),
                Map.of("lr", batch.metadata().get("lr"), "weight_decay", batch.metadata().get("weight_decay")));
    }
}
