package jcnn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
        // square 1024: 2 * 1024^3 flops in 10.74 ms = 200 GFLOP/s, 80% of the 250 GFLOP/s one-thread peak of this run
        double ms = 2.0 * 1024 * 1024 * 1024 / 200e9 * 1e3;
        Path file = dir.resolve("r.json");
        Files.writeString(file, "[" + String.join(",", List.of(
                peakRow(1, 250),
                row("jcnn.bench.GemmBench.sgemm", "\"shape\":\"SQ1024\",\"kernel\":\"vector\",\"threads\":\"1\"",
                        ms * 1000, "us/op", ""),
                row("jcnn.bench.peers.OpenBlasGemmBench.sgemm", "\"shape\":\"SQ1024\",\"threads\":\"1\"",
                        ms * 2, "ms/op", ""),
                row("jcnn.bench.TrainStepBench.step", "\"batch\":\"64\",\"kernel\":\"scalar\",\"threads\":\"1\"",
                        32, "ms/op", "\"·gc.alloc.rate.norm\":{\"score\":4800.0,\"scoreUnit\":\"B/op\"}"),
                row("jcnn.bench.peers.DjlTrainStepBench.step", "\"batch\":\"64\",\"threads\":\"2\"", 16, "ms/op", "")))
                + "]");

        List<Report.Result> results = Report.read(file);
        assertEquals(200, Report.gflopsOf(GemmShape.SQ1024, results.get(1)), 1e-9);
        String md = new Report(results).markdown();

        assertTrue(md.contains("| 200 (80%) ±1% |"), md);                        // GFLOP/s and share of peak
        assertTrue(md.contains("| 64 | 2000 ±1% |"), md);                         // 64 images in 32 ms
        assertTrue(md.contains("| 64 | scalar 1t | 4800 |"), md);                 // bytes per step
        assertTrue(md.contains("| 1 | 200 (vector) | 100 | 2.00 |"), md);        // ours / OpenBLAS
        // The scalar kernels stand for ours at any thread count: 2000 images/s against PyTorch's 4000.
        assertTrue(md.contains("| 2 | 2000 (scalar) | 4000 | 0.50 |"), md);
    }

    /** Inference peers: PyTorch and ONNX Runtime each get their own row against our one figure. */
    @Test
    void printsBothInferencePeers() throws IOException {
        Path file = dir.resolve("infer.json");
        Files.writeString(file, "[" + String.join(",", List.of(
                row("jcnn.bench.InferenceBench.infer", "\"batch\":\"1000\",\"kernel\":\"vector\",\"threads\":\"1\"",
                        50, "ms/op", ""),
                row("jcnn.bench.peers.DjlInferenceBench.infer", "\"batch\":\"1000\",\"threads\":\"1\"", 100,
                        "ms/op", ""),
                row("jcnn.bench.peers.OrtInferenceBench.infer", "\"batch\":\"1000\",\"threads\":\"1\"", 20,
                        "ms/op", ""))) + "]");
        String md = new Report(Report.read(file)).markdown();
        // 1000 images in 50 ms = 20,000 images/s; PyTorch 10,000 (2.00x), ONNX Runtime 50,000 (0.40x).
        assertTrue(md.contains("inference b1000, images/s vs PyTorch (DJL) | 1 | 20000 (vector) | 10000 | 2.00 |"), md);
        assertTrue(md.contains("inference b1000, images/s vs ONNX Runtime | 1 | 20000 (vector) | 50000 | 0.40 |"), md);
    }

    /** A FmaPeakBench row whose average time is that many GFLOP/s at that thread count. */
    private static String peakRow(int threads, double gflops) {
        double us = 2.0 * FmaPeakBench.LANE_FMAS_PER_THREAD * threads / (gflops * 1e9) * 1e6;
        return row("jcnn.bench.FmaPeakBench.fma", "\"threads\":\"" + threads + "\"", us, "us/op", "");
    }

    private static String sq1024(int threads, double gflops) {
        double us = 2.0 * 1024 * 1024 * 1024 / (gflops * 1e9) * 1e6;
        return row("jcnn.bench.GemmBench.sgemm",
                "\"shape\":\"SQ1024\",\"kernel\":\"vector\",\"threads\":\"" + threads + "\"", us, "us/op", "");
    }

    private List<Report.Result> results(String... rows) throws IOException {
        Path file = dir.resolve("peak.json");
        Files.writeString(file, "[" + String.join(",", rows) + "]");
        return Report.read(file);
    }

    @Test
    void sharesOfPeakUseThePeakOfTheSameRunAtTheSameThreadCount() throws IOException {
        // Two peak runs merged at one thread: the better one is the peak (slower runs are interference).
        Report report = new Report(results(peakRow(1, 100), peakRow(1, 125), peakRow(2, 240),
                sq1024(1, 100), sq1024(2, 180)));
        assertEquals(125, report.peak(1), 1e-9);
        assertEquals(240, report.peak(2), 1e-9);
        String md = report.markdown();
        assertTrue(md.contains("Java FMA peak of this run: 125 at 1 thread, 240 at 2 threads"), md);
        assertTrue(md.contains("| 100 (80%) ±1% | 180 (75%) ±1% |"), md);
        assertTrue(md.contains("| 1 | 125 ±1% | not measured |"), md);      // no C peak given
    }

    @Test
    void saysPeakNotMeasuredInsteadOfAFigure() throws IOException {
        // A peak at one thread only: the two-thread column has no share, and says why.
        Report report = new Report(results(peakRow(1, 125), sq1024(1, 100), sq1024(2, 180)));
        assertTrue(Double.isNaN(report.peak(2)));
        String md = report.markdown();
        assertTrue(md.contains("125 at 1 thread, peak not measured at 2 threads"), md);
        assertTrue(md.contains("| 100 (80%) ±1% | 180 ±1% |"), md);

        String none = new Report(results(sq1024(1, 100))).markdown();
        assertTrue(none.contains("peak not measured at 1 thread"), none);
        assertTrue(none.contains("| 100 ±1% |"), none);
        assertFalse(none.contains("%)"), none);                              // no share anywhere
        assertFalse(none.contains("FMA peak measured in this run"), none);   // and no peak table
    }

    @Test
    void printsTheCPeakBesideTheJavaPeak() throws IOException {
        Path out = dir.resolve("fma-peak.txt");
        Files.writeString(out, "# C FMA peak: gcc vector extensions, 256-bit (AVX2+FMA), 12 accumulators\n"
                + "threads=1 gflops=130.2 best=140\nthreads=2 gflops=250\n");
        Report.NativePeak c = Report.readNativePeak(out);
        assertEquals(130.2, c.gflops().get(1), 1e-9);
        String md = new Report(results(peakRow(1, 125), sq1024(1, 100)), c).markdown();
        assertTrue(md.contains("C: gcc vector extensions, 256-bit (AVX2+FMA)"), md);
        assertTrue(md.contains("| 1 | 125 ±1% | 130; 140 |"), md);
        assertTrue(md.contains("| 2 | not measured | 250 |"), md);
        // The GEMM share stays the Java one: the C peak is context, not the divisor.
        assertTrue(md.contains("| 100 (80%) ±1% |"), md);
    }

    @Test
    void aMalformedCPeakFileIsNamedWithWhatWasExpected() throws IOException {
        Path out = dir.resolve("bad.txt");
        Files.writeString(out, "# header\nthreads=1 gflops=1.0\nsegmentation fault\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Report.readNativePeak(out));
        assertTrue(e.getMessage().contains(out.toString()) && e.getMessage().contains("threads=N gflops=X"),
                e.getMessage());
        Files.writeString(out, "# header only\n");
        e = assertThrows(IllegalArgumentException.class, () -> Report.readNativePeak(out));
        assertTrue(e.getMessage().contains("did fma-peak run?"), e.getMessage());
    }
}
