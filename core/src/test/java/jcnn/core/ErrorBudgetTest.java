package jcnn.core;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jcnn.core.io.Safetensors;
import jcnn.kernels.KernelProvider;
import jcnn.kernels.Kernels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The error budget: on every op and kernel path, our float32 results must be as close to the exact (float64)
 * answer as PyTorch's own float32 results are, on cases chosen to stress float32 (long reductions, large logits,
 * many classes). See docs/error-budget.md.
 *
 * <p>The cases are the files under {@code float64/} in the test resources, written by
 * {@code core/src/test/python/float64_oracles.py}: float32 inputs, the float64 answer ({@code f64.*}, float64 bit
 * patterns stored as I64) and PyTorch float32's answer ({@code f32.*}) on the same inputs. For each output tensor
 * the test measures the max and mean absolute error of ours and of PyTorch's against float64 and fails when either
 * of ours exceeds PyTorch's by more than {@link #SLACK} (25%) plus a floor of {@link #FLOOR} times the RMS of the
 * exact answer, so that an op both compute exactly (ReLU, pooling) compares 0 with 0 without dividing.
 *
 * <p>Kernel paths: the scalar reference, and the vector kernels at this JVM's width ({@code -Dvector.bits}, the
 * CPU's preferred width by default). The build runs this class again in JVMs forked with {@code -Dvector.bits=128}
 * and {@code 256} (core/pom.xml), so every width is measured. After all cases the test prints the table that
 * docs/error-budget.md quotes: errors relative to the RMS of the exact answer, in units of the float32 unit
 * roundoff u = 2^-24 (a correctly rounded result is within 0.5 u of each value, relative to that value).
 */
class ErrorBudgetTest {

    /** How much larger than PyTorch's error ours may be. */
    static final double SLACK = 1.25;
    /** The absolute floor, relative to the RMS of the exact answer: a sixteenth of float32's unit roundoff. */
    static final double FLOOR = 0x1p-28;
    /** float32's unit roundoff, the unit of the printed table. */
    static final double U = 0x1p-24;

    /** One measured output: errors against float64 as max and mean absolute differences. */
    record Row(String file, String output, String kernels, double rms,
               double oursMax, double oursMean, double torchMax, double torchMean, int oursWorst) {

        boolean withinBudget() {
            double floor = FLOOR * rms;
            return oursMax <= SLACK * torchMax + floor && oursMean <= SLACK * torchMean + floor;
        }
    }

    private static final List<Row> ROWS = new ArrayList<>();

    static Stream<Named<Supplier<Kernels>>> kernels() {
        return Stream.of(Named.of("scalar", KernelProvider::scalar),
                Named.of("vector", ErrorBudgetTest::vectorAtThisWidth));
    }

    /** The vector kernels at the width this JVM was started with (-Dvector.bits), two threads. */
    private static Kernels vectorAtThisWidth() {
        assumeTrue(KernelProvider.vectorAvailable(),
                "the Vector API is not loaded: add " + KernelProvider.VECTOR_FLAG);
        Properties p = new Properties();
        p.setProperty("kernel", "vector");
        p.setProperty("threads", "2");
        p.setProperty("vector.bits", System.getProperty("vector.bits", "-1"));
        return KernelProvider.fromProperties(p);
    }

