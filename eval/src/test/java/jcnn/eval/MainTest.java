package jcnn.eval;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: bad settings fail in one line before anything is written; a short run writes its folder. */
class MainTest {

    @TempDir
    Path tmp;

    private Properties settings(String... keyValues) {
        return MainSettings.inRunFolder(tmp, keyValues);
    }

    private String fails(Properties p) {
        Exception e = assertThrows(Exception.class, () -> new Main(p, new PrintStream(new ByteArrayOutputStream()))
                .run());
        assertTrue(e instanceof IllegalArgumentException || e instanceof IOException, e.toString());
        assertFalse(Files.exists(tmp.resolve("run")), "nothing may be written after " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void badSettingsNameTheSettingAndWriteNothing() {
        assertEquals("invalid kernel=gpu: expected scalar or vector", fails(settings("kernel", "gpu")));
        assertEquals("invalid batch=-1: expected an integer >= 1", fails(settings("batch", "-1")));
        assertEquals("invalid epochs=many: expected an integer", fails(settings("epochs", "many")));
        assertEquals("invalid threads=0: expected an integer >= 1", fails(settings("threads", "0")));
        assertEquals("invalid vector.bits=384: expected 0, 128, 256 or 512", fails(settings("vector.bits", "384")));
        assertTrue(fails(settings("optimizer", "lbfgs")).startsWith("invalid optimizer=lbfgs"));
        assertTrue(fails(settings("lr", "-0.1")).startsWith("invalid lr=-0.1"));
        assertTrue(fails(settings("weights", tmp.resolve("none.h5").toString())).contains("no such file"));
        assertTrue(fails(settings("grid", "yes")).startsWith("invalid grid=yes"));
    }

    /**
     * dataset= names the data set; one the seed CNN cannot take (CIFAR-10's 3x32x32 colour images) is refused
     * before anything is read or written, with both shapes, and so is a name that is no data set.
     */
    @Test
    void aDataSetTheModelCannotTakeIsRefusedBeforeAnythingIsWritten() {
        String cifar = fails(settings("dataset", "cifar-10"));
        assertTrue(cifar.startsWith("invalid dataset=cifar-10: its images are 3x32x32 (channels x rows x cols) and"
                + " the seed CNN takes 1x28x28 (layer 'conv1': "), cifar);
        assertTrue(cifar.endsWith("(1,3,32,32)); it needs a model made for 3x32x32 images"), cifar);
        assertEquals("invalid dataset=cifar10: expected one of fashion-mnist, mnist, kmnist, cifar-10",
                fails(settings("dataset", "cifar10")));
        Path weights = tmp.resolve("w.h5");
        assertTrue(fails(settings("dataset", "cifar-10", "weights", weights.toString()))
                .startsWith("invalid dataset=cifar-10: its images are 3x32x32"));
    }

    @Test
    void missingDataIsOneLineAndWritesNothing() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        String message = fails(settings("data", empty.toString()));
        assertTrue(message.contains(empty.toString()), message);
    }

    @Test
    void neverWritesIntoAFolderThatHoldsAnotherRun() throws IOException {
        Path previous = Files.createDirectories(tmp.resolve("previous"));
        Files.writeString(previous.resolve("weights.safetensors"), "earlier work");
        Properties p = settings("out", previous.toString());
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> new Main(p, new PrintStream(new ByteArrayOutputStream())).run());
        assertTrue(e.getMessage().startsWith("invalid out="), e.getMessage());
        assertEquals("earlier work", Files.readString(previous.resolve("weights.safetensors")));
    }

