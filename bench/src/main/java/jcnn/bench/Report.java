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
 * <pre>java -cp bench/target/benchmarks.jar jcnn.bench.Report bench/results/quick-*.json</pre>
 *
 * <p>Several files are merged, so runs made under different environments (OpenBLAS wants its own) still make one
 * table. Every figure keeps JMH's 99.9% confidence half-width as a percentage: on a shared machine the noise is
 * part of the result.
 *
 * <p>Non-goals: plotting, comparing runs over time.
 */
public final class Report {

    /** FP32 FMA peak of the project machine with AVX-512, from ANCHORS.md, in GFLOP/s by thread count. */
    static final double PEAK_1T = 199, PEAK_2T = 390;

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

    private final List<Result> results;

    Report(List<Result> results) {
        this.results = results;
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: Report results.json [more.json ...]   (JMH -rf json output)");
            System.exit(2);
        }
        List<Result> all = new ArrayList<>();
        for (String file : args) {
            all.addAll(read(Path.of(file)));
        }
        System.out.print(new Report(all).markdown());
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

    private void gemm(StringBuilder md) {
        List<Result> rows = select(r -> r.benchmark().equals("GemmBench.sgemm"));
        if (rows.isEmpty()) {
            return;
        }
        List<String> configs = configs(rows);
        md.append("\n### sgemm (GFLOP/s and % of the FMA peak: ").append(fmt(PEAK_1T)).append(" at 1 thread, ")
                .append(fmt(PEAK_2T)).append(" at 2)\n\n| shape M×N×K (op) |");
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
                md.append(' ').append(r == null ? "" : withErr(gflops(s, r) + " ("
                        + pct(gflopsOf(s, r) / peak(r.threads())) + ")", r)).append(" |");
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
    // Peers (-Ppeers): OpenBLAS through bytedeco, PyTorch through DJL.

    private void peers(StringBuilder md) {
        List<Result> blas = select(r -> r.benchmark().equals("peers.OpenBlasGemmBench.sgemm"));
        List<Result> torchTrain = select(r -> r.benchmark().equals("peers.DjlTrainStepBench.step"));
        List<Result> torchInfer = select(r -> r.benchmark().equals("peers.DjlInferenceBench.infer"));
        if (blas.isEmpty() && torchTrain.isEmpty() && torchInfer.isEmpty()) {
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
        peerImages(md, torchTrain, "TrainStepBench.step", "training b");
        peerImages(md, torchInfer, "InferenceBench.infer", "inference b");
    }

    private void peerImages(StringBuilder md, List<Result> theirsRows, String ourBenchmark, String what) {
        for (Result theirs : sorted(theirsRows)) {
            int batch = Integer.parseInt(theirs.param("batch"));
            Result ours = ours(ourBenchmark, theirs.threads(), r -> r.param("batch").equals(theirs.param("batch")));
            row(md, what + batch + ", images/s vs PyTorch (DJL)", theirs.threads(), ours,
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

    static double peak(int threads) {
        return threads <= 1 ? PEAK_1T : threads == 2 ? PEAK_2T : PEAK_2T * threads / 2;
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
