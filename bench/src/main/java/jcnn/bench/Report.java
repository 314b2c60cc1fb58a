package jcnn.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Turns JMH JSON results ({@code -rf json}) into the Markdown tables the README shows: sgemm in GFLOP/s and as a
 * share of the FMA peak, the convolution and pooling kernels in microseconds, the training step and inference
 * in images/s, the allocation per training step when {@code -prof gc} ran, and, when the peer benchmarks
 * ({@code -Ppeers}) are in the files, the ratios ours / theirs.
 *
 * <pre>java -cp bench/target/benchmarks.jar jcnn.bench.Report [--c-peak fma-peak.txt] bench/results/quick-*.json</pre>
 *
 * <p>"% of peak" divides by the Java FMA peak ({@link FmaPeakBench}) read from the same results at the same thread
 * count, never by a constant: a peak measured on another day or another host is a wrong figure (it once printed
 * 101%). Without that benchmark in the results the table says "peak not measured". The C FMA peak
 * ({@code src/main/c/fma-peak.c}, run by the scripts when a C compiler is present) is printed beside the Java one
 * when its output is passed with {@code --c-peak}.
 *
 * <p>Several files are merged, so runs made under different environments (OpenBLAS wants its own) still make one
 * table. Every figure keeps JMH's 99.9% confidence half-width as a percentage: on a shared machine the noise is
 * part of the result.
 *
 * <p>Non-goals: plotting, comparing runs over time.
 */
public final class Report {

    /** One JMH result row. */
    record Result(String benchmark, Map<String, String> params, double seconds, double relError, Double allocBytes,
                  String jdk, String runInfo) {

        String param(String name) {
            return params.getOrDefault(name, "");
        }

        int threads() {
            String t = param("threads");
            return t.isEmpty() ? 1 : Integer.parseInt(t);
        }

        /** Our column key, e.g. "vector 2t"; peers have no kernel parameter. */
        String config() {
            return param("kernel") + " " + threads() + "t";
        }
    }

    /**
     * The output of {@code fma-peak.c}: what ran (its '#' line), and by thread count the GFLOP/s over all its runs
     * (the statistic of JMH's average time) and of its best run (NaN when the file has none).
     */
    record NativePeak(String label, Map<Integer, Double> gflops, Map<Integer, Double> best) {
    }

    private final List<Result> results;
    private final NativePeak nativePeak;

    Report(List<Result> results) {
        this(results, null);
    }

    Report(List<Result> results, NativePeak nativePeak) {
        this.results = results;
        this.nativePeak = nativePeak;
    }

