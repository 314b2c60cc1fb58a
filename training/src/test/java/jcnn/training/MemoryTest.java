package jcnn.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jcnn.core.Engine;
import jcnn.kernels.KernelProvider;
import jcnn.training.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No leak between epochs: the heap in use after each epoch of a 3-epoch run (checkpoints included), measured after
 * full collections, stays within 2 MB. The first epoch fills the buffer pool and the optimizer's buffers; from then
 * on an epoch should leave nothing behind.
 */
class MemoryTest {

    private static final long TOLERANCE = 2L << 20;

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("try")
    void theHeapStaysFlatFromEpochToEpoch() {
        Recipe r = TinyRuns.recipe("epochs=3", "batch=32", "limit=320");
        Dataset.Split split = TinyRuns.split(r);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<Long> used = new ArrayList<>();
        try (Engine.Scope scalar = Engine.using(KernelProvider.scalar())) {
            Trainer trainer = new Trainer(TinyRuns.model(r), r).showProgress(false)
                    .checkpointTo(dir.resolve(Checkpoint.FILE_NAME));
            trainer.addListener(m -> used.add(usedAfterGc(memory)));
            trainer.fit(split.train(), split.validation());
        }
        long min = used.stream().min(Long::compare).orElseThrow();
        long max = used.stream().max(Long::compare).orElseThrow();
        System.out.printf(Locale.ROOT, "heap after epochs 1..3: %.2f, %.2f, %.2f MB (spread %.3f MB)%n",
                mb(used.get(0)), mb(used.get(1)), mb(used.get(2)), mb(max - min));
        assertTrue(max - min < TOLERANCE, "the heap in use grew from epoch to epoch: " + used);
    }

    /** Used heap after a few full collections, once it stops falling. */
    private static long usedAfterGc(MemoryMXBean memory) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            best = Math.min(best, memory.getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
