package jcnn.training.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Callable;
import jcnn.core.testing.FuzzHarness;
import jcnn.core.testing.PropertyCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * Fuzzes the IDX reader: at least 10,000 corrupted images and labels files per run, raw and gzip-compressed. Each
 * must either read, with a result that matches its header and the caller's requirements, or fail with a
 * {@link DataFileException} whose message starts with the file and names the field; anything else fails the
 * property: another exception, an error, more than {@link #TIME_LIMIT_MS} for one file, or an allocation out of
 * proportion to what the file can hold.
 *
 * <p>Mutations: truncation, bit flips, inserted and deleted bytes (of the file as stored, so of the compressed
 * stream for .gz), header fields (magic, count, rows, cols) set to zero, negative, huge or off-by-one values,
 * content truncated or extended inside a valid gzip stream, gzip framing (garbage or a second member after the
 * stream, a corrupt trailer, header flags), and requirements that disagree with the file (image size, number of
 * classes, pinned checksums). The last line of the run counts the outcomes.
 */
class IdxFuzzProperties {

    /** A read over this is reported as a hang; the fuzzed files are under 100 bytes. */
    private static final long TIME_LIMIT_MS = 2000;

    /** Heap one read may allocate: 16 bytes per byte the file can hold (x1032 for gzip) + 4 MiB. */
    private static final long ALLOC_PER_BYTE = 16;
    private static final long ALLOC_SLACK = 4L << 20;

    enum Mutation {
        TRUNCATE, FLIP_BITS, INSERT_BYTES, DELETE_BYTES, HEADER_FIELD, CONTENT_IN_GZIP, GZIP_FRAMING,
        WRONG_REQUIREMENT
    }

    enum Kind {
        IMAGES, IMAGES_GZ, LABELS, LABELS_GZ;

        boolean gzip() {
            return this == IMAGES_GZ || this == LABELS_GZ;
        }

        boolean images() {
            return this == IMAGES || this == IMAGES_GZ;
        }
    }

    private static final int COUNT = 3, ROWS = 4, COLS = 5, CLASSES = 10;
    private static final byte[] IMAGES = IdxFiles.images(COUNT, ROWS, COLS);
    private static final byte[] LABELS = IdxFiles.labelsCycling(12);

    private static final int[] EXTREMES = {0, 1, -1, 2, 255, 0x00FF_FFFF, 0x0100_0000, 0x7FFF_FFFF,
        Integer.MIN_VALUE, IdxReader.IMAGES_MAGIC, IdxReader.LABELS_MAGIC, 0x0000_0802, 0x0000_0C03};

    private static Path dir;
    private static FuzzHarness harness;

    /** What one try asks of the reader. */
    private record Request(int rows, int cols, int classes, Checksum checksum) {
    }

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("jcnn-idx-fuzz");
        harness = new FuzzHarness("idx", TIME_LIMIT_MS);
        for (Kind kind : Kind.values()) {   // warms up, so class loading is not counted as time or allocation
            byte[] content = kind.images() ? IMAGES : LABELS;
            check(kind, kind.gzip() ? IdxFiles.gzip(content) : content, new Request(-1, -1, CLASSES, null), "warm-up");
        }
        harness.startCounting();
    }

    @AfterAll
    static void summary() throws IOException {
        harness.close();
        for (Kind kind : Kind.values()) {
            Files.deleteIfExists(file(kind));
        }
        Files.deleteIfExists(dir);
        System.out.println(harness.summary());
    }

    /** One try: the mutation, the kind of file it is applied to, and the randomness that places it. */
    record Try(Mutation mutation, Kind kind, long random) {
    }

    @Test
    void corruptFilesReadConsistentlyOrFailNamingFileAndField() {
        Gen<Try> tries = Generate.enumValues(Mutation.class)
                .zip(Generate.enumValues(Kind.class), SourceDSL.longs().all(), Try::new);
        PropertyCheck.forAll(10_000, FuzzHarness.SHRINK_CYCLES, tries,
                t -> harness.attempt(() -> corruptFile(t.mutation(), t.kind(), t.random())));
    }

    private static void corruptFile(Mutation mutation, Kind kind, long random) throws Exception {
        Random rng = new Random(random);
        StringBuilder what = new StringBuilder(kind.toString()).append(": ").append(mutation);
        byte[] content = kind.images() ? IMAGES : LABELS;
        byte[] stored = kind.gzip() ? IdxFiles.gzip(content) : content;
        Request request = new Request(rng.nextBoolean() ? ROWS : -1, COLS, CLASSES, null);
        byte[] bytes = switch (mutation) {
            case TRUNCATE -> {
                int length = rng.nextInt(stored.length);
                what.append(" to ").append(length);
                yield Arrays.copyOf(stored, length);
            }
            case FLIP_BITS -> {
                byte[] m = stored.clone();
                for (int k = 1 + rng.nextInt(4); k > 0; k--) {
                    int at = rng.nextInt(m.length);
                    m[at] ^= (byte) (1 << rng.nextInt(8));
                    what.append(' ').append(at);
                }
                yield m;
            }
            case INSERT_BYTES -> {
                byte[] inserted = new byte[1 + rng.nextInt(16)];
                rng.nextBytes(inserted);
                int at = rng.nextInt(stored.length + 1);
                what.append(' ').append(inserted.length).append(" at ").append(at);
                yield FuzzHarness.splice(stored, at, 0, inserted);
            }
            case DELETE_BYTES -> {
                int at = rng.nextInt(stored.length), n = Math.min(stored.length - at, 1 + rng.nextInt(16));
                what.append(' ').append(n).append(" at ").append(at);
                yield FuzzHarness.splice(stored, at, n, new byte[0]);
            }
            case HEADER_FIELD -> {
                byte[] m = content.clone();
                int fields = kind.images() ? 4 : 2, field = rng.nextInt(fields);
                int value = rng.nextBoolean() ? EXTREMES[rng.nextInt(EXTREMES.length)]
                        : ByteBuffer.wrap(m).getInt(4 * field) + rng.nextInt(5) - 2;
                ByteBuffer.wrap(m).putInt(4 * field, value);
                what.append(" field ").append(field).append(" = ").append(value);
                yield kind.gzip() ? IdxFiles.gzip(m) : m;
            }
            case CONTENT_IN_GZIP -> {   // a valid gzip stream of content that is cut short or runs on
                byte[] m = rng.nextBoolean() ? Arrays.copyOf(content, rng.nextInt(content.length))
                        : IdxFiles.concat(content, new byte[1 + rng.nextInt(64)]);
                what.append(" content of ").append(m.length).append(" bytes");
                yield IdxFiles.gzip(m);
            }
            case GZIP_FRAMING -> gzipFraming(content, rng, what);
            case WRONG_REQUIREMENT -> {
                request = switch (rng.nextInt(3)) {
                    case 0 -> new Request(COLS, ROWS, CLASSES, null);
                    case 1 -> new Request(ROWS, COLS, 1 + rng.nextInt(CLASSES - 1), null);
                    // a .gz checksum on a raw file is only logged as uncheckable, so it is pinned on .gz files
                    default -> new Request(-1, -1, CLASSES, kind.gzip() && rng.nextBoolean()
                            ? Checksum.md5OfGzipFile(rng.nextBoolean() ? IdxFiles.md5(stored) : "0".repeat(32))
                            : Checksum.sha256OfContent(rng.nextBoolean() ? IdxFiles.sha256(content) : "0".repeat(64)));
                };
                what.append(' ').append(request);
                yield stored;
            }
        };
        check(kind, bytes, request, what.toString());
    }

    /** A valid gzip stream of {@code content}, then something a gzip reader must notice or ignore correctly. */
    private static byte[] gzipFraming(byte[] content, Random rng, StringBuilder what) throws IOException {
        byte[] gz = IdxFiles.gzip(content);
        switch (rng.nextInt(6)) {
            case 0 -> {
                byte[] garbage = new byte[1 + rng.nextInt(16)];
                rng.nextBytes(garbage);
                what.append(" followed by ").append(garbage.length).append(" random bytes");
                return IdxFiles.concat(gz, garbage);
            }
            case 1 -> {
                what.append(" followed by a second member");
                return IdxFiles.concat(gz, IdxFiles.gzip(rng.nextBoolean() ? new byte[0] : content));
            }
            case 2 -> {   // the trailer: CRC-32 then ISIZE
                int at = gz.length - 1 - rng.nextInt(8);
                gz[at] ^= (byte) (1 << rng.nextInt(8));
                what.append(" trailer byte ").append(at).append(" flipped");
                return gz;
            }
            case 3 -> {   // FLG: FTEXT, FHCRC, FEXTRA, FNAME, FCOMMENT and reserved bits
                gz[3] = (byte) rng.nextInt(256);
                what.append(" flags ").append(gz[3] & 0xFF);
                return gz;
            }
            case 4 -> {   // FEXTRA with a length beyond the file
                gz[3] = 4;
                byte[] extra = {(byte) 0xFF, (byte) 0xFF, 1, 2};
                what.append(" FEXTRA of 65535 bytes");
                return FuzzHarness.splice(gz, 10, 0, extra);
            }
            default -> {
                what.append(" only the gzip header");
                return Arrays.copyOf(gz, 10);
            }
        }
    }

    private static Path file(Kind kind) {
        return dir.resolve(kind.images() ? "fuzz-images" + (kind.gzip() ? ".gz" : "")
                : "fuzz-labels" + (kind.gzip() ? ".gz" : ""));
    }

    /** Reads {@code bytes} on the worker thread, then checks and counts the outcome. */
    private static void check(Kind kind, byte[] bytes, Request request, String what) throws Exception {
        Path file = file(kind);
        Files.write(file, bytes);
        Callable<Object> read = kind.images()
                ? () -> request.rows() < 0 ? IdxReader.readImages(file, request.checksum())
                        : IdxReader.readImages(file, request.rows(), request.cols(), request.checksum())
                : () -> IdxReader.readLabels(file, request.classes(), request.checksum());
        Object outcome = harness.read(read, bytes.length,
                ALLOC_SLACK + ALLOC_PER_BYTE * bytes.length * (kind.gzip() ? 1032 : 1), what);
        String name = file.getFileName().toString();
        if (outcome instanceof DataFileException e) {
            if (e.field() == null || !e.getMessage().startsWith(name + ": ") || !e.getMessage().contains(e.field())) {
                throw new AssertionError(what + ": message does not name the file and the field (" + e.field()
                        + "): " + e.getMessage(), e);
            }
            String field = e.field().startsWith("label[") ? "label"
                    : e.field().contains(" of the ") ? "checksum" : e.field();   // "SHA-256 of the ..."
            harness.rejected(field);
        } else if (outcome instanceof Throwable t) {
            throw new AssertionError(what + ": " + t, t);
        } else {
            consistent(outcome, request, what);
            harness.parsed();
        }
    }

    /** Sizes agree with each other and with what was required; labels are in range. */
    private static void consistent(Object outcome, Request request, String what) {
        if (outcome instanceof IdxReader.Images images) {
            boolean ok = images.count() >= 0 && images.rows() >= 0 && images.cols() >= 0
                    && (long) images.count() * images.rows() * images.cols() == images.pixels().length
                    && (request.rows() < 0 || images.rows() == request.rows() && images.cols() == request.cols());
            if (!ok) {
                throw new AssertionError(what + ": inconsistent images " + images.count() + "x" + images.rows()
                        + "x" + images.cols() + " with " + images.pixels().length + " pixels");
            }
        } else {
            for (byte label : (byte[]) outcome) {
                if ((label & 0xFF) >= request.classes()) {
                    throw new AssertionError(what + ": label " + (label & 0xFF) + " of " + request.classes()
                            + " classes");
                }
            }
        }
    }
}
