package jcnn.eval.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/im2col.md honest: its picture and its numbers are what the kernels compute today. When a change to
 * the kernels or to the figure's code changes the SVG, this fails with the command that regenerates it.
 */
class Im2colFigureTest {

    private static final String SVG = "docs/images/im2col.svg";
    private static final String DOC = "docs/im2col.md";

    @Test
    void theCommittedFigureIsUpToDate() throws IOException {
        String fresh = Im2colFigure.compute().svg();
        Path file = DocsFiles.root().resolve(SVG);
        if (DocsFiles.update()) {
            Files.writeString(file, fresh, StandardCharsets.UTF_8);
        }
        assertTrue(Files.isRegularFile(file), SVG + " is missing");
        assertEquals(fresh, Files.readString(file, StandardCharsets.UTF_8), SVG + " is out of date; regenerate it with"
                + " mvn -B -o -pl eval -am test -Dtest=Im2colFigureTest -Dsurefire.failIfNoSpecifiedTests=false"
                + " -D" + DocsFiles.UPDATE_PROPERTY + "=true");
    }

    @Test
    void theDocumentQuotesTheNumbersTheKernelsCompute() throws IOException {
        String doc = DocsFiles.read(DOC);
        assertTrue(doc.contains("images/im2col.svg"), DOC + " does not show the figure");
        for (String block : Im2colFigure.compute().numbers().split("\n\n")) {
            assertTrue(doc.contains(block.strip()), DOC + " no longer quotes what the kernels compute; expected:\n"
                    + block);
        }
    }

    @Test
    void theWorkedExampleIsAConvolution() {
        // The GEMM must give what the definition of a convolution gives, or the picture would teach a wrong sum.
        String numbers = Im2colFigure.compute().numbers();
        float[] k = Im2colFigure.KERNEL;
        float[] direct = new float[4];
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        direct[a * 2 + b] += k[i * 3 + j] * ((a + i) * 4 + (b + j) + 1);
                    }
                }
            }
        }
        String expected = "y = W . col = [" + (int) direct[0] + ", " + (int) direct[1] + ", " + (int) direct[2]
                + ", " + (int) direct[3] + "]";
        assertTrue(numbers.contains(expected), () -> "expected " + expected + " in\n" + numbers);
    }
}
