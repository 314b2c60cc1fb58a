package jcnn.core.io;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import jcnn.core.Tensor;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format, so weights
 * move between this engine and PyTorch, and PyTorch's reference outputs can be loaded in tests.
 *
 * <h2>Format</h2>
 * <pre>
 * 8 bytes   N, unsigned little-endian: the length of the header
 * N bytes   UTF-8 JSON: {"__metadata__": {"key": "value", ...},
 *                        "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...}
 * rest      the data section: each tensor's values, little-endian, row-major, at [begin, end) relative to the
 *           start of the data section; the tensors cover the section exactly, without gaps or overlaps
 * </pre>
 *
 * <p>Reading validates everything before it allocates: the header length against the file size, the JSON
 * strictly, each dtype, shape and offset, and that the offsets tile the data section. Every allocation is
 * therefore bounded by the real size of the file, and a malformed file raises a {@link SafetensorsException}
 * naming the file and the field rather than an out-of-memory or index error.
 *
 * <p>Writing follows the official implementation, so that PyTorch's {@code safetensors.torch.load_file} reads
 * the result: the header is padded with spaces to a multiple of 8 bytes (which keeps the data 8-byte aligned),
 * tensors are laid out by decreasing dtype size and then by name, and metadata keys are sorted, so the same
 * contents always give the same bytes.
 *
 * <p>Non-goals: dtypes other than F32 and I64 (reading a file that has any other fails with a clear message),
 * memory mapping, files over 2 GiB per tensor, streaming.
 */
public final class Safetensors {

    /** The dtypes this implementation reads and writes. */
    public enum DType {
        F32(4), I64(8);

        /** Bytes per element. */
        public final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }
    }

    /** The official implementation refuses headers over 100 MB; so do we, before allocating one. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA = "__metadata__";

    /** Element counts saturate here while a header is validated: times 8 bytes it still fits a long. */
    private static final long MAX_COUNT = Long.MAX_VALUE / 16;

    /** One stored tensor: exactly one of {@code f32} and {@code i64} is set. */
    private record Entry(DType dtype, int[] shape, float[] f32, long[] i64) {
    }

    private final Path source;
    private final Map<String, Entry> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new TreeMap<>();

    /** An empty collection, to fill with {@code put...} and {@link #write}. */
    public Safetensors() {
        this(null);
    }

    private Safetensors(Path source) {
        this.source = source;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Building

    /** Adds a float32 tensor; its values are copied now. */
    public Safetensors put(String name, Tensor tensor) {
        return add(name, new Entry(DType.F32, tensor.shape(), tensor.data().clone(), null));
    }

    /** Adds an int64 tensor of the given shape; the values are copied now. */
    public Safetensors putLongs(String name, long[] values, int... shape) {
        checkSize(name, values.length, shape);
        return add(name, new Entry(DType.I64, shape.clone(), null, values.clone()));
    }

    /** Adds int values stored as int64, as PyTorch stores class labels. */
    public Safetensors putInts(String name, int[] values, int... shape) {
        long[] longs = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            longs[i] = values[i];
        }
        checkSize(name, values.length, shape);
        return add(name, new Entry(DType.I64, shape.clone(), null, longs));
    }

    /** Adds a metadata entry; safetensors metadata values are strings. */
    public Safetensors putMetadata(String key, String value) {
        metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    private Safetensors add(String name, Entry entry) {
        Objects.requireNonNull(name, "name");
        if (name.equals(METADATA)) {
            throw new IllegalArgumentException("safetensors: " + METADATA + " is reserved and cannot name a tensor");
        }
        if (tensors.putIfAbsent(name, entry) != null) {
            throw new IllegalArgumentException("safetensors: a tensor named '" + name + "' was already added");
        }
        return this;
    }

    private static void checkSize(String name, int length, int[] shape) {
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("safetensors: negative dimension in the shape of '" + name + "'");
            }
            size *= d;
        }
        if (size != length) {
            throw new IllegalArgumentException("safetensors: '" + name + "' has " + length + " values for "
                    + size + " elements of its shape");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Querying

    /** The tensor names, in the order of the file (or of insertion). */
    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** The metadata, with keys in sorted order; unmodifiable. */
    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    public DType dtype(String name) {
        return entry(name).dtype();
    }

    /** A copy of the shape of a tensor. */
    public int[] shape(String name) {
        return entry(name).shape().clone();
    }

    /** A float32 tensor, as a new {@link Tensor} with its own copy of the values. */
    public Tensor tensor(String name) {
        Entry e = entry(name);
        if (e.dtype() != DType.F32) {
            throw new IllegalArgumentException("safetensors: '" + name + "' in " + where() + " is " + e.dtype()
                    + "; use longs() or ints()");
        }
        return Tensor.of(e.f32().clone(), e.shape());
    }

    /** An int64 tensor's values, row-major, as a copy. */
    public long[] longs(String name) {
        Entry e = entry(name);
        if (e.dtype() != DType.I64) {
            throw new IllegalArgumentException("safetensors: '" + name + "' in " + where() + " is " + e.dtype()
                    + ", not I64");
        }
        return e.i64().clone();
    }

    /**
     * An int64 tensor's values as ints (labels, indices).
     *
     * @throws SafetensorsException when a value does not fit an int
     */
    public int[] ints(String name) throws SafetensorsException {
        long[] longs = longs(name);
        int[] ints = new int[longs.length];
        for (int i = 0; i < longs.length; i++) {
            if (longs[i] != (int) longs[i]) {
                throw new SafetensorsException(source, name, "value " + longs[i] + " at index " + i
                        + " does not fit a 32-bit int");
            }
            ints[i] = (int) longs[i];
        }
        return ints;
    }

    private Entry entry(String name) {
        Entry e = tensors.get(name);
        if (e == null) {
            throw new IllegalArgumentException("safetensors: no tensor '" + name + "' in " + where()
                    + "; it has " + tensors.keySet());
        }
        return e;
    }

    private String where() {
        return source != null ? source.toString() : "this collection";
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reading

    /** One header entry, validated, before its data is read. */
    private record Slot(String name, DType dtype, int[] shape, int count, long begin, long end) {
    }

    /**
     * Reads a whole safetensors file.
     *
     * @throws SafetensorsException when the file does not follow the format or uses a dtype other than F32/I64
     * @throws IOException          when the file cannot be read
     */
    public static Safetensors read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new SafetensorsException(file, "file", "it is a directory, not a safetensors file");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < 8) {
                throw new SafetensorsException(file, "header length", "the file has " + fileSize
                        + " bytes, fewer than the 8 of the header length");
            }
            long n = readBytes(ch, 0, 8).getLong();   // unsigned: a negative value is above 2^63
            if (n < 0 || n > fileSize - 8) {
                throw new SafetensorsException(file, "header length", "the header claims "
                        + Long.toUnsignedString(n) + " bytes but only " + (fileSize - 8) + " follow");
            }
            if (n > MAX_HEADER_BYTES) {
                throw new SafetensorsException(file, "header length", n + " bytes is over the limit of "
                        + MAX_HEADER_BYTES);
            }
            String json = decodeUtf8(file, readBytes(ch, 8, (int) n));
            long dataStart = 8 + n, dataSize = fileSize - dataStart;

            Safetensors st = new Safetensors(file);
            List<Slot> slots = parseHeader(file, json, st.metadata, dataSize);
            checkTiling(file, slots, dataSize);
            for (Slot s : slots) {   // in file order of the header
                st.tensors.put(s.name(), s.dtype() == DType.F32
                        ? new Entry(DType.F32, s.shape(), readFloats(ch, dataStart + s.begin(), s.count()), null)
                        : new Entry(DType.I64, s.shape(), null, readLongs(ch, dataStart + s.begin(), s.count())));
            }
            return st;
        }
    }

    private static String decodeUtf8(Path file, ByteBuffer bytes) throws SafetensorsException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsException(file, "header", "not valid UTF-8");
        }
    }

    /**
     * Parses the JSON header strictly (no comments, no single quotes, no trailing garbage, no duplicate keys)
     * into the metadata map and one validated slot per tensor.
     */
    private static List<Slot> parseHeader(Path file, String json, Map<String, String> metadata, long dataSize)
            throws SafetensorsException {
        List<Slot> slots = new ArrayList<>();
        Map<String, JsonElement> entries = new LinkedHashMap<>();
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(Strictness.STRICT);
            if (reader.peek() != JsonToken.BEGIN_OBJECT) {
                throw new SafetensorsException(file, "header", "expected a JSON object but found " + reader.peek());
            }
            reader.beginObject();
            while (reader.hasNext()) {
                String name = reader.nextName();
                JsonElement value = JsonParser.parseReader(reader);
                if (entries.put(name, value) != null) {
                    throw new SafetensorsException(file, name, "appears twice in the header");
                }
            }
            reader.endObject();
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new SafetensorsException(file, "header", "unexpected content after the JSON object");
            }
        } catch (IOException | JsonParseException | IllegalStateException e) {
            if (e instanceof SafetensorsException se) {
                throw se;
            }
            throw new SafetensorsException(file, "header", "invalid JSON: " + e.getMessage());
        }

        for (Map.Entry<String, JsonElement> e : entries.entrySet()) {
            String name = e.getKey();
            if (name.equals(METADATA)) {
                parseMetadata(file, e.getValue(), metadata);
            } else {
                slots.add(parseSlot(file, name, e.getValue(), dataSize));
            }
        }
        return slots;
    }

    private static void parseMetadata(Path file, JsonElement value, Map<String, String> metadata)
            throws SafetensorsException {
        if (!value.isJsonObject()) {
            throw new SafetensorsException(file, METADATA, "must be an object of strings, not " + value);
        }
        for (Map.Entry<String, JsonElement> m : value.getAsJsonObject().entrySet()) {
            JsonElement v = m.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                throw new SafetensorsException(file, METADATA + "." + m.getKey(), "must be a string, not " + v);
            }
            metadata.put(m.getKey(), v.getAsString());
        }
    }

    private static Slot parseSlot(Path file, String name, JsonElement value, long dataSize)
            throws SafetensorsException {
        if (!value.isJsonObject()) {
            throw new SafetensorsException(file, name, "must be an object with dtype, shape and data_offsets");
        }
        JsonObject o = value.getAsJsonObject();

        JsonElement dtypeJson = o.get("dtype");
        if (dtypeJson == null || !dtypeJson.isJsonPrimitive() || !dtypeJson.getAsJsonPrimitive().isString()) {
            throw new SafetensorsException(file, name + ".dtype", "missing or not a string: " + dtypeJson);
        }
        DType dtype;
        try {
            dtype = DType.valueOf(dtypeJson.getAsString());
        } catch (IllegalArgumentException ex) {
            throw new SafetensorsException(file, name + ".dtype", "'" + dtypeJson.getAsString()
                    + "' is not supported; this reader knows F32 and I64");
        }

        long[] dims = integers(file, name + ".shape", o.get("shape"), -1);
        int[] shape = new int[dims.length];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] > Integer.MAX_VALUE) {
                throw new SafetensorsException(file, name + ".shape", "dimension " + dims[i] + " is too large");
            }
            shape[i] = (int) dims[i];
            // Saturating at a bound no file reaches: the size check below rejects it, and nothing overflows.
            count = dims[i] == 0 ? 0 : count > MAX_COUNT / dims[i] ? MAX_COUNT : count * dims[i];
        }

        long[] offsets = integers(file, name + ".data_offsets", o.get("data_offsets"), 2);
        long begin = offsets[0], end = offsets[1];
        if (begin > end || end > dataSize) {
            throw new SafetensorsException(file, name + ".data_offsets", "[" + begin + ", " + end
                    + "] is not a range inside the data section of " + dataSize + " bytes");
        }
        if (end - begin != count * dtype.bytes) {
            throw new SafetensorsException(file, name + ".data_offsets", "[" + begin + ", " + end + "] holds "
                    + (end - begin) + " bytes but " + dtype + " shape " + Tensor.shapeString(shape) + " needs "
                    + count * dtype.bytes);
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new SafetensorsException(file, name + ".shape", Tensor.shapeString(shape)
                    + " has too many elements for one Java array");
        }
        return new Slot(name, dtype, shape, (int) count, begin, end);
    }

    /** A JSON array of non-negative integers (of exactly {@code length} elements unless it is -1). */
    private static long[] integers(Path file, String field, JsonElement value, int length)
            throws SafetensorsException {
        if (value == null || !value.isJsonArray()) {
            throw new SafetensorsException(file, field, "missing or not an array: " + value);
        }
        JsonArray a = value.getAsJsonArray();
        if (length >= 0 && a.size() != length) {
            throw new SafetensorsException(file, field, "expected " + length + " numbers but found " + a);
        }
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement e = a.get(i);
            try {
                if (!(e instanceof JsonPrimitive p) || !p.isNumber()) {
                    throw new NumberFormatException();
                }
                out[i] = Long.parseLong(p.getAsString());   // rejects 1.5 and 1e3, which getAsLong would round
            } catch (NumberFormatException ex) {
                throw new SafetensorsException(file, field, "element " + i + " is not an integer: " + e);
            }
            if (out[i] < 0) {
                throw new SafetensorsException(file, field, "element " + i + " is negative: " + out[i]);
            }
        }
        return out;
    }

    /** The tensors must cover the data section exactly: sorted by offset, each starts where the last ended. */
    private static void checkTiling(Path file, List<Slot> slots, long dataSize) throws SafetensorsException {
        List<Slot> sorted = new ArrayList<>(slots);
        sorted.sort(Comparator.comparingLong(Slot::begin).thenComparingLong(Slot::end));
        long expected = 0;
        String previous = "the start of the data section";
        for (Slot s : sorted) {
            if (s.begin() != expected) {
                throw new SafetensorsException(file, s.name() + ".data_offsets", "starts at " + s.begin()
                        + " but " + previous + " ends at " + expected
                        + (s.begin() < expected ? " (overlap)" : " (gap)"));
            }
            expected = s.end();
            previous = "'" + s.name() + "'";
        }
        if (expected != dataSize) {
            throw new SafetensorsException(file, "data_offsets", "the tensors cover " + expected + " bytes of a data"
                    + " section of " + dataSize + " bytes");
        }
    }

    /** Reads exactly {@code length} bytes at {@code position}, little-endian. */
    private static ByteBuffer readBytes(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buf.position()));
            }
        }
        return buf.flip();
    }

    /** Values are read in chunks, so a large tensor needs no second full-size byte buffer. */
    private static final int CHUNK_BYTES = 1 << 16;

    private static float[] readFloats(FileChannel ch, long position, int count) throws IOException {
        float[] out = new float[count];
        for (int done = 0; done < count; ) {
            int n = Math.min(count - done, CHUNK_BYTES / 4);
            readBytes(ch, position + 4L * done, 4 * n).asFloatBuffer().get(out, done, n);
            done += n;
        }
        return out;
    }

    private static long[] readLongs(FileChannel ch, long position, int count) throws IOException {
        long[] out = new long[count];
        for (int done = 0; done < count; ) {
            int n = Math.min(count - done, CHUNK_BYTES / 8);
            readBytes(ch, position + 8L * done, 8 * n).asLongBuffer().get(out, done, n);
            done += n;
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Writing

    /**
     * Writes every tensor and the metadata to {@code file}, replacing it atomically ({@link AtomicFiles}: a
     * temporary file beside it, forced to disk, renamed over it): a process killed mid-write never leaves a
     * truncated file under the final name, and after a power cut the name points at either the old bytes or the
     * new ones.
     */
    public void write(Path file) throws IOException {
        // Larger dtypes first, then by name: the official layout, which keeps each I64 tensor 8-byte aligned.
        List<String> order = new ArrayList<>(tensors.keySet());
        order.sort(Comparator.comparingInt((String name) -> -tensors.get(name).dtype().bytes)
                .thenComparing(Comparator.naturalOrder()));

        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add(METADATA, meta);
        }
        long offset = 0;
        for (String name : order) {
            Entry e = tensors.get(name);
            long bytes = (long) count(e) * e.dtype().bytes;
            JsonObject info = new JsonObject();
            info.addProperty("dtype", e.dtype().name());
            JsonArray shape = new JsonArray();
            for (int d : e.shape()) {
                shape.add(d);
            }
            info.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(offset + bytes);
            info.add("data_offsets", offsets);
            header.add(name, info);
            offset += bytes;
        }
        byte[] json = new GsonBuilder().disableHtmlEscaping().create().toJson(header)
                .getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;

        AtomicFiles.replace(file, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
                head.putLong(padded).put(json);
                while (head.hasRemaining()) {
                    head.put((byte) ' ');
                }
                writeFully(ch, head.flip());
                for (String name : order) {
                    writeData(ch, tensors.get(name));
                }
            }
        });
    }

    private static int count(Entry e) {
        return e.dtype() == DType.F32 ? e.f32().length : e.i64().length;
    }

    private static void writeData(FileChannel ch, Entry e) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        int count = count(e), perChunk = CHUNK_BYTES / e.dtype().bytes;
        for (int done = 0; done < count; done += perChunk) {
            int n = Math.min(count - done, perChunk);
            buf.clear();
            if (e.dtype() == DType.F32) {
                buf.asFloatBuffer().put(e.f32(), done, n);
            } else {
                buf.asLongBuffer().put(e.i64(), done, n);
            }
            buf.limit(n * e.dtype().bytes);
            writeFully(ch, buf);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

}
