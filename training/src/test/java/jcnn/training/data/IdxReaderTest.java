package jcnn.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IDX reader on the real bundled files and on every way a file can be broken. The expected values for the
 * real files (labels, pixel sums, a pixel row) were read independently with Python's gzip module.
 */
class IdxReaderTest {

    private static final Path FASHION = IdxFiles.bundledFashionMnist();

    @TempDir
    Path dir;

    @Test
    void readsTheBundledTestSet() throws Exception {
        IdxReader.Images images = IdxReader.readImages(FASHION.resolve("t10k-images-idx3-ubyte.gz"), 28, 28,
                DatasetSpec.FASHION_MNIST.checksum("t10k-images-idx3-ubyte.gz").orElseThrow());
        byte[] labels = IdxReader.readLabels(FASHION.resolve("t10k-labels-idx1-ubyte.gz"), 10,
                DatasetSpec.FASHION_MNIST.checksum("t10k-labels-idx1-ubyte.gz").orElseThrow());

        assertEquals(10_000, images.count());
        assertEquals(28, images.rows());
        assertEquals(28, images.cols());
        assertEquals(10_000 * 784, images.pixels().length);
        assertEquals(10_000, labels.length);
        // First test image is an ankle boot (9), then pullover, trouser, trouser, shirt...
        assertArrayEquals(new byte[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, Arrays.copyOf(labels, 10));
        int[] perClass = new int[10];
        for (byte label : labels) {
            perClass[label]++;
        }
        int[] thousandEach = new int[10];
        Arrays.fill(thousandEach, 1000);
        assertArrayEquals(thousandEach, perClass);

        long firstImageSum = 0;
        for (int i = 0; i < 784; i++) {
            firstImageSum += images.pixels()[i] & 0xFF;
        }
        assertEquals(33456, firstImageSum);
        byte[] row14 = Arrays.copyOfRange(images.pixels(), 14 * 28, 15 * 28);
        assertEquals("00000000000002040100000062886e6d6ea28790959fa7909ea97700",
                java.util.HexFormat.of().formatHex(row14));
    }

    @Test
    void readsUncompressedFilesByContentNotName() throws Exception {
        byte[] content = IdxFiles.images(3, 28, 28);
        // An uncompressed file named .gz and a gzip file without .gz: both must be read by their bytes.
        Path plain = IdxFiles.write(dir, "plain-images-idx3-ubyte.gz", content);
        Path packed = IdxFiles.write(dir, "packed-images", IdxFiles.gzip(content));
        Checksum sum = Checksum.sha256OfContent(IdxFiles.sha256(content));

        IdxReader.Images a = IdxReader.readImages(plain, 28, 28, sum);
        IdxReader.Images b = IdxReader.readImages(packed, 28, 28, sum);
        assertArrayEquals(Arrays.copyOfRange(content, 16, content.length), a.pixels());
        assertArrayEquals(a.pixels(), b.pixels());
        assertEquals(3, b.count());
    }

    @Test
    void wrongMagicNamesFileFieldAndExpectation() throws Exception {
        // An images file where labels belong: the message the brief asks for, word for word.
        Path file = IdxFiles.write(dir, "t10k-labels-idx1-ubyte.gz", IdxFiles.gzip(IdxFiles.images(2, 28, 28)));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readLabels(file, 10, null));
        assertEquals("t10k-labels-idx1-ubyte.gz: magic 0x00000803, expected 0x00000801 (labels)", e.getMessage());

        DataFileException real = assertThrows(DataFileException.class,
                () -> IdxReader.readImages(FASHION.resolve("t10k-labels-idx1-ubyte.gz"), null));
        assertEquals("t10k-labels-idx1-ubyte.gz: magic 0x00000801, expected 0x00000803 (images)",
                real.getMessage());
    }

