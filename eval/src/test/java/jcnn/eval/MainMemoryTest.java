package jcnn.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, items 5 and 6, through the real program in a child JVM with a small heap: what the memory estimate
 * sees coming is refused before the first step with the figure and {@code batch}; what it does not (an
 * evaluation in a 56 MB heap) is the one-line OutOfMemoryError message of {@link Main}. Either way: exit status 2,
 * one line on standard error, no stack trace, no run folder left.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MainMemoryTest {

    @TempDir
    Path tmp;

    @Test
    void aBatchWhoseActivationsCannotFitIsRefusedNamingBatchBeforeAnythingIsWritten() throws Exception {
        // 512 MB: the data takes about 400 MB of it; 2,000 images of the seed CNN's step take 713 MB.
        Run run = main("-Xmx512m", "-Dbatch=2000", "-Dlimit=6000", "-Depochs=1");
        System.out.println("Main, batch=2000 in a 512 MB heap: " + run.error);
        assertEquals(2, run.status, run.all());
        assertTrue(run.error.startsWith("error: the activations and gradients of one training step at batch=2000"
                + " (2000 images, about 356.5 kB each): would take 713.0 MB but the JVM has "), run.all());
        assertTrue(run.error.endsWith(": lower batch, or " + jcnn.training.data.MemoryBudget.MORE_HEAP), run.error);
        run.assertOneLineAndNothingWritten();
    }

    @Test
    void anOutOfMemoryErrorIsOneLineWithoutAStackTrace() throws Exception {
        // 46 MB: the test set's 31 MB pass the data estimate (40 MB does not); the evaluation then does not fit. Since
        // inference runs in chunks of 64 images, 56 MB is enough for the whole evaluation.
        Run run = main("-Xmx46m", "-Dweights=" + MainSettings.seedWeights("with-optimisation-OptimizedModel.h5"));
        System.out.println("Main, an evaluation in a 46 MB heap: " + run.error);
        assertEquals(2, run.status, run.all());
        assertTrue(run.error.matches("error: out of memory \\(heap \\d+\\.\\d MB\\): give the JVM more heap \\(-Xmx;"
                + " for mvn exec:java, MAVEN_OPTS=-Xmx8g\\), or when training lower batch"), run.all());
        run.assertOneLineAndNothingWritten();
    }

    // ---------------------------------------------------------------------------------------------------------

    /** What a child JVM did: its exit status, its standard output and error, and its one error line. */
    private final class Run {
        final int status;
        final String out, err, error;

        Run(int status, String out, String err) {
            this.status = status;
            this.out = out;
            this.err = err;
            // The JVM's own notice ("WARNING: Using incubator modules") shares the stream: it is not ours.
            this.error = err.lines().filter(l -> l.startsWith("error: ")).findFirst().orElse(err);
        }

        String all() {
            return out + "\n---- stderr:\n" + err;
        }

        void assertOneLineAndNothingWritten() {
            List<String> ours = err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
            assertEquals(List.of(error), ours, "one line on standard error:\n" + err);
            assertFalse(all().contains("Exception") || all().contains("Error:") || all().contains("\tat "), all());
            assertFalse(Files.exists(tmp.resolve("run")), "nothing written:\n" + all());
        }
    }

    /** The real program in a child JVM with its own heap and one collector, so the figures do not vary. */
    private Run main(String heap, String... settings) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", heap, "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                "-Duser.home=" + tmp, "-Djcnn.download=false", "-Dprogress=false", "-Dthreads=1",
                "-Ddata=" + MainSettings.dataDir(), "-Dout=" + tmp.resolve("run")));
        command.addAll(List.of(settings));
        command.add(Main.class.getName());
        Path stdout = tmp.resolve("stdout.txt"), stderr = tmp.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "the program did not exit");
        return new Run(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
