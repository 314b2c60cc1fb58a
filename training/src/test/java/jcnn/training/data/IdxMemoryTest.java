package jcnn.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, items 5, 6 and 9: data loading never ends in an OutOfMemoryError or a message without a file. A small
 * gzip file whose header claims far more images than it can hold is refused early (it used to pass both limits of
 * the reader and take 3.1 GB and 15 s); a truncated gzip says so; the trainer's batch arrays are sized in long and
 * refused with the figure and the setting.
 */
class IdxMemoryTest {

    @TempDir
    Path dir;

    /** The file of the issue: 990 KB of gzip whose header claims 1,300,000 images of 28x28. */
    private Path lyingGzip() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(raw)) {
            gz.write(ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC).putInt(1_300_000).putInt(28).putInt(28)
                    .array());
            byte[] pixels = new byte[990_000];
            new SplittableRandom(15).nextBytes(pixels);   // incompressible: the file stays ~990 KB
            gz.write(pixels);
        }
        return Files.write(dir.resolve("train-images-idx3-ubyte.gz"), raw.toByteArray());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aSmallGzipClaimingMoreThanItCanHoldIsRefusedEarlyAndCheaply() throws IOException {
        Path file = lyingGzip();
        assertTrue(Files.size(file) > 980_000 && Files.size(file) < 1_000_000, Files.size(file) + " bytes");
        // It passes the header checks (1,019,200,000 bytes is under 1 GiB and under 1032 x the file size) ...
        assertTrue(1_300_000L * 784 < IdxReader.MAX_DATA_BYTES && 1_300_000L * 784 < Files.size(file) * 1032);

        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readImages(file, 28, 28, null));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("IDX count that cannot fit: refused after %.2f s and %.1f MB allocated: %s%n", seconds,
                allocated / 1e6, e.getMessage());
        assertEquals("count", e.field());
        assertTrue(e.getMessage().startsWith("train-images-idx3-ubyte.gz: count 1300000, expected at most what"
                + " the file can hold"), e.getMessage());
        // ... but is refused before the buffer grows towards the claimed gigabyte.
        assertTrue(allocated < 64_000_000, allocated + " bytes allocated");
    }

    @Test
    void aTruncatedGzipSaysWhichFileAndThatItIsTruncated() throws IOException {
        byte[] whole = Files.readAllBytes(bundled("t10k-labels-idx1-ubyte.gz"));
        Path cut = Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), Arrays.copyOf(whole, whole.length / 2));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readLabels(cut, 10, null));
        System.out.println("truncated gzip: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("t10k-labels-idx1-ubyte.gz: truncated gzip data"), e.getMessage());
        assertFalse(e.getMessage().contains("null"), e.getMessage());
    }

    @Test
    void theRealFilesStillLoad() throws IOException {
        IdxReader.Images images = IdxReader.readImages(bundled("t10k-images-idx3-ubyte.gz"), 28, 28, null);
        assertEquals(10_000, images.count());
    }

    @Test
    void theHeapCheckRefusesWithTheFigureAndTheSetting() {
        MemoryBudget.TooLarge e = assertThrows(MemoryBudget.TooLarge.class,
                () -> MemoryBudget.require(4_400_000_000L, "the batch buffers for batch=100000000", "lower batch",
                        1L << 30));
        assertTrue(e.getMessage().startsWith(
                "the batch buffers for batch=100000000: would take 4.4 GB but the JVM has "), e.getMessage());
        assertTrue(e.getMessage().endsWith("of heap left (of 1.1 GB): lower batch"), e.getMessage());
        MemoryBudget.require(1000, "a little", "nothing", 1L << 40);   // fits
    }

    @Test
    void batchBuffersAreSizedInLongAndNeverBeyondTheTrainingSet() {
        // -Dbatch=1000000 with 1,600 training images used to allocate 3.1 GB it never used.
        assertEquals(1600L * 784 * 4 + 1600L * 4, MemoryBudget.batchBufferBytes(1_000_000, 1600, 784));
        assertEquals(1600, MemoryBudget.checkBatch(1_000_000, 1600, 784));
        assertEquals(48_000, MemoryBudget.checkBatch(Integer.MAX_VALUE, 48_000, 784));
        // 3,000,000 x 784 overflows an int (the NegativeArraySizeException of the issue): refused, naming batch.
        MemoryBudget.TooLarge e = assertThrows(MemoryBudget.TooLarge.class,
                () -> MemoryBudget.checkBatch(3_000_000, 3_000_000, 784));
        System.out.println("batch=3000000: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("invalid batch=3000000: a batch of 3000000 images of 784 floats is "
                + "2352000000 floats, more than a Java array holds"), e.getMessage());
        assertTrue(e.getMessage().endsWith("lower batch to at most 2739137"), e.getMessage());
    }

    @Test
    void aTrainingStepThatCannotFitIsRefusedBeforeItsFirstAllocation() {
        // The seed CNN keeps about 44,000 floats of activations per image (the summary's output sizes).
        MemoryBudget.TooLarge e = assertThrows(MemoryBudget.TooLarge.class,
                () -> MemoryBudget.checkTrainingStep(1_000_000, 1_000_000, 784, 44_170));
        System.out.println("training step, batch=1000000: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("the activations and gradients of one training step at batch=1000000"
                + " (1000000 images, about 356.5 kB each): would take 356.5 GB"), e.getMessage());
        assertTrue(e.getMessage().endsWith(": lower batch, or " + MemoryBudget.MORE_HEAP), e.getMessage());
        assertEquals(64L * (784 + 2 * 44_170) * 4, MemoryBudget.checkTrainingStep(64, 48_000, 784, 44_170));
    }

    private static Path bundled(String name) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path f = d.resolve("data").resolve("fashion-mnist").resolve(name);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("no bundled " + name);
    }
}
