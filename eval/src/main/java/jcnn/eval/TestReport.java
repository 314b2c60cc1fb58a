package jcnn.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jcnn.core.io.AtomicFiles;
import jcnn.eval.report.HtmlReportWriter;
import jcnn.eval.report.Machine;
import jcnn.eval.report.RunReport;
import jcnn.eval.report.TestResults;
import jcnn.kernels.Kernels;
import jcnn.training.EpochMetrics;
import jcnn.training.Evaluator;
import jcnn.training.Recipe;
import jcnn.training.data.DataLocator;
import jcnn.training.data.Dataset;
import jcnn.training.data.DatasetSpec;
import jcnn.training.nn.Module;

/**
 * The end every mode but compare shares: the model on the official test set, the seed study's report printed (and
 * written to the run folder when there is one), and the closing {@code test accuracy: 0.XXXX} line.
 */
final class TestReport {

    private TestReport() {
    }

    /** Evaluates {@code model} on {@code test} (Fashion-MNIST's) with the current kernels; prints the report. */
    static TestResults evaluate(Module model, Dataset test, PrintStream out) {
        return evaluate(model, test, DatasetSpec.FASHION_MNIST, out);
    }

    /** Evaluates {@code model} on {@code test}, a part of {@code dataset}, with the current kernels; prints it. */
    static TestResults evaluate(Module model, Dataset test, DatasetSpec dataset, PrintStream out) {
        return evaluate(model, test, dataset, false, out);
    }

    /**
     * As above; with {@code mirror} ({@code tta=true}) each image's probabilities are the mean of its own and its
     * mirror image's ({@link Evaluator#evaluate(Module, Dataset, int, boolean, boolean)}).
     */
    static TestResults evaluate(Module model, Dataset test, DatasetSpec dataset, boolean mirror, PrintStream out) {
        TestResults results = TestResults.compute(test.labels(),
                Evaluator.evaluate(model, test, Evaluator.BATCH, true, mirror).logits(),
                dataset.classNames().toArray(new String[0]), test.images(), test.channels(), test.rows(),
                test.cols());
        out.println();
        out.print(describe(results));
        return results;
    }

    /** Writes report.txt and report.html (with its figures) into {@code runDir}, and says so. */
    static void write(Path runDir, TestResults results, Recipe recipe, Kernels kernels, List<EpochMetrics> history,
                      PrintStream out) throws IOException {
        write(runDir, results, recipe, kernels, history, out, null);
    }

    /** As above, with the data's source ({@code data} may be null) in the report's recipe section. */
    static void write(Path runDir, TestResults results, Recipe recipe, Kernels kernels, List<EpochMetrics> history,
                      PrintStream out, DataLocator data) throws IOException {
        write(runDir, results, recipe, kernels, history, out, data, DatasetSpec.FASHION_MNIST);
    }

    /** As above, for a run on {@code dataset}. */
    static void write(Path runDir, TestResults results, Recipe recipe, Kernels kernels, List<EpochMetrics> history,
                      PrintStream out, DataLocator data, DatasetSpec dataset) throws IOException {
        write(runDir, dataset.title() + " seed CNN, " + kernels.name() + " kernels", results, recipe.reportMap(),
                kernels, history, data, dataset);
        out.println("run folder: " + runDir + " (report.html, report.txt, metrics.jsonl, weights.safetensors,"
                + " checkpoint.safetensors)");
    }

    /** Writes report.txt and report.html (with its figures) into {@code runDir}; {@code settings} head the page. */
    static void write(Path runDir, String title, TestResults results, Map<String, Object> settings, Kernels kernels,
                      List<EpochMetrics> history) throws IOException {
        write(runDir, title, results, settings, kernels, history, null);
    }

    /**
     * As above; the recipe section also gets the command, git commit, version and data source
     * ({@link RunProvenance}), so that a reader can run it again.
     */
    static void write(Path runDir, String title, TestResults results, Map<String, Object> settings, Kernels kernels,
                      List<EpochMetrics> history, DataLocator data) throws IOException {
        write(runDir, title, results, settings, kernels, history, data, DatasetSpec.FASHION_MNIST);
    }

    /** As above, the data source being {@code dataset}'s files. */
    static void write(Path runDir, String title, TestResults results, Map<String, Object> settings, Kernels kernels,
                      List<EpochMetrics> history, DataLocator data, DatasetSpec dataset) throws IOException {
        AtomicFiles.write(runDir.resolve("report.txt"),
                (describe(results) + accuracyLine(results) + "\n").getBytes(StandardCharsets.UTF_8));
        Map<String, Object> recipe = new LinkedHashMap<>(settings);
        RunProvenance.of(data, dataset).forEach(recipe::putIfAbsent);
        RunReport report = new RunReport(title, Instant.now(), recipe, machine(kernels), history, results,
                List.of());
        HtmlReportWriter.write(report, runDir);
    }

    /** The text the run prints and saves: the report, confusion matrix, IoU, AUCs and top-k accuracy. */
    static String describe(TestResults t) {
        StringBuilder sb = new StringBuilder();
        sb.append(t.classificationReport()).append('\n');
        sb.append("confusion matrix (rows: true class, columns: predicted)\n");
        sb.append(t.confusion().render(t.classNames().toArray(new String[0]))).append('\n');
        sb.append("per-class IoU:");
        for (double v : t.iou()) {
            sb.append(String.format(Locale.ROOT, " %.4f", v));
        }
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "mean one-vs-rest ROC AUC (logits): %.5f%n", t.rocOneVsRest().macroAuc()));
        sb.append(String.format(Locale.ROOT, "one-vs-one ROC AUC (Hand & Till, softmax): %.5f%n", t.ovoMacroAuc()));
        t.topKAccuracy().forEach((k, v) -> {
            if (k > 1) {
                sb.append(String.format(Locale.ROOT, "top-%d accuracy: %.4f%n", k, v));
            }
        });
        return sb.toString();
    }

    /** The closing line of every run. */
    static String accuracyLine(TestResults t) {
        return String.format(Locale.ROOT, "test accuracy: %.4f", t.accuracy());
    }

    private static Machine machine(Kernels kernels) {
        return Machine.detect(kernels.name(), kernels.vectorBits(), kernels.threads());
    }
}
