package jcnn.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric on the real thing: PyTorch's logits of the seed's with-optimisation weights for the 10,000 official
 * test images (shared/reference), against what the study printed (SEED.md, the report file) and what numpy
 * computes from the same logits.
 *
 * <p>Needs the read-only shared/ folder that sits beside the checkout (as on every developer machine and in CI);
 * skipped, saying so, where it is absent.
 */
class SeedReferenceTest {

    private static int[] labels;
    private static float[] logits;

    @BeforeAll
    static void load() throws IOException {
        Path shared = findShared();
        assumeTrue(shared != null, "shared/ not found beside the checkout: skipping the seed reference checks");
        logits = readLogits(shared.resolve("reference/seed_model_testset_logits.safetensors"));
        labels = readLabels(shared.resolve("fashion-mnist/t10k-labels-idx1-ubyte.gz"));
    }

    @Test
    void accuracyAndConfusionMatrix() {
        int[] predicted = ClassificationMetrics.argmax(logits, 10);
        assertEquals(0.9129, ClassificationMetrics.accuracy(labels, predicted));
        assertEquals(0.9129, ClassificationMetrics.topKAccuracy(labels, logits, 10, 1));
        ConfusionMatrix m = ConfusionMatrix.of(labels, predicted, 10);
        assertArrayEquals(SeedRuns.WITH_OPTIMISATION, m.toArray());
    }

    @Test
    void reportEqualsTheStudysFile() throws IOException {
        String expected;
        try (InputStream in = getClass().getResourceAsStream(
                "/seed/with-optimisation-PredictionAccuracyScoreReport.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ClassificationReportTest.assertReport(expected,
                ClassificationReport.of(labels, ClassificationMetrics.argmax(logits, 10), 10).toString());
    }

    @Test
    void aucsMatchTheStudyAndNumpy() {
        // numpy, rank-based Mann–Whitney on float64 logits: mean = 0.9887294888888889; the study printed 0.98873.
        RocAuc.OneVsRest onLogits = RocAuc.oneVsRest(labels, logits, 10);
        assertEquals(0.9887294888888889, onLogits.macroAuc(), 1e-12);
        assertEquals("0.98873", PythonFormat.fixed(onLogits.macroAuc(), 5));
        // On softmax probabilities (numpy, same method): one-vs-rest 0.9937809888888889. The test set has exactly
        // 1000 images per class, so Hand & Till's M equals it (numpy: 0.993780988888889).
        assertEquals(0.9937809888888889, RocAuc.oneVsRest(labels, logits, 10, ScoreType.SOFTMAX).macroAuc(), 1e-12);
        assertEquals(0.993780988888889, RocAuc.oneVsOne(labels, logits, 10, ScoreType.SOFTMAX).macroAuc(), 1e-12);
    }

    /** shared/ is a sibling of the repository root; the tests run in a module folder below it. */
    private static Path findShared() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared");
            if (Files.isRegularFile(candidate.resolve("reference/seed_model_testset_logits.safetensors"))) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Just enough safetensors for one tensor: an 8-byte little-endian header length, a JSON header, raw
     * little-endian data. (The project's real reader belongs in core.)
     */
    private static float[] readLogits(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = (int) buf.getLong();
        String header = new String(bytes, 8, headerLength, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"logits\":\\{\"dtype\":\"F32\",\"shape\":\\[10000,10],"
                + "\"data_offsets\":\\[(\\d+),(\\d+)]").matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": no F32 (10000, 10) tensor 'logits' in header " + header);
        }
        int begin = 8 + headerLength + Integer.parseInt(m.group(1));
        float[] out = new float[(Integer.parseInt(m.group(2)) - Integer.parseInt(m.group(1))) / 4];
        buf.position(begin);
        buf.asFloatBuffer().get(out);
        return out;
    }

    /** IDX1: magic 0x00000801, count, then one unsigned byte per label. */
    private static int[] readLabels(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != 0x801) {
                throw new IOException(file + ": not an IDX1 label file");
            }
            int[] labels = new int[in.readInt()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = in.readUnsignedByte();
            }
            return labels;
        }
    }
}