    static List<String> files() throws IOException {
        URL url = ErrorBudgetTest.class.getResource("/float64");
        if (url == null) {
            throw new IllegalStateException("no float64/ folder in the test resources: run"
                    + " core/src/test/python/float64_oracles.py");
        }
        try (Stream<Path> s = Files.list(Path.of(url.toURI()))) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".safetensors"))
                    .map(n -> n.substring(0, n.length() - ".safetensors".length()))
                    .sorted().toList();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> cases() throws IOException {
        List<String> files = files();
        return kernels().flatMap(k -> files.stream().map(f -> Arguments.of(k, f)));
    }

    @Test
    void everyOpHasCases() throws IOException {
        // A budget over no files would pass for nothing: each op of Ops must be measured.
        TreeSet<String> ops = new TreeSet<>();
        for (String f : files()) {
            ops.add(load(f).metadata().get("op"));
        }
        assertTrue(ops.containsAll(List.of("conv2d", "linear", "max_pool2d", "relu", "cross_entropy",
                "log_softmax", "add", "mul", "sum")), "ops with float64 cases: " + ops);
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void asCloseToFloat64AsPyTorch(Supplier<Kernels> kernels, String file) throws Exception {
        Safetensors f = load(file);
        Kernels k = kernels.get();
        int[] target = f.contains("target") ? f.ints("target") : null;
        Map<String, float[]> ours = Engine.using(k, () -> run(f, target));
        List<String> failures = new ArrayList<>();
        for (String output : f.metadata().get("outputs").split(",")) {
            float[] mine = ours.get(output);
            if (mine == null) {
                throw new IllegalStateException(file + ": the test does not compute output '" + output + "'");
            }
            Row r = measure(file, output, k.name(), exact(f, output), f.tensor("f32." + output).data(), mine);
            synchronized (ROWS) {
                ROWS.add(r);
            }
            if (!r.withinBudget()) {
                failures.add(String.format(Locale.ROOT,
                        "%s %s on %s: ours max %.3g mean %.3g (worst at flat index %d), PyTorch float32 max %.3g"
                                + " mean %.3g, allowed max %.3g mean %.3g (absolute, against float64)",
                        file, output, k.name(), r.oursMax(), r.oursMean(), r.oursWorst(), r.torchMax(),
                        r.torchMean(), SLACK * r.torchMax() + FLOOR * r.rms(),
                        SLACK * r.torchMean() + FLOOR * r.rms()));
            }
        }
        assertTrue(failures.isEmpty(), () -> "over the error budget:\n  " + String.join("\n  ", failures));
    }

    /** Runs the file's op through the public ops, forward and backward; each output by its name in the file. */
    static Map<String, float[]> run(Safetensors f, int[] target) {
        Map<String, float[]> out = new LinkedHashMap<>();
        String op = f.metadata().get("op");
        switch (op) {
            case "conv2d", "linear" -> {
                Tensor x = f.tensor("x").requiresGrad(true);
                Tensor w = f.tensor("weight").requiresGrad(true);
                Tensor b = f.tensor("bias").requiresGrad(true);
                Tensor y = op.equals("linear") ? Ops.linear(x, w, b)
                        : Ops.conv2d(x, w, b, meta(f, "s"), meta(f, "p"));
                y.backward(f.tensor("grad_y"));
                out.put("y", y.data());
                out.put("grad_x", x.grad());
                out.put("grad_weight", w.grad());
                out.put("grad_bias", b.grad());
            }
            case "max_pool2d", "relu", "log_softmax" -> {
                Tensor x = f.tensor("x").requiresGrad(true);
                Tensor y = switch (op) {
                    case "max_pool2d" -> Ops.maxPool2d(x, meta(f, "k"), meta(f, "s"));
                    case "relu" -> Ops.relu(x);
                    default -> Ops.logSoftmax(x);
                };
                y.backward(f.tensor("grad_y"));
                out.put("y", y.data());
                out.put("grad_x", x.grad());
            }
            case "cross_entropy" -> {
                Tensor logits = f.tensor("logits").requiresGrad(true);
                Tensor loss = Ops.crossEntropy(logits, target);
                loss.backward();
                out.put("loss", loss.data());
                out.put("grad_logits", logits.grad());
            }
            case "add", "mul" -> {
                Tensor a = f.tensor("a").requiresGrad(true);
                Tensor b = f.tensor("b").requiresGrad(true);
                Tensor y = op.equals("add") ? Ops.add(a, b) : Ops.mul(a, b);
                y.backward(f.tensor("grad_y"));
                out.put("y", y.data());
                out.put("grad_a", a.grad());
                out.put("grad_b", b.grad());
            }
            case "sum" -> out.put("y", Ops.sum(f.tensor("x")).data());
            default -> throw new IllegalArgumentException("float64 case with unknown op '" + op + "'");
        }
        return out;
    }

    static Row measure(String file, String output, String kernels, double[] exact, float[] torch, float[] ours) {
        if (exact.length != ours.length || exact.length != torch.length) {
            throw new IllegalStateException(file + " " + output + ": float64 has " + exact.length
                    + " values, PyTorch float32 " + torch.length + ", ours " + ours.length);
        }
        double sumSq = 0, oursMax = 0, oursSum = 0, torchMax = 0, torchSum = 0;
        int worst = 0;
        for (int i = 0; i < exact.length; i++) {
            sumSq += exact[i] * exact[i];
            double e = Math.abs(ours[i] - exact[i]), t = Math.abs(torch[i] - exact[i]);
            if (!(e <= oursMax)) {     // a NaN is the worst error there is
                oursMax = e;
                worst = i;
            }
            torchMax = Math.max(torchMax, t);
            oursSum += e;
            torchSum += t;
        }
        int n = Math.max(1, exact.length);
        return new Row(file, output, kernels, Math.sqrt(sumSq / n), oursMax, oursSum / n, torchMax, torchSum / n,
                worst);
    }

    /** The float64 answer, stored as its bit patterns in an I64 tensor. */
    static double[] exact(Safetensors f, String output) {
        long[] bits = f.longs("f64." + output);
        double[] d = new double[bits.length];
        for (int i = 0; i < bits.length; i++) {
            d[i] = Double.longBitsToDouble(bits[i]);
        }
        return d;
    }

    static Safetensors load(String name) throws IOException {
        URL url = ErrorBudgetTest.class.getResource("/float64/" + name + ".safetensors");
        if (url == null) {
            throw new IllegalArgumentException("no float64 case " + name + ".safetensors in the test resources");
        }
        try {
            return Safetensors.read(Path.of(url.toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int meta(Safetensors f, String key) {
        return Integer.parseInt(f.metadata().get(key));
    }

    /**
     * The table of docs/error-budget.md: per case and output, max and mean error relative to the RMS of the
     * exact answer, in units of u = 2^-24, for each kernel path measured in this JVM and for PyTorch float32.
     */
    @AfterAll
    static void printTable() {
        List<Row> rows;
        synchronized (ROWS) {
            rows = new ArrayList<>(ROWS);
        }
        if (rows.isEmpty()) {
            return;
        }
        Map<String, Map<String, Row>> byOutput = new TreeMap<>();
        TreeSet<String> paths = new TreeSet<>();
        for (Row r : rows) {
            byOutput.computeIfAbsent(r.file() + " " + r.output(), x -> new TreeMap<>()).put(r.kernels(), r);
            paths.add(r.kernels());
        }
        StringBuilder sb = new StringBuilder();
        sb.append("\nError against float64, max / mean |error| per output, relative to the RMS of the float64 answer,"
                + " in units of u = 2^-24 (java ").append(Runtime.version()).append(")\n\n");
        sb.append("| case | output |");
        for (String p : paths) {
            sb.append(' ').append(p).append(" max / mean |");
        }
        sb.append(" PyTorch f32 max / mean | worst ratio |\n|---|---|");
        sb.append("---:|".repeat(paths.size() + 2)).append('\n');
        for (Map<String, Row> byPath : byOutput.values()) {
            Row any = byPath.values().iterator().next();
            double scale = U * any.rms();
            sb.append("| ").append(any.file()).append(" | ").append(any.output()).append(" |");
            double worstRatio = 0;
            for (String p : paths) {
                Row r = byPath.get(p);
                if (r == null) {
                    sb.append(" - |");
                    continue;
                }
                sb.append(String.format(Locale.ROOT, " %s / %s%s |", units(r.oursMax(), scale),
                        units(r.oursMean(), scale), r.withinBudget() ? "" : " **over**"));
                double floor = FLOOR * r.rms();
                worstRatio = Math.max(worstRatio, Math.max((r.oursMax() + floor) / (r.torchMax() + floor),
                        (r.oursMean() + floor) / (r.torchMean() + floor)));
            }
            sb.append(String.format(Locale.ROOT, " %s / %s | %.2f |%n", units(any.torchMax(), scale),
                    units(any.torchMean(), scale), worstRatio));
        }
        System.out.println(sb);
    }

    private static String units(double error, double scale) {
        if (error == 0) {
            return "0";
        }
        double x = scale == 0 ? Double.POSITIVE_INFINITY : error / scale;
        return x >= 10 ? String.format(Locale.ROOT, "%.0f", x) : String.format(Locale.ROOT, "%.2g", x);
    }
}
