package jcnn.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.SplittableRandom;
import jcnn.core.Engine;
import jcnn.core.io.Safetensors;
import jcnn.kernels.KernelProvider;
import jcnn.training.Checkpoint;
import jcnn.training.Recipe;
import jcnn.training.Trainer;
import jcnn.training.data.DataLocator;
import jcnn.training.data.Dataset;
import jcnn.training.data.DatasetSpec;
import jcnn.training.nn.SeedCnn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's reliability settings (and the flags read outside Main, validated with the rest): resume=DIR continues a crashed run to the weights an uninterrupted run
 * ends with, refuses settings that contradict its checkpoint, and a run that meets a non-finite loss stops in one
 * line. Kept apart from MainTest so the two can change independently.
 */
class MainResumeTest {

    @TempDir
    Path tmp;

    private Properties settings(String... keyValues) {
        Properties p = MainSettings.of(tmp, "kernel", "scalar");
        p.putAll(MainSettings.of(tmp, keyValues));
        return p;
    }

    private static String run(Properties p) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Main(p, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String fails(Properties p) {
        Exception e = assertThrows(Exception.class, () -> run(p));
        assertTrue(e instanceof IllegalArgumentException || e instanceof IOException, e.toString());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void badReliabilitySettingsFailInOneLineAndWriteNothing() {
        Path out = tmp.resolve("run");
        assertEquals("invalid nanPolicy=maybe: expected stop or skip",
                fails(settings("out", out.toString(), "nanPolicy", "maybe")));
        Path none = tmp.resolve("none");
        assertEquals("invalid resume=" + none + ": no checkpoint.safetensors in it",
                fails(settings("resume", none.toString())));
        assertEquals("invalid resume=: expected a path", fails(settings("resume", " ")));
        assertEquals("invalid progress=yes: expected true or false",
                fails(settings("out", out.toString(), "progress", "yes")));
        assertEquals("invalid jcnn.download=no: expected true or false",
                fails(settings("out", out.toString(), "jcnn.download", "no")));
        assertEquals("invalid help=please: expected true or false", fails(settings("help", "please")));
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(none));
    }

    /** Trains epoch 1 of {@code r} into {@code dir} the way Main would, then "crashes". */
    @SuppressWarnings("try")
    private static void crashAfterEpochOne(Recipe r, Path dir) throws IOException {
        Dataset train = DataLocator.fromSystemProperties().load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TRAIN);
        Dataset.Split split = Trainer.split(train, r);
        try (Engine.Scope scalar = Engine.using(KernelProvider.scalar())) {
            Trainer t = new Trainer(SeedCnn.create(new SplittableRandom(r.seed())), r).showProgress(false)
                    .checkpointTo(dir.resolve(Checkpoint.FILE_NAME));
            t.addListener(m -> {
                throw new IllegalStateException("simulated crash after epoch " + m.epoch());
            });
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> t.fit(split.train(), split.validation()));
            assertEquals("simulated crash after epoch 1", e.getMessage());
        }
    }

    @Test
    void aCrashedRunResumesToTheWeightsOfAnUninterruptedOne() throws IOException {
        String[] recipe = {"epochs", "2", "batch", "64", "limit", "320"};
        Path whole = tmp.resolve("whole");
        String[] wholeLines = run(settings(concat(recipe, "out", whole.toString()))).strip().split("\n");

        Path crashed = Files.createDirectories(tmp.resolve("crashed"));
        Properties p = settings(recipe);
        crashAfterEpochOne(Recipe.fromProperties(p), crashed);
        byte[] checkpoint = Files.readAllBytes(crashed.resolve(Checkpoint.FILE_NAME));

        // Contradicting settings are refused, and the checkpoint is left as it was.
        assertEquals("invalid epochs=3: resume=" + crashed + " continues a run with epochs=2 (leave the setting"
                + " out or give that value)", fails(settings("resume", crashed.toString(), "epochs", "3")));
        assertTrue(fails(settings("resume", crashed.toString(), "weights", crashed.resolve(Checkpoint.FILE_NAME)
                .toString())).startsWith("invalid resume="));
        assertTrue(fails(settings("resume", crashed.toString(), "grid", "true")).startsWith("invalid resume="));
        assertTrue(fails(settings("resume", crashed.toString(), "out", whole.toString())).startsWith("invalid out="));
        assertArrayEquals(checkpoint, Files.readAllBytes(crashed.resolve(Checkpoint.FILE_NAME)));

        // Resuming with no recipe setting at all (or the same ones) finishes epoch 2.
        String output = run(settings("resume", crashed.toString(), "batch", "64"));
        assertTrue(output.contains("resuming from " + crashed.resolve(Checkpoint.FILE_NAME) + " after epoch 1 of 2"),
                output);
        assertEquals(2, Checkpoint.load(crashed.resolve(Checkpoint.FILE_NAME)).epoch());
        assertEquals(2, Files.readAllLines(crashed.resolve("metrics.jsonl")).size(), "the log holds both epochs");

        Safetensors a = Safetensors.read(whole.resolve("weights.safetensors"));
        Safetensors b = Safetensors.read(crashed.resolve("weights.safetensors"));
        assertEquals(a.names(), b.names());
        for (String name : a.names()) {
            assertArrayEquals(a.tensor(name).data(), b.tensor(name).data(), name);
        }
        String[] lines = output.strip().split("\n");
        System.out.println("Main resume: uninterrupted '" + wholeLines[wholeLines.length - 1] + "', resumed '"
                + lines[lines.length - 1] + "', weights bit-identical");
        assertEquals(wholeLines[wholeLines.length - 1], lines[lines.length - 1]);
    }

    @Test
    void aNonFiniteLossStopsInOneLineNamingTheStep() {
        Path out = tmp.resolve("diverged");
        Main.TrainingStopped e = assertThrows(Main.TrainingStopped.class,
                () -> run(settings("out", out.toString(), "lr", "1e6", "limit", "320", "epochs", "2", "batch", "64",
                        "schedule", "constant")));
        System.out.println("Main, lr=1e6: error: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("training stopped at epoch 1/2, batch "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(Files.exists(out.resolve("weights.safetensors")), "no weights from a run that stopped");
    }

    @Test
    void theProgramExitsWithStatusTwoWhenTrainingStops() throws Exception {
        Path out = tmp.resolve("run");
        Process process = new ProcessBuilder(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"),
                "-Dkernel=scalar", "-Dlr=1e6", "-Dlimit=320", "-Depochs=1", "-Dschedule=constant", "-Dprogress=false",
                "-Djcnn.download=false", "-Dout=" + out,
                Main.class.getName())).redirectErrorStream(true).start();
        assertTrue(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the program did not exit");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue(), output);
        assertTrue(output.contains("error: training stopped at epoch 1/1, batch "), output);
        assertFalse(output.contains("Exception") || output.contains("\tat "), output);
        assertFalse(Files.exists(out.resolve("weights.safetensors")));
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
