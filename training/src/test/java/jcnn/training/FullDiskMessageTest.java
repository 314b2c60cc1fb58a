package jcnn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 9: a full disk used to say {@code No space left on device} and nothing else. Linux's
 * {@code /dev/full} fails every write with exactly that error (ENOSPC), so the epoch log can be tried against it.
 */
class FullDiskMessageTest {

    @Test
    void theEpochLogNamesItsFileWhenTheDiskIsFull() throws Exception {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "no /dev/full on this system");
        EpochMetrics m = new EpochMetrics(1, 1, 0.5, 0.8, 0.4, 0.85, 0.05, 100, 1, 1, true);
        try (JsonLinesWriter log = JsonLinesWriter.create(full)) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> log.onEpoch(m));
            System.out.println("full disk, epoch log: " + e.getMessage());
            assertEquals("cannot write /dev/full: No space left on device", e.getMessage());
        } catch (java.io.IOException closing) {
            // Closing flushes nothing new into a full device, or fails the same way: either is fine here.
        }
    }
}