    @Test
    void evaluatingIntoAFinishedRunWritesASubfolderAndOverwritesNothing() throws IOException {
        // Issue 15, item 10: weights= out=<a finished run> was refused although evaluating would write nothing
        // there. An evaluation writes a report of its own, so it goes into a new subfolder beside the run's files.
        Path finished = Files.createDirectories(tmp.resolve("finished"));
        for (String file : List.of("report.txt", "report.html", "weights.safetensors")) {
            Files.writeString(finished.resolve(file), "the run's own " + file);
        }
        String weights = MainSettings.seedWeights("with-optimisation-OptimizedModel.h5").toString();
        // An earlier evaluation's subfolder is not overwritten either: this one takes the next name.
        Files.writeString(Files.createDirectories(finished.resolve("evaluation")).resolve("report.txt"), "earlier");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Main(MainSettings.of(tmp, "weights", weights, "out", finished.toString()), new PrintStream(bytes, true,
                StandardCharsets.UTF_8)).run();
        String output = bytes.toString(StandardCharsets.UTF_8);
        Path evaluation = finished.resolve("evaluation-2");
        assertTrue(output.contains("run folder: " + evaluation + " (report.html, report.txt)"), output);
        assertTrue(Files.readString(evaluation.resolve("report.txt")).contains("0.9129"));
        assertEquals("earlier", Files.readString(finished.resolve("evaluation").resolve("report.txt")));
        for (String file : List.of("report.txt", "report.html", "weights.safetensors")) {
            assertEquals("the run's own " + file, Files.readString(finished.resolve(file)), file);
        }
        // A file where the folder should be is still an error, and nothing is written.
        Path notAFolder = Files.writeString(tmp.resolve("run"), "a file");
        Exception e = assertThrows(Exception.class, () -> new Main(MainSettings.of(tmp, "weights", weights, "out",
                notAFolder.toString()), new PrintStream(new ByteArrayOutputStream())).run());
        assertTrue(e.getMessage().contains(notAFolder.toString()), e.getMessage());
        assertEquals("a file", Files.readString(notAFolder));
    }

    @Test
    void aShortRunWritesItsFolderAndEndsWithTheAccuracyLine() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Main(settings("limit", "640", "epochs", "1", "batch", "64"), new PrintStream(bytes, true,
                StandardCharsets.UTF_8)).run();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertTrue(lines[lines.length - 1].matches("test accuracy: 0\\.\\d{4}"), lines[lines.length - 1]);
        Path run = tmp.resolve("run");
        for (String file : List.of("weights.safetensors", "metrics.jsonl", "report.txt", "report.html")) {
            assertTrue(Files.size(run.resolve(file)) > 0, file);
        }
    }

    /**
     * model=deep end to end: a short training run announces the model, prints its summary, writes weights with the
     * batch-norm buffers (the count as I64) and a model entry in their metadata; the same weights evaluate with
     * model=deep to the accuracy the training run printed, and are refused, naming the missing tensors, by the
     * seed CNN.
     */
    @Test
    void theDeepModelTrainsSavesAndEvaluatesByName() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Main(settings("model", "deep", "limit", "640", "epochs", "1", "batch", "64"), new PrintStream(bytes,
                true, StandardCharsets.UTF_8)).run();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("model: deep"), out);
        assertTrue(out.contains("bn4 (BatchNorm2d)") && out.contains("Total params: 218,682"), out);
        String[] lines = out.strip().split("\n");
        String accuracy = lines[lines.length - 1];
        assertTrue(accuracy.matches("test accuracy: 0\\.\\d{4}"), accuracy);
        Path weights = tmp.resolve("run").resolve("weights.safetensors");
        jcnn.core.io.Safetensors f = jcnn.core.io.Safetensors.read(weights);
        assertEquals(jcnn.core.io.Safetensors.DType.I64, f.dtype("bn1.num_batches_tracked"));
        assertEquals("deep", f.metadata().get("model"));

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        new Main(MainSettings.of(tmp, "model", "deep", "weights", weights.toString(), "out",
                tmp.resolve("eval").toString()), new PrintStream(again, true, StandardCharsets.UTF_8)).run();
        String[] evalLines = again.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(accuracy, evalLines[evalLines.length - 1], "evaluation mode, as after training");

        Exception e = assertThrows(Exception.class, () -> new Main(MainSettings.of(tmp, "weights",
                weights.toString(), "out", tmp.resolve("eval-seed").toString()),
                new PrintStream(new ByteArrayOutputStream())).run());
        assertTrue(e.getMessage().contains("missing [conv3.bias") || e.getMessage().contains("unexpected"),
                e.getMessage());
    }

    @Test
    void theProgramExitsWithStatusTwoAndNoStackTrace() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"),
                "-Dbatch=-5", "-Dout=" + tmp.resolve("run"),
                Main.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the program did not exit");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue(), output);
        assertTrue(output.contains("error: invalid batch=-5: expected an integer >= 1"), output);
        assertFalse(output.contains("Exception") || output.contains("\tat "), output);
        assertFalse(Files.exists(tmp.resolve("run")));
    }
}
