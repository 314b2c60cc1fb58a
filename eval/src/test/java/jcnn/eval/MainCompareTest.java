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
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Dcompare=true} through the command line: its settings are checked like every other one, and a tiny
 * comparison writes its folder. The comparison itself is tested with
 * injected kernels in {@code jcnn.eval.compare.ComparisonTest}.
 */
class MainCompareTest {

    @TempDir
    Path tmp;

    private Properties settings(String... keyValues) {
        return MainSettings.inRunFolder(tmp, keyValues);
    }

    private String fails(Properties p) {
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> new Main(p, new PrintStream(new ByteArrayOutputStream())).run());
        assertFalse(Files.exists(tmp.resolve("run")), "nothing may be written after " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void badCompareSettingsFailInOneLineAndWriteNothing() {
        assertEquals("invalid compare=yes: expected true or false", fails(settings("compare", "yes")));
        assertTrue(fails(settings("compare", "true", "kernel", "scalar")).startsWith("invalid kernel=scalar"));
        assertTrue(fails(settings("compare", "true", "grid", "true")).startsWith("invalid grid=true"));
        assertTrue(fails(settings("compare", "true", "testLimit", "-3")).startsWith("invalid testLimit=-3"));
    }

    @Test
    void aTinyComparisonWritesItsFolder() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Main(settings("compare", "true", "limit", "256", "epochs", "1", "testLimit", "300"),
                new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        String output = bytes.toString(StandardCharsets.UTF_8).strip();
        String last = output.substring(output.lastIndexOf('\n') + 1);
        assertTrue(last.matches("test accuracy: scalar 0\\.\\d{4}, vector 0\\.\\d{4}"), last);
        Path run = tmp.resolve("run");
        String md = Files.readString(run.resolve("comparison.md"));
        assertTrue(md.contains("vector-"), md);
        assertTrue(md.contains("## Where the training time goes"), md);
        assertTrue(Files.size(run.resolve("report.html")) > 0);
    }
}
