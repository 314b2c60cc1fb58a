package jcnn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jcnn.training.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 8: a run that fails before its first epoch used to leave its folder with an empty metrics.jsonl,
 * which neither a rerun ("not empty") nor a resume (no checkpoint) accepted. The epoch log is now created with its
 * first line, and the run folder removes itself when nothing else was written.
 */
class FailedRunLeavesNothingTest {

    @TempDir
    Path tmp;

    @Test
    void aRunThatFailsBeforeItsFirstEpochLeavesNoFolder() throws IOException {
        Path dir = tmp.resolve("run");
        Recipe r = TinyRuns.recipe("epochs=1", "limit=160");
        Dataset empty = new Dataset(new float[0], new int[0], 28, 28);
        try (RunFolder folder = RunFolder.create(dir);
                JsonLinesWriter log = JsonLinesWriter.create(dir.resolve("metrics.jsonl"))) {
            Trainer trainer = new Trainer(TinyRuns.model(r), r).addListener(log);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> trainer.fit(empty, empty));
            assertEquals("the training set is empty", e.getMessage());
            assertFalse(Files.exists(dir.resolve("metrics.jsonl")), "no empty epoch log");
        }
        assertFalse(Files.exists(dir), "the failed run's folder is gone");
        // ... so the same folder is accepted by the next run.
        try (RunFolder again = RunFolder.create(dir)) {
            assertTrue(Files.isDirectory(again.dir()));
        }
    }
}
