package jcnn.training.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.function.LongUnaryOperator;

import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads IDX files, the format of MNIST, Fashion-MNIST and KMNIST, gzip-compressed or not, and refuses anything that
 * does not match its own header exactly.
 *
 * <p>Goals: one buffered bulk read per file (the 60,000 training images load in a fraction of a second); every
 * allocation bounded both by what the file can physically hold and by {@link #MAX_DATA_BYTES}, so a corrupt header
 * fails fast instead of exhausting memory; an error that names the file, the field and what was expected; an
 * optional pinned checksum verified on the very bytes that are returned. Compression is recognised by the gzip
 * magic bytes, never by the file name. Non-goals: IDX element types other than unsigned byte, tensors of other rank
 * than images (3) and labels (1), and streaming: these files fit in memory.
 */
public final class IdxReader {

    /** IDX magic: two zero bytes, type 0x08 (unsigned byte), then the number of dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;

    /**
     * Largest data section accepted: 1 GiB, twice the biggest MNIST-family file (EMNIST byclass, ~550 MB) and well
     * below Java's array limit, so no header can make us try an allocation the JVM refuses.
     */
    public static final long MAX_DATA_BYTES = 1L << 30;

    /** Deflate expands by at most ~1032:1; a gzip file whose header claims more data than that is corrupt. */
    private static final long MAX_DEFLATE_RATIO = 1032;

    /**
     * The most bytes read from the file but not yet decoded: the 64 KiB buffer below the decoder plus the decoder's
     * own input buffer (8 KiB in commons-compress), with margin. The "cannot fit" check counts them as unread.
     */
    private static final long READ_AHEAD = 1 << 17;

    private static final System.Logger LOG = System.getLogger(IdxReader.class.getName());

    /** Images as stored: {@code pixels} is (count, rows, cols) row-major, unsigned bytes 0..255. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
    }

    private IdxReader() {
    }

    /**
     * Reads an images file whose images must be {@code rows} x {@code cols}, checked against {@code expected}
     * when that is not null.
     */
    public static Images readImages(Path file, int rows, int cols, Checksum expected) throws IOException {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("required image size must be positive: " + rows + "x" + cols);
        }
        Raw raw = read(file, IMAGES_MAGIC, "images", new int[] {-1, rows, cols}, expected);
        return new Images(raw.dims[0], raw.dims[1], raw.dims[2], raw.data);
    }

    /** Reads an images file of any image size. */
    public static Images readImages(Path file, Checksum expected) throws IOException {
        Raw raw = read(file, IMAGES_MAGIC, "images", new int[] {-1, -1, -1}, expected);
        return new Images(raw.dims[0], raw.dims[1], raw.dims[2], raw.data);
    }

    /**
     * Reads a labels file; every label must lie in {@code 0..classes-1}. Returns the labels as unsigned bytes.
     */
    public static byte[] readLabels(Path file, int classes, Checksum expected) throws IOException {
        byte[] labels = read(file, LABELS_MAGIC, "labels", new int[] {-1}, expected).data;
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xFF;
            if (label >= classes) {
                throw DataFileException.field(nameOf(file), "label[" + i + "]", label, "0.." + (classes - 1));
            }
        }
        return labels;
    }

    /** True when the file starts with the gzip magic bytes 1f 8b. */
    public static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private record Raw(int[] dims, byte[] data) {
    }

    /** {@code required} has one entry per dimension: the size it must have, or -1 for any. */
    private static Raw read(Path file, int magic, String kind, int[] required, Checksum expected)
            throws IOException {
        String name = nameOf(file);
        long fileSize = Files.size(file);
        // A .gz checksum covers the bytes as stored, so its digest sits directly on the file, below the buffer:
        // the gzip decoder marks and resets the buffer to push back bytes, which a digest above it would count
        // twice.
        boolean gzipChecksum = expected != null && expected.covers() == Checksum.Covers.GZIP_FILE;
        MessageDigest storedDigest = gzipChecksum ? expected.newDigest() : null;
        CountingInputStream counted = new CountingInputStream(Files.newInputStream(file));
        InputStream source = counted;
        if (storedDigest != null) {
            source = new DigestInputStream(source, storedDigest);
        }
        try (InputStream buffered = new BufferedInputStream(source, 1 << 16)) {
            buffered.mark(2);
            boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
            buffered.reset();
            if (gzipChecksum && !gzip) {
                storedDigest = null;
                LOG.log(Level.WARNING, "{0}: stored uncompressed, so its pinned {1} cannot be checked; "
                        + "only its format is validated", name, expected.describe());
            }
            try {
                // Concatenated decoding reads to the true end of the file, so bytes after the gzip member are
                // rejected ("Garbage after a valid .gz stream") instead of silently ignored.
                InputStream in = gzip ? gunzip(buffered) : buffered;
                Raw raw = readIdx(in, name, magic, kind, required, gzip, fileSize, counted, expected);
                if (storedDigest != null) {
                    buffered.transferTo(OutputStream.nullOutputStream());
                    expected.check(name, storedDigest.digest());
                }
                return raw;
            } catch (DataFileException e) {
                throw e;
            } catch (EOFException e) {
                // The decoder's EOFException has no message ("corrupt gzip data: null" said nothing useful).
                throw new DataFileException(name + ": truncated " + (gzip ? "gzip data: the file ends before its"
                        + " compressed stream does" : "file") + " (" + fileSize + " bytes); download or copy it"
                        + " again", gzip ? "gzip data" : "read", e);
            } catch (IOException e) {
                // The decompressor's own messages ("Input is not in the .gz format", CRC or size mismatch, EOF)
                // do not say which file; add it.
                String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
                throw new DataFileException(name + ": " + (gzip ? "corrupt gzip data: " : "read failed: ")
                        + why, gzip ? "gzip data" : "read", e);
            }
        }
    }

    private static Raw readIdx(InputStream in, String name, int magic, String kind, int[] required, boolean gzip,
                               long fileSize, CountingInputStream counted, Checksum expected) throws IOException {
        int rank = required.length;
        int headerLength = 4 * (1 + rank);
        byte[] header = new byte[headerLength];
        int got = in.readNBytes(header, 0, 4);
        if (got < 4) {
            throw DataFileException.field(name, "length", got + " bytes", "at least " + headerLength
                    + " (IDX header)");
        }
        ByteBuffer h = ByteBuffer.wrap(header); // big-endian, as IDX is
        int actualMagic = h.getInt(0);
        if (actualMagic != magic) {
            throw DataFileException.field(name, "magic", hex(actualMagic), hex(magic) + " (" + kind + ")");
        }
        got += in.readNBytes(header, 4, headerLength - 4);
        if (got < headerLength) {
            throw DataFileException.field(name, "header length", got + " bytes", headerLength + " bytes");
        }

        int[] dims = new int[rank];
        long length = 1;
        for (int d = 0; d < rank; d++) {
            dims[d] = h.getInt(4 + 4 * d);
            if (dims[d] < 0) {
                throw DataFileException.field(name, dimName(d), dims[d], "a non-negative size");
            }
            // Checked before any data is read: a wrong image size is the clearest message for a wrong file.
            if (required[d] >= 0 && dims[d] != required[d]) {
                throw DataFileException.field(name, dimName(d), dims[d], required[d]);
            }
            // Saturate rather than wrap: three factors below 2^31 can overflow a long.
            length = length > Long.MAX_VALUE / Math.max(1, dims[d]) ? Long.MAX_VALUE : length * dims[d];
        }
        String shape = shape(rank, dims, length);
        if (length > MAX_DATA_BYTES) {
            throw DataFileException.field(name, "data size", shape, "at most " + MAX_DATA_BYTES + " bytes");
        }
        // Refuse before allocating: an uncompressed file must hold exactly the data the header describes; a
        // gzip file cannot expand beyond deflate's maximum ratio.
        if (!gzip && length != fileSize - headerLength) {
            throw DataFileException.field(name, "data size", (fileSize - headerLength) + " bytes",
                    shape + (length > fileSize - headerLength ? " (truncated file)" : " (trailing bytes)"));
        }
        if (gzip && length > fileSize * MAX_DEFLATE_RATIO) {
            throw DataFileException.field(name, "data size", shape,
                    "at most " + fileSize * MAX_DEFLATE_RATIO + " bytes from a " + fileSize + "-byte gzip file");
        }

        // What is left of the file bounds what it can still decompress to: checked as the data arrives, so a small
        // gzip file whose header claims far more is refused after a few hundred kB, not after a gigabyte.
        long claimed = length;
        LongUnaryOperator mostStillPossible = filled -> !gzip ? claimed
                : filled + Math.max(0, fileSize - counted.count() + READ_AHEAD) * MAX_DEFLATE_RATIO;
        byte[] data = readExactly(in, name, (int) length, gzip ? fileSize : length, shape, dims[0],
                mostStillPossible);
        if (in.read() >= 0) {
            throw DataFileException.field(name, "data size", "more than " + length + " bytes",
                    shape + " (trailing bytes)");
        }
        if (expected != null && expected.covers() == Checksum.Covers.CONTENT) {
            MessageDigest digest = expected.newDigest();
            digest.update(header);
            digest.update(data);
            expected.check(name, digest.digest());
        }
        return new Raw(dims, data);
    }

    /**
     * Reads exactly {@code length} bytes in large reads. The buffer starts at a size the file can plausibly fill
     * ({@code sizeHint}) and doubles only as real data arrives, so a lying header costs at most what the file
     * actually contains; {@code mostPossible} (bytes filled so far -> the most the whole file can give) refuses a
     * count that the rest of the file cannot hold, and every growth is checked against the heap first.
     */
    private static byte[] readExactly(InputStream in, String name, int length, long sizeHint, String shape,
                                      int count, LongUnaryOperator mostPossible) throws IOException {
        // Real IDX files compress between 1.5x and 6x; 8x the compressed size is one allocation for all of them.
        int capacity = (int) Math.min(length, Math.max(1 << 16, 8 * sizeHint));
        MemoryBudget.require(capacity, name + " (" + shape + ")", MemoryBudget.MORE_HEAP);
        byte[] data = new byte[capacity];
        int filled = 0;
        while (filled < length) {
            long most = mostPossible.applyAsLong(filled);
            if (most < length) {
                throw DataFileException.field(name, "count", count, "at most what the file can hold: " + shape
                        + " cannot come out of it, since " + filled + " bytes have been decompressed and the rest"
                        + " of the file gives at most " + (most - filled) + " more (deflate's limit of "
                        + MAX_DEFLATE_RATIO + ":1)");
            }
            if (filled == data.length) {
                int grown = (int) Math.min(length, 2L * data.length);
                // The copy holds the old and the new array at once.
                MemoryBudget.require((long) grown + data.length, name + " (" + shape + ")",
                        MemoryBudget.MORE_HEAP);
                data = Arrays.copyOf(data, grown);
            }
            // At most a chunk per read: the decoder fills whatever it is given, and the check above should run
            // every 64 KiB rather than once per buffer.
            int n = in.read(data, filled, Math.min(data.length - filled, 1 << 16));
            if (n < 0) {
                throw DataFileException.field(name, "data size", filled + " bytes", shape + " (truncated file)");
            }
            filled += n;
        }
        return data;
    }

    /**
     * Counts the bytes read from the file, below every buffer. The gzip decoder and the buffer above it read ahead,
     * so what has been decoded may lag behind this count by up to {@link #READ_AHEAD} bytes.
     */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }

    private static String dimName(int d) {
        return d == 0 ? "count" : d == 1 ? "rows" : "cols";
    }

    /** For messages: "7840000 bytes = 10000*28*28 (count*rows*cols)". */
    private static String shape(int rank, int[] dims, long length) {
        StringBuilder product = new StringBuilder();
        StringBuilder names = new StringBuilder();
        for (int d = 0; d < rank; d++) {
            product.append(d == 0 ? "" : "*").append(dims[d]);
            names.append(d == 0 ? "" : "*").append(dimName(d));
        }
        String bytes = length == Long.MAX_VALUE ? "more than 2^63 bytes" : length + " bytes";
        return bytes + " = " + product + " (" + names + ")";
    }

    private static String hex(int value) {
        return String.format("0x%08x", value);
    }

    /** All gzip members to the end of the stream; anything after a member that is not gzip is an error. */
    static InputStream gunzip(InputStream in) throws IOException {
        return GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
    }

    static String nameOf(Path file) {
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
    }
}
