package jcnn.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Weights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 2, through the real program: two training runs started together as separate JVMs. Before, both
 * exited 0 into one folder and one run's weights, checkpoint and report were lost, with a broken line in
 * metrics.jsonl. Now a run owns its folder: the second is refused in one line naming it, and the first run's files
 * are whole; two runs without {@code -Dout} get a folder each.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class MainTwoRunsTest {

    private static final Pattern RUN_FOLDER = Pattern.compile("run folder: (\\S+) \\(");

    @TempDir
    Path tmp;

    @Test
    void twoRunsWithTheSameOutOneRunsTheOtherIsRefusedNamingTheFolder() throws Exception {
        Path out = tmp.resolve("shared");
        Process a = main(tmp, "-Dout=" + out);
        Process b = main(tmp, "-Dout=" + out);
        String outA = output(a), outB = output(b);
        List<String> finished = new ArrayList<>(), refused = new ArrayList<>();
        (a.exitValue() == 0 ? finished : refused).add(outA);
        (b.exitValue() == 0 ? finished : refused).add(outB);
        assertEquals(1, finished.size(), "exactly one run finishes:\n" + outA + "\n----\n" + outB);
        assertEquals(2, (a.exitValue() == 0 ? b : a).exitValue(), refused.get(0));
        // The JVM's own warnings ("Using incubator modules") share the stream: the program's line is the error.
        String output = refused.get(0);
        String error = output.lines().filter(l -> l.startsWith("error: ")).findFirst().orElse(output);
        System.out.println("Main, two runs on one -Dout: " + error);
        // Refused either while the other ran (locked) or after it (its results are there); never a stack trace.
        // (The holder's pid follows when it had written it yet: both runs reach the lock at about the same moment.)
        assertTrue(error.startsWith("error: " + out + ": another run is using this folder")
                || error.startsWith("error: invalid out=" + out + ": it already exists"), error);
        assertFalse(output.contains("Exception") || output.contains("\tat "), output);

        // The run that finished left whole files.
        assertTrue(Files.readString(out.resolve("report.txt")).contains("test accuracy: 0."), "report.txt");
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            JsonParser.parseString(line).getAsJsonObject();   // throws on a broken fragment
        }
        Weights.load(SeedCnn.create(new SplittableRandom(1)), out.resolve("weights.safetensors"));
        assertTrue(Files.isRegularFile(out.resolve("report.html")));
    }

    @Test
    void twoRunsWithoutOutStartedTogetherGetAFolderEach() throws Exception {
        Process a = main(tmp);
        Process b = main(tmp);
        String outA = output(a), outB = output(b);
        assertEquals(0, a.exitValue(), outA);
        assertEquals(0, b.exitValue(), outB);
        Path dirA = runFolder(outA), dirB = runFolder(outB);
        System.out.println("Main, two runs without -Dout: " + dirA + " and " + dirB);
        assertNotEquals(dirA, dirB);
        for (Path dir : List.of(dirA, dirB)) {
            assertTrue(Files.readString(tmp.resolve(dir).resolve("report.txt")).contains("test accuracy: 0."), dir
                    .toString());
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** A short training run of the real program in its own JVM, working directory {@code dir}. */
    private static Process main(Path dir, String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"),
                "-Duser.home=" + dir, "-Djcnn.download=false", "-Dprogress=false", "-Ddata=" + MainSettings.dataDir(),
                "-Dlimit=256", "-Depochs=1", "-Dthreads=1"));
        command.addAll(List.of(extra));
        command.add(Main.class.getName());
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    }

    private static String output(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the program did not exit");
        return out;
    }

    private static Path runFolder(String output) {
        Matcher m = RUN_FOLDER.matcher(output);
        assertTrue(m.find(), output);
        return Path.of(m.group(1));
    }
}
