package jcnn.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The same input gives the same bits whichever JIT tier runs the vector code: a child JVM started with
 * {@code -Xint} (every call interpreted) must print what this JVM computes after 30,000 calls (compiled by C2).
 * reduceLanes(ADD) failed this once: its order differs between the two, which made the weight gradient depend on
 * the thread count through timing. The build runs this class in the per-width forks, so every width is checked.
 */
@Tag(Theories.PER_WIDTH)
class VectorJitTierTest {

    /** The reductions whose order could depend on the tier: dot products, a sum, a sum of squares, as bits. */
    static String probe(int calls) {
        Random r = new Random(5);
        int m = 3, n = 2, k = 37;
        float[] a = Compare.random(r, m * k), b = Compare.random(r, n * k), x = Compare.random(r, 101);
        float[] dots = new float[m * n];
        float sum = 0;
        double sumSq = 0;
        for (int i = 0; i < calls; i++) {
            VectorGemm.gemmDots(m, n, k, a, 0, k, b, 0, k, dots, 0, n, false);
            sum = VectorElementwise.sum(x, 0, x.length);
            sumSq = VectorElementwise.sumOfSquares(x.length, x);
        }
        StringBuilder bits = new StringBuilder("vector-" + VectorWidth.BITS);
        for (float d : dots) {
            bits.append(' ').append(Integer.toHexString(Float.floatToRawIntBits(d)));
        }
        bits.append(" sum ").append(Integer.toHexString(Float.floatToRawIntBits(sum)));
        bits.append(" sumOfSquares ").append(Long.toHexString(Double.doubleToRawLongBits(sumSq)));
        return bits.toString();
    }

    /** The child JVM's entry point: one call of each, interpreted under -Xint. */
    public static void main(String[] args) {
        System.out.println(probe(1));
    }

    @Test
    void resultsDoNotDependOnTheJitTier() throws IOException, InterruptedException {
        String compiled = probe(30_000);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Xint", "-Dvector.bits=" + VectorWidth.BITS,
                "-cp", System.getProperty("java.class.path"), VectorJitTierTest.class.getName()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!child.waitFor(120, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("the -Xint JVM did not finish in 120 s: " + output);
        }
        assertEquals(0, child.exitValue(), "the -Xint JVM failed: " + output);
        String interpreted = output.lines().filter(l -> l.startsWith("vector-")).findFirst()
                .orElseThrow(() -> new AssertionError("no result from the -Xint JVM: " + output));
        System.out.println("interpreted: " + interpreted + "\ncompiled:    " + compiled);
        assertEquals(interpreted, compiled, "interpreted (-Xint) vs compiled (C2) bits");
    }
}
