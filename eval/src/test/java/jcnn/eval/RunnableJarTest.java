package jcnn.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar jcnn.jar --name value} in a child JVM started without {@code --add-modules}: the program adds
 * the incubator module itself (by relaunching, {@link Main#relaunch}), takes its settings as arguments, and says
 * the incubator warning once. The jar here is a thin one, its manifest naming {@code Main} and the test's class
 * path; {@code mvn package} builds the self-contained {@code eval/target/jcnn.jar} with the same main class.
 */
class RunnableJarTest {

    @TempDir
    Path tmp;

    /** A jar whose manifest runs Main with the test's class path. */
    private Path thinJar() throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        List<String> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(Path.of(entry).toAbsolutePath().toUri().toString());   // folders end with '/'
        }
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
        Path jar = tmp.resolve("jcnn.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        return jar;
    }

    private record Result(int status, String output) {
    }

    private Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + tmp, "-Djcnn.download=false", "-Dprogress=false", "-jar", thinJar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove(Main.RELAUNCHED);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the program did not exit");
        System.out.println("java -jar jcnn.jar " + String.join(" ", args) + " -> " + p.exitValue());
        return new Result(p.exitValue(), output);
    }

    @Test
    void helpComesFromTheJarWithTheVectorModuleAdded() throws Exception {
        Result r = run("--help");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("  epochs "), r.output());
        assertEquals(1, r.output().split("Using incubator modules", -1).length - 1,
                "the incubator warning once, from the relaunched JVM: " + r.output());
    }

    @Test
    void aTypoInAnArgumentExitsWithStatusTwoAndASuggestion() throws Exception {
        Result r = run("--kernel", "vector", "--epoch", "5", "--out", tmp.resolve("run").toString());
        assertEquals(2, r.status(), r.output());
        assertTrue(r.output().contains("error: unknown setting '--epoch': did you mean '--epochs'?"), r.output());
        assertFalse(r.output().contains("\tat "), r.output());
        assertFalse(Files.exists(tmp.resolve("run")));
    }

    @Test
    void stoppingTheLauncherStopsTheRelaunchedJob() throws Exception {
        // Issue 15's class of bug "nothing hung": a SIGTERM to `java -jar` used to leave the relaunched JVM
        // training on alone, an orphan holding the run folder's lock.
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + tmp, "-Djcnn.download=false", "-Dprogress=false", "-jar", thinJar().toString(),
                "--epochs", "1000", "--limit", "2000", "--threads", "1", "--out", tmp.resolve("run").toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("output.txt").toFile());
        pb.environment().remove(Main.RELAUNCHED);
        Process launcher = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(tmp.resolve("output.txt")).contains("training on ")) {
            assertTrue(launcher.isAlive() && System.nanoTime() < deadline, Files.readString(tmp.resolve("output.txt")));
            Thread.sleep(200);
        }
        List<ProcessHandle> job = launcher.descendants().toList();
        assertEquals(1, job.size(), "one relaunched JVM: " + job);
        launcher.destroy();   // SIGTERM, as `kill PID` sends
        assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "the launcher did not exit");
        ProcessHandle child = job.get(0);
        try {
            child.onExit().get(40, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            child.destroyForcibly();
            org.junit.jupiter.api.Assertions.fail("the relaunched JVM outlived the launcher: pid " + child.pid());
        }
        System.out.println("java -jar jcnn.jar, SIGTERM to the launcher: the relaunched JVM " + child.pid()
                + " stopped too");
    }

    @Test
    void theVectorKernelsRunWithoutTheFlagTyped() throws Exception {
        Path weights = Path.of("src/test/resources/seed/with-optimisation-OptimizedModel.h5").toAbsolutePath();
        Path out = tmp.resolve("eval");
        // vector.bits is read once when a JVM starts: as an argument, the program relaunches with that width.
        String width = jcnn.kernels.VectorWidth.BITS == 128 ? "256" : "128";
        Result r = run("--kernel", "vector", "--vector.bits", width, "--weights", weights.toString(), "--out",
                out.toString());
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("jcnn: kernels vector-" + width + ","), r.output());
        assertFalse(r.output().contains("io.jhdf"), "jHDF's log stays quiet: " + r.output());
        assertTrue(r.output().strip().endsWith("test accuracy: 0.9129"), r.output());
        assertTrue(Files.size(out.resolve("report.html")) > 0 && Files.size(out.resolve("report.txt")) > 0);
    }
}