    @Test
    void garbageThatIsNotGzipFailsOnTheMagic() throws Exception {
        byte[] garbage = new byte[1000];
        new SplittableRandom(1).nextBytes(garbage);
        garbage[0] = 0x42; // not 0x1f: the reader must treat it as an uncompressed file
        Path file = IdxFiles.write(dir, "train-images-idx3-ubyte.gz", garbage);
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readImages(file, null));
        assertTrue(e.getMessage().startsWith("train-images-idx3-ubyte.gz: magic 0x42"), e.getMessage());
    }

    @Test
    void garbageWithTheGzipMagicIsACorruptGzipError() throws Exception {
        byte[] garbage = new byte[1000];
        new SplittableRandom(2).nextBytes(garbage);
        garbage[0] = 0x1f;
        garbage[1] = (byte) 0x8b;
        Path file = IdxFiles.write(dir, "x-images.gz", garbage);
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readImages(file, null));
        assertTrue(e.getMessage().startsWith("x-images.gz: corrupt gzip data"), e.getMessage());
    }

    @Test
    void emptyFileIsRejected() throws Exception {
        Path file = IdxFiles.write(dir, "empty", new byte[0]);
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readLabels(file, 10, null));
        assertEquals("empty: length 0 bytes, expected at least 8 (IDX header)", e.getMessage());
    }

    @Test
    void truncatedFilesAreRejected() throws Exception {
        byte[] content = IdxFiles.images(10, 28, 28);
        byte[] cut = Arrays.copyOf(content, content.length - 100);

        Path plain = IdxFiles.write(dir, "cut-plain", cut);
        DataFileException e1 = assertThrows(DataFileException.class, () -> IdxReader.readImages(plain, null));
        assertEquals("cut-plain: data size 7740 bytes, expected 7840 bytes = 10*28*28 (count*rows*cols)"
                + " (truncated file)", e1.getMessage());

        // Valid gzip of too little content: caught by the count, not by gzip.
        Path packed = IdxFiles.write(dir, "cut-content.gz", IdxFiles.gzip(cut));
        DataFileException e2 = assertThrows(DataFileException.class, () -> IdxReader.readImages(packed, null));
        assertEquals("cut-content.gz: data size 7740 bytes, expected 7840 bytes = 10*28*28 (count*rows*cols)"
                + " (truncated file)", e2.getMessage());

        // A .gz file cut short: gzip itself reports the missing end.
        byte[] gz = IdxFiles.gzip(content);
        Path cutGz = IdxFiles.write(dir, "cut.gz", Arrays.copyOf(gz, gz.length - 20));
        DataFileException e3 = assertThrows(DataFileException.class, () -> IdxReader.readImages(cutGz, null));
        assertTrue(e3.getMessage().startsWith("cut.gz: "), e3.getMessage());

        // Header itself cut short.
        Path header = IdxFiles.write(dir, "cut-header", Arrays.copyOf(content, 10));
        DataFileException e4 = assertThrows(DataFileException.class, () -> IdxReader.readImages(header, null));
        assertEquals("cut-header: header length 10 bytes, expected 16 bytes", e4.getMessage());
    }

    @Test
    void trailingBytesAreRejected() throws Exception {
        byte[] content = IdxFiles.concat(IdxFiles.labels(1, 2, 3), new byte[] {4});

        Path plain = IdxFiles.write(dir, "long-plain", content);
        DataFileException e1 = assertThrows(DataFileException.class, () -> IdxReader.readLabels(plain, 10, null));
        assertEquals("long-plain: data size 4 bytes, expected 3 bytes = 3 (count) (trailing bytes)",
                e1.getMessage());

        Path packed = IdxFiles.write(dir, "long-content.gz", IdxFiles.gzip(content));
        DataFileException e2 = assertThrows(DataFileException.class, () -> IdxReader.readLabels(packed, 10, null));
        assertEquals("long-content.gz: data size more than 3 bytes, expected 3 bytes = 3 (count) (trailing bytes)",
                e2.getMessage());

        // Garbage appended after a valid gzip member must not be silently ignored.
        byte[] gz = IdxFiles.concat(IdxFiles.gzip(IdxFiles.labels(1, 2, 3)), new byte[] {1, 2, 3, 4});
        Path after = IdxFiles.write(dir, "after-member.gz", gz);
        DataFileException e3 = assertThrows(DataFileException.class, () -> IdxReader.readLabels(after, 10, null));
        assertTrue(e3.getMessage().startsWith("after-member.gz: corrupt gzip data"), e3.getMessage());
    }

    @Test
    void imagesMustHaveTheSizeTheCallerAsksFor() throws Exception {
        Path tall = IdxFiles.write(dir, "tall", IdxFiles.gzip(IdxFiles.images(2, 32, 28)));
        DataFileException e1 = assertThrows(DataFileException.class,
                () -> IdxReader.readImages(tall, 28, 28, null));
        assertEquals("tall: rows 32, expected 28", e1.getMessage());

        Path wide = IdxFiles.write(dir, "wide", IdxFiles.images(2, 28, 27));
        DataFileException e2 = assertThrows(DataFileException.class,
                () -> IdxReader.readImages(wide, 28, 28, null));
        assertEquals("wide: cols 27, expected 28", e2.getMessage());

        // Without a required size any consistent shape is fine.
        assertEquals(32, IdxReader.readImages(tall, null).rows());
    }

    @Test
    void labelOutOfRangeIsRejectedWithItsIndex() throws Exception {
        Path file = IdxFiles.write(dir, "labels.gz", IdxFiles.gzip(IdxFiles.labels(0, 9, 3, 10, 2)));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readLabels(file, 10, null));
        assertEquals("labels.gz: label[3] 10, expected 0..9", e.getMessage());

        Path high = IdxFiles.write(dir, "high", IdxFiles.labels(0, 255));
        DataFileException e2 = assertThrows(DataFileException.class, () -> IdxReader.readLabels(high, 10, null));
        assertEquals("high: label[1] 255, expected 0..9", e2.getMessage());
    }

    @Test
    void negativeDimensionIsRejected() throws Exception {
        Path file = IdxFiles.write(dir, "neg", IdxFiles.imagesHeader(IdxReader.IMAGES_MAGIC, 5, -28, 28));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readImages(file, null));
        assertEquals("neg: rows -28, expected a non-negative size", e.getMessage());
    }

    /**
     * Corrupt headers claiming enormous counts must fail at once, before any big allocation: these run with a
     * timeout, and an attempt to allocate what the header claims would need gigabytes.
     */
    @Test
    void hugeCountsFailFastWithoutAllocating() throws Exception {
        Duration fast = Duration.ofSeconds(5);
        // Beyond the hard cap (2^31 - 1 images of 28x28 would be 1.7 TB).
        Path max = IdxFiles.write(dir, "max.gz",
                IdxFiles.gzip(IdxFiles.imagesHeader(IdxReader.IMAGES_MAGIC, Integer.MAX_VALUE, 28, 28)));
        DataFileException e1 = assertTimeoutPreemptively(fast, () ->
                assertThrows(DataFileException.class, () -> IdxReader.readImages(max, 28, 28, null)));
        assertEquals("max.gz: data size 1683627179248 bytes = 2147483647*28*28 (count*rows*cols),"
                + " expected at most 1073741824 bytes", e1.getMessage());

        // All three dimensions huge: the product must not wrap around to something small.
        Path wrap = IdxFiles.write(dir, "wrap", IdxFiles.imagesHeader(IdxReader.IMAGES_MAGIC,
                Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE));
        DataFileException e2 = assertThrows(DataFileException.class, () -> IdxReader.readImages(wrap, null));
        assertTrue(e2.getMessage().contains("more than 2^63 bytes"), e2.getMessage());

        // Under the cap (784 MB) but far more than a small gzip file can expand to.
        Path small = IdxFiles.write(dir, "small.gz",
                IdxFiles.gzip(IdxFiles.imagesHeader(IdxReader.IMAGES_MAGIC, 1_000_000, 28, 28)));
        DataFileException e3 = assertTimeoutPreemptively(fast, () ->
                assertThrows(DataFileException.class, () -> IdxReader.readImages(small, null)));
        assertTrue(e3.getMessage().startsWith("small.gz: data size 784000000 bytes"), e3.getMessage());
        assertTrue(e3.getMessage().contains("-byte gzip file"), e3.getMessage());

        // Under the cap, uncompressed: the file size gives it away before reading.
        Path plain = IdxFiles.write(dir, "plain", IdxFiles.imagesHeader(IdxReader.IMAGES_MAGIC, 1_000_000, 28, 28));
        DataFileException e4 = assertThrows(DataFileException.class, () -> IdxReader.readImages(plain, null));
        assertEquals("plain: data size 0 bytes, expected 784000000 bytes = 1000000*28*28 (count*rows*cols)"
                + " (truncated file)", e4.getMessage());

        // Plausible for the gzip size (incompressible data, 600 kB) but 1000x what it holds: the buffer grows
        // only with the data that really arrives, and once the rest of the file cannot hold the rest of the
        // claim (deflate's limit), the count is refused.
        byte[] noise = new byte[600_000];
        new SplittableRandom(3).nextBytes(noise);
        byte[] liar = IdxFiles.concat(IdxFiles.imagesHeader(IdxReader.IMAGES_MAGIC, 600_000, 28, 28), noise);
        Path lying = IdxFiles.write(dir, "lying.gz", IdxFiles.gzip(liar));
        DataFileException e5 = assertTimeoutPreemptively(fast, () ->
                assertThrows(DataFileException.class, () -> IdxReader.readImages(lying, null)));
        assertTrue(e5.getMessage().startsWith("lying.gz: count 600000, expected at most what the file can hold:"
                + " 470400000 bytes = 600000*28*28 (count*rows*cols) cannot come out of it"), e5.getMessage());
    }

    @Test
    void checksumMismatchIsRejected() throws Exception {
        byte[] content = IdxFiles.labels(1, 2, 3);
        Path file = IdxFiles.write(dir, "t10k-labels-idx1-ubyte.gz", IdxFiles.gzip(content));
        Checksum wrong = Checksum.sha256OfContent("00".repeat(32));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readLabels(file, 10, wrong));
        assertEquals("t10k-labels-idx1-ubyte.gz: SHA-256 of the uncompressed content " + IdxFiles.sha256(content)
                + ", expected " + "00".repeat(32) + " (corrupt, truncated or not the official file)", e.getMessage());
    }

    @Test
    void gzipFileChecksumCoversTheStoredBytes() throws Exception {
        byte[] gz = IdxFiles.gzip(IdxFiles.labels(1, 2, 3));
        Path file = IdxFiles.write(dir, "l.gz", gz);
        assertEquals(3, IdxReader.readLabels(file, 10, Checksum.md5OfGzipFile(IdxFiles.md5(gz))).length);

        Checksum other = Checksum.md5OfGzipFile(IdxFiles.md5(new byte[] {1}));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readLabels(file, 10, other));
        assertTrue(e.getMessage().startsWith("l.gz: MD5 of the .gz file " + IdxFiles.md5(gz)), e.getMessage());

        // An uncompressed copy cannot be checked against a .gz MD5: it is read (with a warning), not refused.
        Path plain = IdxFiles.write(dir, "l", IdxFiles.labels(1, 2, 3));
        assertEquals(3, IdxReader.readLabels(plain, 10, other).length);
    }
}
