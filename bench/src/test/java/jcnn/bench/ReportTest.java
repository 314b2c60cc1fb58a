package jcnn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conversions the README's figures rest on: average time to GFLOP/s, to % of peak, to images/s, and the
 * pairing of a peer with our result at the same thread count.
 */
class ReportTest {

    @TempDir
    Path dir;

    /** One JMH JSON row, reduced to the fields Report reads. */
    private static String row(String benchmark, String params, double score, String unit, String secondary) {
        return "{\"jmhVersion\":\"1.37\",\"benchmark\":\"" + benchmark + "\",\"mode\":\"avgt\",\"threads\":1,"
                + "\"forks\":1,\"jdkVersion\":\"25\",\"vmName\":\"VM\",\"vmVersion\":\"25+1\","
                + "\"warmupIterations\":1,\"warmupTime\":\"1 s\",\"measurementIterations\":5,\"measurementTime\":\"1 s\","
                + "\"params\":{" + params + "},"
                + "\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":" + (score / 100) + ",\"scoreUnit\":\""
                + unit + "\"},\"secondaryMetrics\":{" + secondary + "}}";
    }

    @Test
    void convertsTimesToGflopsImagesPerSecondAndRatios() throws IOException {
        // square 1024: 2 * 1024^3 flops in 10.74 ms = 200 GFLOP/s, 101% of the 199 GFLOP/s one-thread peak
        double ms = 2.0 * 1024 * 1024 * 1024 / 200e9 * 1e3;
        Path file = dir.resolve("r.json");
        Files.writeString(file, "[" + String.join(",", List.of(
                row("jcnn.bench.GemmBench.sgemm", "\"shape\":\"SQ1024\",\"kernel\":\"vector\",\"threads\":\"1\"",
                        ms * 1000, "us/op", ""),
                row("jcnn.bench.peers.OpenBlasGemmBench.sgemm", "\"shape\":\"SQ1024\",\"threads\":\"1\"",
                        ms * 2, "ms/op", ""),
                row("jcnn.bench.TrainStepBench.step", "\"batch\":\"64\",\"kernel\":\"scalar\",\"threads\":\"1\"",
                        32, "ms/op", "\"·gc.alloc.rate.norm\":{\"score\":4800.0,\"scoreUnit\":\"B/op\"}"),
                row("jcnn.bench.peers.DjlTrainStepBench.step", "\"batch\":\"64\",\"threads\":\"2\"", 16, "ms/op", "")))
                + "]");

        List<Report.Result> results = Report.read(file);
        assertEquals(200, Report.gflopsOf(GemmShape.SQ1024, results.get(0)), 1e-9);
        String md = new Report(results).markdown();

        assertTrue(md.contains("| 200 (101%) ±1% |"), md);                       // GFLOP/s and share of peak
        assertTrue(md.contains("| 64 | 2000 ±1% |"), md);                         // 64 images in 32 ms
        assertTrue(md.contains("| 64 | scalar 1t | 4800 |"), md);                 // bytes per step
        assertTrue(md.contains("| 1 | 200 (vector) | 100 | 2.00 |"), md);        // ours / OpenBLAS
        // The scalar kernels stand for ours at any thread count: 2000 images/s against PyTorch's 4000.
        assertTrue(md.contains("| 2 | 2000 (scalar) | 4000 | 0.50 |"), md);
    }
}
