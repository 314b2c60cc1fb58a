package jcnn.eval.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps docs/embedding.md's program working: the page shows docs/examples/EmbedExample.java verbatim, and the file
 * compiles against the project's classes and runs to its accuracy line, as a user's own program would.
 */
class EmbedExampleTest {

    private static final String EXAMPLE = "docs/examples/EmbedExample.java";
    private static final String PREDICT = "docs/examples/PredictExample.java";
    private static final String DOC = "docs/embedding.md";

    @TempDir
    Path tmp;

    @Test
    void thePageShowsTheExamplesVerbatim() throws IOException {
        String doc = DocsFiles.read(DOC);
        for (String example : new String[] {EXAMPLE, PREDICT}) {
            assertTrue(doc.contains("```java\n" + DocsFiles.read(example) + "```"), DOC + " must include " + example
                    + " verbatim in a ```java block; copy the file into the page again");
        }
    }

    @Test
    void theExampleCompilesAndTrains() throws Exception {
        String output = compileAndRun(EXAMPLE, "EmbedExample");
        Matcher m = Pattern.compile("(?m)^test accuracy: (0\\.\\d{4})$").matcher(output);
        assertTrue(m.find(), "no accuracy line in:\n" + output);
        // 100 steps from a seeded start land far above chance (0.10); this guards against a model that does not learn.
        assertTrue(Double.parseDouble(m.group(1)) > 0.6, output);
    }

    @Test
    void thePredictionExampleLoadsTheSeedsWeightsAndScoresItsAccuracy() throws Exception {
        String output = compileAndRun(PREDICT, "PredictExample");
        // the study's weights get 1836 of the first 2,000 right on either kernel path (its 91.29% is over all
        // 10,000, SeedWeightsTest); test image 0 is an ankle boot
        assertTrue(output.contains("\naccuracy on 2000 test images: 0.9180"), output);
        assertTrue(Pattern.compile("(?m)^test image 0: Ankle boot \\(9\\), p = [01]\\.\\d{4}; true class: Ankle boot$")
                .matcher(output).find(), output);
    }

    private String compileAndRun(String example, String mainClass) throws Exception {
        String classPath = System.getProperty("java.class.path");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "no system Java compiler: the tests need a JDK, not a JRE");
        Path classes = tmp.resolve("classes");
        StringWriter diagnostics = new StringWriter();
        boolean compiled = javac.getTask(diagnostics, null, null,
                List.of("--release", "17", "--add-modules", "jdk.incubator.vector", "-cp", classPath,
                        "-d", classes.toString()),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
                        .getJavaFileObjects(DocsFiles.root().resolve(example))).call();
        assertTrue(compiled, "the example does not compile:\n" + diagnostics);

        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector",
                "-cp", classes + java.io.File.pathSeparator + classPath,
                "-Djcnn.download=false",          // the bundled data/fashion-mnist, never the network
                mainClass));
        Process process = new ProcessBuilder(command).directory(DocsFiles.root().toFile())
                .redirectErrorStream(true).start();
        boolean exited = process.waitFor(240, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(exited, "the example did not finish in 240 s:\n" + output);
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