    public static void main(String[] args) throws IOException {
        List<Result> all = new ArrayList<>();
        NativePeak nativePeak = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--c-peak")) {
                if (i + 1 == args.length) {
                    usage("--c-peak needs the file fma-peak printed");
                }
                nativePeak = readNativePeak(Path.of(args[++i]));
            } else {
                all.addAll(read(Path.of(args[i])));
            }
        }
        if (all.isEmpty()) {
            usage("no JMH results given");
        }
        System.out.print(new Report(all, nativePeak).markdown());
    }

    private static void usage(String why) {
        System.err.println(why + "\nusage: Report [--c-peak fma-peak.txt] results.json [more.json ...]"
                + "   (JMH -rf json output; fma-peak.txt from bench/src/main/c/fma-peak.c)");
        System.exit(2);
    }

    private static final java.util.regex.Pattern NATIVE_LINE =
            java.util.regex.Pattern.compile("threads=(\\d+) gflops=([0-9.]+)(?: best=([0-9.]+))?");

    /** Reads fma-peak's output: a '#' line, then lines {@code threads=N gflops=X [best=Y]}. */
    static NativePeak readNativePeak(Path file) throws IOException {
        String label = "C FMA peak";
        Map<Integer, Double> gflops = new TreeMap<>(), best = new TreeMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            line = line.trim();
            if (line.startsWith("#")) {
                label = line.substring(1).trim().replaceFirst("^C FMA peak: ", "");
            } else if (!line.isEmpty()) {
                java.util.regex.Matcher m = NATIVE_LINE.matcher(line);
                if (!m.matches()) {
                    throw new IllegalArgumentException(file + ": expected lines 'threads=N gflops=X' (the output of"
                            + " fma-peak), got '" + line + "'");
                }
                int threads = Integer.parseInt(m.group(1));
                gflops.put(threads, Double.parseDouble(m.group(2)));
                best.put(threads, m.group(3) == null ? Double.NaN : Double.parseDouble(m.group(3)));
            }
        }
        if (gflops.isEmpty()) {
            throw new IllegalArgumentException(file + ": no 'threads=N gflops=X' line: did fma-peak run?");
        }
        return new NativePeak(label, gflops, best);
    }

    static List<Result> read(Path file) throws IOException {
        List<Result> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonArray rows = JsonParser.parseReader(r).getAsJsonArray();
            for (JsonElement e : rows) {
                JsonObject row = e.getAsJsonObject();
                String name = row.get("benchmark").getAsString();
                // "jcnn.bench.GemmBench.sgemm" -> "GemmBench.sgemm"; peers keep their package: "peers.OpenBlasGemmBench.sgemm"
                String shortName = name.startsWith("jcnn.bench.") ? name.substring("jcnn.bench.".length()) : name;
                Map<String, String> params = new TreeMap<>();
                if (row.has("params")) {
                    for (Map.Entry<String, JsonElement> p : row.getAsJsonObject("params").entrySet()) {
                        params.put(p.getKey(), p.getValue().getAsString());
                    }
                }
                JsonObject primary = row.getAsJsonObject("primaryMetric");
                double score = primary.get("score").getAsDouble();
                double error = primary.get("scoreError").getAsDouble();
                double seconds = score * secondsPer(primary.get("scoreUnit").getAsString());
                Double alloc = null;
                if (row.has("secondaryMetrics")) {
                    for (Map.Entry<String, JsonElement> m : row.getAsJsonObject("secondaryMetrics").entrySet()) {
                        if (m.getKey().endsWith("gc.alloc.rate.norm")) {
                            alloc = m.getValue().getAsJsonObject().get("score").getAsDouble();
                        }
                    }
                }
                String jdk = row.get("jdkVersion").getAsString() + " (" + row.get("vmName").getAsString() + " "
                        + row.get("vmVersion").getAsString() + ")";
                String runInfo = "JMH " + row.get("jmhVersion").getAsString() + ", " + row.get("forks").getAsInt()
                        + " fork(s), " + row.get("warmupIterations").getAsInt() + " x " + row.get("warmupTime").getAsString()
                        + " warm-up, " + row.get("measurementIterations").getAsInt() + " x "
                        + row.get("measurementTime").getAsString() + " measured";
                double rel = Double.isFinite(error) && score != 0 ? error / score : Double.NaN;
                out.add(new Result(shortName, params, seconds, rel, alloc, jdk, runInfo));
            }
        }
        return out;
    }

    /** Seconds in one unit of an average-time score such as "us/op". */
    static double secondsPer(String unit) {
        switch (unit) {
            case "s/op": return 1;
            case "ms/op": return 1e-3;
            case "us/op": return 1e-6;
            case "ns/op": return 1e-9;
            default: throw new IllegalArgumentException("unsupported score unit " + unit
                    + ": run the benchmarks in their default average-time mode");
        }
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        Set<String> jdks = new LinkedHashSet<>(), runs = new LinkedHashSet<>();
        for (Result r : results) {
            jdks.add(r.jdk());
            runs.add(r.runInfo());
        }
        md.append("JDK ").append(String.join("; ", jdks)).append(". ").append(String.join("; ", runs)).append(".\n");
        peaks(md);
        gemm(md);
        timeTable(md, "Convolution and pooling kernels, batch 64 (µs per op, lower is better)",
                r -> r.benchmark().startsWith("ConvBench.") || r.benchmark().startsWith("PoolBench."),
                r -> (r.param("layer") + " " + r.benchmark().substring(r.benchmark().indexOf('.') + 1)));
        imagesTable(md, "Training step of the seed CNN (images/s, forward + backward + SGD, buffer pool)",
                "TrainStepBench.step");
        imagesTable(md, "Inference of the seed CNN (images/s, NoGrad)", "InferenceBench.infer");
        allocation(md);
        peers(md);
        return md.toString();
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The FMA peaks of this run, Java and (when given) C, by thread count. */
    private void peaks(StringBuilder md) {
        Set<Integer> threads = new java.util.TreeSet<>();
        select(r -> r.benchmark().equals(FMA_PEAK)).forEach(r -> threads.add(r.threads()));
        if (nativePeak != null) {
            threads.addAll(nativePeak.gflops().keySet());
        }
        if (threads.isEmpty()) {
            return;
        }
        md.append("\n### FMA peak measured in this run (GFLOP/s; Java: FmaPeakBench, the species in use, JMH average"
                + " time; C: ")
                .append(nativePeak == null ? "not run" : nativePeak.label()).append(")\n\n")
                .append("| threads | Java | C (mean; best run) |\n|---:|---:|---:|\n");
        for (int t : threads) {
            Result java = peakResult(t);
            Double c = nativePeak == null ? null : nativePeak.gflops().get(t);
            md.append("| ").append(t).append(" | ")
                    .append(java == null ? "not measured" : withErr(fmt(peakGflops(java)), java)).append(" | ")
                    .append(c == null ? "not measured" : fmt(c) + nativeBest(t)).append(" |\n");
        }
    }

    private String nativeBest(int threads) {
        Double b = nativePeak.best().get(threads);
        return b == null || b.isNaN() ? "" : "; " + fmt(b);
    }

    private void gemm(StringBuilder md) {
        List<Result> rows = select(r -> r.benchmark().equals("GemmBench.sgemm"));
        if (rows.isEmpty()) {
            return;
        }
        List<String> configs = configs(rows);
        Set<Integer> threadCounts = new java.util.TreeSet<>();
        rows.forEach(r -> threadCounts.add(r.threads()));
        List<String> peakText = new ArrayList<>();
        for (int t : threadCounts) {
            double p = peak(t);
            peakText.add((Double.isNaN(p) ? "peak not measured" : fmt(p)) + " at " + t
                    + (t == 1 ? " thread" : " threads"));
        }
        md.append("\n### sgemm (GFLOP/s and % of the Java FMA peak of this run: ").append(String.join(", ", peakText))
                .append(")\n\n| shape M×N×K (op) |");
        configs.forEach(c -> md.append(' ').append(c).append(" |"));
        md.append("\n|---|").append("---:|".repeat(configs.size())).append('\n');
        for (GemmShape s : GemmShape.values()) {
            Map<String, Result> byConfig = byConfig(rows, r -> r.param("shape").equals(s.name()));
            if (byConfig.isEmpty()) {
                continue;
            }
            md.append("| ").append(s.label()).append(" |");
            for (String c : configs) {
                Result r = byConfig.get(c);
                double p = r == null ? Double.NaN : peak(r.threads());
                md.append(' ').append(r == null ? "" : withErr(gflops(s, r)
                        + (Double.isNaN(p) ? "" : " (" + pct(gflopsOf(s, r) / p) + ")"), r)).append(" |");
            }
            md.append('\n');
        }
    }

    private void timeTable(StringBuilder md, String title, Predicate<Result> which,
                           java.util.function.Function<Result, String> rowKey) {
        List<Result> rows = select(which);
        if (rows.isEmpty()) {
            return;
        }
        List<String> configs = configs(rows);
        Map<String, Map<String, Result>> table = new LinkedHashMap<>();
        for (Result r : rows) {
            table.computeIfAbsent(rowKey.apply(r), key -> new TreeMap<>()).put(r.config(), r);
        }
        md.append("\n### ").append(title).append("\n\n| kernel |");
        configs.forEach(c -> md.append(' ').append(c).append(" |"));
        md.append("\n|---|").append("---:|".repeat(configs.size())).append('\n');
        new TreeMap<>(table).forEach((key, byConfig) -> {
            md.append("| ").append(key).append(" |");
            for (String c : configs) {
                Result r = byConfig.get(c);
                md.append(' ').append(r == null ? "" : withErr(fmt(r.seconds() * 1e6), r)).append(" |");
            }
            md.append('\n');
        });
    }

    private void imagesTable(StringBuilder md, String title, String benchmark) {
        List<Result> rows = select(r -> r.benchmark().equals(benchmark));
        if (rows.isEmpty()) {
            return;
        }
        List<String> configs = configs(rows);
        Map<Integer, Map<String, Result>> table = new TreeMap<>();
        for (Result r : rows) {
            table.computeIfAbsent(Integer.parseInt(r.param("batch")), b -> new TreeMap<>()).put(r.config(), r);
        }
        md.append("\n### ").append(title).append("\n\n| batch |");
        configs.forEach(c -> md.append(' ').append(c).append(" |"));
        md.append("\n|---|").append("---:|".repeat(configs.size())).append('\n');
        table.forEach((batch, byConfig) -> {
            md.append("| ").append(batch).append(" |");
            for (String c : configs) {
                Result r = byConfig.get(c);
                md.append(' ').append(r == null ? "" : withErr(fmt(batch / r.seconds()), r)).append(" |");
            }
            md.append('\n');
        });
        if (configs.contains("scalar 1t") && !configs.contains("scalar 2t")) {
            md.append("\nThe scalar kernels are single-threaded by design: scalar at 2 threads is the 1-thread figure.\n");
        }
    }

    private void allocation(StringBuilder md) {
        List<Result> rows = select(r -> r.allocBytes() != null && r.benchmark().equals("TrainStepBench.step"));
        if (rows.isEmpty()) {
            return;
        }
        md.append("\n### Allocation per training step (-prof gc, gc.alloc.rate.norm; target <= 1 KB)\n\n")
                .append("| batch | kernels | bytes per step |\n|---|---|---:|\n");
        for (Result r : rows) {
            md.append("| ").append(r.param("batch")).append(" | ").append(r.config()).append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f", r.allocBytes())).append(" |\n");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Peers (-Ppeers): OpenBLAS through bytedeco, PyTorch through DJL, ONNX Runtime.

    private void peers(StringBuilder md) {
        List<Result> blas = select(r -> r.benchmark().equals("peers.OpenBlasGemmBench.sgemm"));
        List<Result> torchTrain = select(r -> r.benchmark().equals("peers.DjlTrainStepBench.step"));
        List<Result> torchInfer = select(r -> r.benchmark().equals("peers.DjlInferenceBench.infer"));
        List<Result> ortInfer = select(r -> r.benchmark().equals("peers.OrtInferenceBench.infer"));
        if (blas.isEmpty() && torchTrain.isEmpty() && torchInfer.isEmpty() && ortInfer.isEmpty()) {
            return;
        }
        md.append("\n### Peers side by side (same run, same shapes and batches; ratio = ours / theirs)\n\n")
                .append("| what | threads | ours | theirs | ours / theirs |\n|---|---:|---:|---:|---:|\n");
        for (Result theirs : sorted(blas)) {
            GemmShape s = GemmShape.valueOf(theirs.param("shape"));
            Result ours = ours("GemmBench.sgemm", theirs.threads(), r -> r.param("shape").equals(s.name()));
            row(md, "sgemm " + s.label() + ", GFLOP/s vs OpenBLAS", theirs.threads(), ours,
                    ours == null ? Double.NaN : gflopsOf(s, ours), gflopsOf(s, theirs));
        }
        peerImages(md, torchTrain, "TrainStepBench.step", "training b", "PyTorch (DJL)");
        peerImages(md, torchInfer, "InferenceBench.infer", "inference b", "PyTorch (DJL)");
        peerImages(md, ortInfer, "InferenceBench.infer", "inference b", "ONNX Runtime");
    }

    private void peerImages(StringBuilder md, List<Result> theirsRows, String ourBenchmark, String what,
                            String peer) {
        for (Result theirs : sorted(theirsRows)) {
            int batch = Integer.parseInt(theirs.param("batch"));
            Result ours = ours(ourBenchmark, theirs.threads(), r -> r.param("batch").equals(theirs.param("batch")));
            row(md, what + batch + ", images/s vs " + peer, theirs.threads(), ours,
                    ours == null ? Double.NaN : batch / ours.seconds(), batch / theirs.seconds());
        }
    }

    private static void row(StringBuilder md, String what, int threads, Result ours, double ourValue,
                            double theirValue) {
        md.append("| ").append(what).append(" | ").append(threads).append(" | ")
                .append(ours == null ? "not run" : fmt(ourValue) + " (" + ours.param("kernel") + ")").append(" | ")
                .append(fmt(theirValue)).append(" | ")
                .append(ours == null ? "" : String.format(Locale.ROOT, "%.2f", ourValue / theirValue)).append(" |\n");
    }

    /** Our matching result at that thread count: the vector kernels when they ran, else the scalar ones. */
    private Result ours(String benchmark, int threads, Predicate<Result> match) {
        Result scalar = null;
        for (Result r : results) {
            if (!r.benchmark().equals(benchmark) || !match.test(r)) {
                continue;
            }
            if (r.param("kernel").equals("vector") && r.threads() == threads) {
                return r;
            }
            if (r.param("kernel").equals("scalar")) {
                scalar = r;   // single-threaded: the same figure at any thread count
            }
        }
        return scalar;
    }

    // ---------------------------------------------------------------------------------------------------------

    private List<Result> select(Predicate<Result> which) {
        List<Result> out = new ArrayList<>();
        for (Result r : results) {
            if (which.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Peer rows in table order: GEMM shapes in {@link GemmShape} order, else by batch; then by threads. */
    private static List<Result> sorted(List<Result> rows) {
        List<Result> out = new ArrayList<>(rows);
        out.sort(java.util.Comparator.<Result>comparingInt(r -> r.param("shape").isEmpty() ? 0
                        : GemmShape.valueOf(r.param("shape")).ordinal())
                .thenComparingInt(r -> r.param("batch").isEmpty() ? 0 : Integer.parseInt(r.param("batch")))
                .thenComparingInt(Result::threads));
        return out;
    }

    /** Column keys in a stable, readable order: scalar before vector, then by thread count. */
    private static List<String> configs(List<Result> rows) {
        Set<String> seen = new LinkedHashSet<>();
        rows.stream()
                .sorted((x, y) -> x.param("kernel").equals(y.param("kernel"))
                        ? Integer.compare(x.threads(), y.threads()) : x.param("kernel").compareTo(y.param("kernel")))
                .forEach(r -> seen.add(r.config()));
        return new ArrayList<>(seen);
    }

    private static Map<String, Result> byConfig(List<Result> rows, Predicate<Result> which) {
        Map<String, Result> out = new TreeMap<>();
        for (Result r : rows) {
            if (which.test(r)) {
                out.put(r.config(), r);
            }
        }
        return out;
    }

    static double gflopsOf(GemmShape s, Result r) {
        return s.flops() / r.seconds() / 1e9;
    }

    private static String gflops(GemmShape s, Result r) {
        return fmt(gflopsOf(s, r));
    }

    static final String FMA_PEAK = "FmaPeakBench.fma";

    /** The best FmaPeakBench row at that thread count (files from several runs may be merged), or null. */
    private Result peakResult(int threads) {
        Result best = null;
        for (Result r : select(r -> r.benchmark().equals(FMA_PEAK) && r.threads() == threads)) {
            if (best == null || r.seconds() < best.seconds()) {
                best = r;
            }
        }
        return best;
    }

    static double peakGflops(Result r) {
        // The constant is inlined by javac: Report never loads FmaPeakBench, so it runs without the incubator module.
        return 2.0 * FmaPeakBench.LANE_FMAS_PER_THREAD * r.threads() / r.seconds() / 1e9;
    }

    /** The Java FMA peak of these results at that thread count in GFLOP/s; NaN when it was not measured. */
    double peak(int threads) {
        Result r = peakResult(threads);
        return r == null ? Double.NaN : peakGflops(r);
    }

    /** Three significant figures at most, no exponent: 0.0123, 1.23, 12.3, 1234. */
    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        // Thresholds just below the powers of ten, so that 99.99 prints as "100", not "100.0".
        String pattern = a >= 99.95 ? "%.0f" : a >= 9.995 ? "%.1f" : a >= 0.9995 ? "%.2f" : "%.3g";
        return String.format(Locale.ROOT, pattern, v);
    }

    /** A share as a percentage: "0.5%", "83%". */
    static String pct(double share) {
        return String.format(Locale.ROOT, share < 0.1 ? "%.1f%%" : "%.0f%%", 100 * share);
    }

    /**
     * A value with JMH's 99.9% confidence half-width, relative: "155 ±3%"; the value alone when JMH gave none
     * (fewer than three iterations).
     */
    private static String withErr(String value, Result r) {
        return Double.isFinite(r.relError()) ? value + String.format(Locale.ROOT, " ±%.0f%%", 100 * r.relError())
                : value;
    }
}
