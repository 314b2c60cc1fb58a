package jcnn.eval.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import jcnn.core.io.AtomicFiles;
import jcnn.eval.report.ExtraSection;
import jcnn.eval.report.HtmlReportWriter;
import jcnn.eval.report.Machine;
import jcnn.eval.report.RunReport;
import jcnn.kernels.TimedKernels.Breakdown;
import jcnn.kernels.TimedKernels.Category;
import jcnn.kernels.TimedKernels.Tally;
import jcnn.training.EpochMetrics;

/**
 * Shows a {@link Comparison.Result}: as {@value #MARKDOWN_FILE} and as extra sections of the run's report.html.
 *
 * <p>Goal: one source for both. The measurements are built once as {@link ExtraSection} tables (scalar and vector
 * side by side in every row), then rendered to Markdown here and to HTML by {@link HtmlReportWriter}, so the two
 * files cannot disagree. The page's built-in sections (training curves, confusion matrix, ROC) show the vector
 * path; the scalar path's figures are in the comparison tables.
 */
public final class ComparisonReport {

    /** The Markdown file written into the run folder. */
    public static final String MARKDOWN_FILE = "comparison.md";

    /** Every section title starts so on the page, where it follows the run's own sections; Markdown drops it. */
    static final String PREFIX = "Kernel comparison: ";

    static final String SETTINGS_TITLE = PREFIX + "what was run";

    private ComparisonReport() {
    }

    /** Writes {@value #MARKDOWN_FILE} and report.html (with its figures) into an existing {@code runDir}. */
    public static void write(Comparison.Result r, Path runDir) throws IOException {
        AtomicFiles.write(runDir.resolve(MARKDOWN_FILE), markdown(r).getBytes(StandardCharsets.UTF_8));
        HtmlReportWriter.write(runReport(r), runDir);
    }

    /** The run's page: the vector path's training and test results, then every comparison section. */
    public static RunReport runReport(Comparison.Result r) {
        PathResult v = r.vector();
        Map<String, Object> recipe = new LinkedHashMap<>(r.recipe().asMap());
        recipe.put("testImages", r.testImages());
        List<ExtraSection> sections = new ArrayList<>();
        sections.add(new ExtraSection.Text(SETTINGS_TITLE, String.join("\n", r.settings())
                + "\nthe sections above this one show the " + v.kernels() + " path; the tables below show both"));
        sections.addAll(measurements(r));
        return new RunReport("Fashion-MNIST seed CNN, " + r.scalar().kernels() + " vs " + v.kernels() + " kernels",
                Instant.now(), recipe, Machine.detect(v.kernels(), v.vectorBits(), v.threads()),
                v.epochs(), v.test(), sections);
    }

    /** comparison.md: what was run, a summary sentence, then every measurement table. */
    public static String markdown(Comparison.Result r) {
        StringBuilder md = new StringBuilder();
        md.append("# Scalar vs vector kernels: ").append(r.scalar().kernels()).append(" vs ")
                .append(r.vector().kernels()).append("\n\n");
        for (String line : r.settings()) {
            md.append("- ").append(line).append('\n');
        }
        md.append('\n').append(summary(r)).append("\n\n");
        for (ExtraSection section : measurements(r)) {
            String heading = section.title().substring(PREFIX.length());
            md.append("## ").append(Character.toUpperCase(heading.charAt(0))).append(heading.substring(1))
                    .append("\n\n");
            if (section instanceof ExtraSection.Table t) {
                table(md, t);
            } else if (section instanceof ExtraSection.Text t) {
                md.append("```\n").append(t.text().stripTrailing()).append("\n```\n\n");
            }
        }
        return md.toString();
    }

    /** The result in two sentences: agreement (before and after training) and speed-up. */
    static String summary(Comparison.Result r) {
        LogitAgreement a = r.agreement();
        return String.format(Locale.ROOT, "The two paths predict the same class on %d of %d test images (%s), and"
                        + " their logits are %s after training (%s at the initial weights). The vector path trains"
                        + " %s as many images per second as the scalar path.",
                a.samePrediction(), a.images(), fraction(a.agreement()), apart(a), apart(r.initial()),
                ratio(r.vector().trainImagesPerSecond() / r.scalar().trainImagesPerSecond()));
    }

    private static String apart(LogitAgreement a) {
        return a.identical() ? "bit-identical" : "at most " + scientific(a.maxAbsDifference()) + " apart";
    }

    private static void table(StringBuilder md, ExtraSection.Table t) {
        row(md, t.header());
        // As on the HTML page: a column of figures lines up on the right, a column of words on the left.
        md.append('|');
        for (int c = 0; c < t.header().size(); c++) {
            int column = c;
            boolean figures = !t.rows().isEmpty() && t.rows().stream().map(cells -> cells.get(column))
                    .allMatch(cell -> HtmlReportWriter.isFigure(cell) || cell.equals("n/a") || cell.isEmpty());
            md.append(figures ? "--:|" : ":--|");
        }
        md.append('\n');
        t.rows().forEach(cells -> row(md, cells));
        md.append('\n');
        if (!t.note().isEmpty()) {
            md.append(t.note()).append("\n\n");
        }
    }

    private static void row(StringBuilder md, List<String> cells) {
        md.append('|');
        for (String cell : cells) {
            md.append(' ').append(cell.replace("|", "\\|")).append(" |");
        }
        md.append('\n');
    }

    // ---------------------------------------------------------------------------------------------------------
    // The measurements, as tables with the scalar and the vector path side by side

    /** Every measurement section, in reading order. */
    public static List<ExtraSection> measurements(Comparison.Result r) {
        return List.of(testSet(r), agreement(r), speed(r), epochs(r), breakdown(r), classificationReports(r));
    }

    private static ExtraSection.Table testSet(Comparison.Result r) {
        PathResult s = r.scalar(), v = r.vector();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("kernels", s.kernels(), v.kernels()));
        rows.add(List.of("threads", String.valueOf(s.threads()), String.valueOf(v.threads())));
        rows.add(both("test accuracy", s, v, p -> fraction(p.test().accuracy())));
        rows.add(both("mean one-vs-rest ROC AUC (logits)", s, v, p -> fixed(p.test().rocOneVsRest().macroAuc(), 5)));
        rows.add(both("mean IoU", s, v, p -> fixed(p.test().meanIou(), 4)));
        rows.add(both("last epoch's training loss", s, v, p -> fixed(last(p).trainLoss(), 4)));
        rows.add(both("last epoch's validation accuracy", s, v, p -> fraction(last(p).validationAccuracy())));
        return new ExtraSection.Table(PREFIX + "test set", List.of("", s.role(), v.role()), rows,
                "Both paths are evaluated with their last epoch's weights on the same " + r.testImages()
                        + " test images.");
    }

    private static ExtraSection.Table agreement(Comparison.Result r) {
        LogitAgreement a = r.agreement(), initial = r.initial();
        List<String> names = r.scalar().test().classNames();
        String where = a.identical() ? "every logit equal" : "at test image " + a.maxImage() + ", logit of class "
                + a.maxClass() + " (" + names.get(a.maxClass()) + ")";
        List<List<String>> rows = List.of(
                List.of("same predicted class", fraction(a.agreement()), count(a.samePrediction(), a.images())),
                List.of("correct on the scalar path only", String.valueOf(a.onlyFirstCorrect()),
                        "images the vector path gets wrong"),
                List.of("correct on the vector path only", String.valueOf(a.onlySecondCorrect()),
                        "images the scalar path gets wrong"),
                List.of("max |logit difference|", scientific(a.maxAbsDifference()), where),
                List.of("mean |logit difference|", scientific(a.meanAbsDifference()),
                        "over " + a.images() + " x " + a.classes() + " logits"),
                List.of("largest |logit|", fixed(a.maxAbsLogit(), 3), "the scale of the differences"),
                List.of("max |logit difference|, initial weights", scientific(initial.maxAbsDifference()),
                        "untrained models, first " + initial.images() + " test images"),
                List.of("mean |logit difference|, initial weights", scientific(initial.meanAbsDifference()),
                        "the kernels' rounding alone"));
        return new ExtraSection.Table(PREFIX + "agreement between the paths",
                List.of("measure", "value", "detail"), rows,
                "0 means bit-identical logits. At the initial weights, which both paths share, a difference is the"
                        + " kernels' float32 rounding alone (a SIMD path adds in another order); training feeds such"
                        + " differences back into the weights, so the trained models drift further apart, and"
                        + " images near a decision boundary may change class.");
    }

    private static ExtraSection.Table speed(Comparison.Result r) {
        PathResult s = r.scalar(), v = r.vector();
        List<List<String>> rows = List.of(
                speedRow("training images/s", s, v, PathResult::trainImagesPerSecond, 0),
                speedRow("training time per epoch (s)", s, v, PathResult::trainSecondsPerEpoch, 2),
                speedRow("wall time per epoch, validation included (s)", s, v, PathResult::secondsPerEpoch, 2),
                speedRow("test evaluation (s)", s, v, PathResult::testSeconds, 2),
                speedRow("test images/s", s, v, PathResult::testImagesPerSecond, 0));
        return new ExtraSection.Table(PREFIX + "speed",
                List.of("", title(s), title(v), v.role() + " / " + s.role()),
                rows, "Means over " + s.epochs().size() + " epoch(s). Images/s counts the training steps alone"
                        + " (forward, backward, update); a ratio above 1 for images/s, or below 1 for a time, means"
                        + " the vector path is faster.");
    }

    private static List<String> speedRow(String name, PathResult s, PathResult v, ToDoubleFunction<PathResult> f,
                                         int decimals) {
        double a = f.applyAsDouble(s), b = f.applyAsDouble(v);
        return List.of(name, fixed(a, decimals), fixed(b, decimals), ratio(b / a));
    }

    private static ExtraSection.Table epochs(Comparison.Result r) {
        PathResult s = r.scalar(), v = r.vector();
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < s.epochs().size(); i++) {
            EpochMetrics a = s.epochs().get(i), b = v.epochs().get(i);
            rows.add(List.of(String.valueOf(a.epoch()),
                    fixed(a.seconds(), 2), fixed(a.imagesPerSecond(), 0), fixed(a.trainLoss(), 4),
                    fixed(b.seconds(), 2), fixed(b.imagesPerSecond(), 0), fixed(b.trainLoss(), 4)));
        }
        String sr = s.role(), vr = v.role();
        return new ExtraSection.Table(PREFIX + "epochs",
                List.of("epoch", sr + " s", sr + " img/s", sr + " train loss", vr + " s", vr + " img/s",
                        vr + " train loss"),
                rows, "Seconds are each epoch's wall time, validation included; the first epoch includes JIT"
                        + " warm-up.");
    }

    private static ExtraSection.Table breakdown(Comparison.Result r) {
        PathResult s = r.scalar(), v = r.vector();
        Breakdown bs = s.training(), bv = v.training();
        List<List<String>> rows = new ArrayList<>();
        for (Category c : Category.values()) {
            rows.add(timeRow(c.label(), bs.topLevel().get(c), s.fitSeconds(), bv.topLevel().get(c), v.fitSeconds()));
        }
        rows.add(timeRow("all kernels", new Tally(calls(bs), nanos(bs)), s.fitSeconds(),
                new Tally(calls(bv), nanos(bv)), v.fitSeconds()));
        rows.add(List.of("outside the kernels (autograd, batching, copies)",
                seconds(outside(s)), share(outside(s), s.fitSeconds()), "",
                seconds(outside(v)), share(outside(v), v.fitSeconds()), ""));
        rows.add(List.of("training wall time (Trainer.fit)", seconds(s.fitSeconds()), share(1, 1), "",
                seconds(v.fitSeconds()), share(1, 1), ""));
        String sr = s.role(), vr = v.role();
        return new ExtraSection.Table(PREFIX + "where the training time goes",
                List.of("kernel category", sr + " s", sr + " share", sr + " calls", vr + " s", vr + " share",
                        vr + " calls"),
                rows, "Measured by wrapping each path's kernels in TimedKernels during Trainer.fit (training steps"
                        + " and the validation pass after each epoch); shares are of the training wall time. Every"
                        + " convolution, forward or backward, is booked as a whole under \"" + Category.CONVOLUTION
                        .label() + "\" on both paths, with its im2col, GEMM and bias inside it; so the GEMM, im2col"
                        + " and bias rows here are the calls made outside convolutions (the linear layers).");
    }

    private static ExtraSection.Text classificationReports(Comparison.Result r) {
        PathResult s = r.scalar(), v = r.vector();
        return new ExtraSection.Text(PREFIX + "classification reports",
                sideBySide(title(s), s.test().classificationReport(), title(v), v.test().classificationReport()));
    }

    /** Two blocks of text next to each other, each under its title: the reports are easier to compare so. */
    static String sideBySide(String leftTitle, String left, String rightTitle, String right) {
        List<String> l = new ArrayList<>(List.of(leftTitle, ""));
        l.addAll(left.stripTrailing().lines().toList());
        List<String> rr = new ArrayList<>(List.of(rightTitle, ""));
        rr.addAll(right.stripTrailing().lines().toList());
        int width = l.stream().mapToInt(String::length).max().orElse(0) + 4;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.max(l.size(), rr.size()); i++) {
            String a = i < l.size() ? l.get(i) : "";
            String b = i < rr.size() ? rr.get(i) : "";
            sb.append((a + " ".repeat(width - a.length()) + b).stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sums and formats

    /** "vector (vector-512)", or just "scalar" where the role and the kernels have the same name. */
    private static String title(PathResult p) {
        return p.role().equals(p.kernels()) ? p.role() : p.role() + " (" + p.kernels() + ")";
    }

    private static EpochMetrics last(PathResult p) {
        return p.epochs().get(p.epochs().size() - 1);
    }

    private static List<String> both(String name, PathResult s, PathResult v, Function<PathResult, String> f) {
        return List.of(name, f.apply(s), f.apply(v));
    }

    private static List<String> timeRow(String name, Tally s, double sTotal, Tally v, double vTotal) {
        return List.of(name, seconds(s.seconds()), share(s.seconds(), sTotal), String.valueOf(s.calls()),
                seconds(v.seconds()), share(v.seconds(), vTotal), String.valueOf(v.calls()));
    }

    private static long calls(Breakdown b) {
        return b.topLevel().values().stream().mapToLong(Tally::calls).sum();
    }

    private static long nanos(Breakdown b) {
        return b.topLevel().values().stream().mapToLong(Tally::nanos).sum();
    }

    private static long convolutionNanos(Breakdown b) {
        return b.topLevel().get(Category.CONVOLUTION).nanos();
    }

    /** Training time spent outside any kernel call; never shown below 0 (the two clocks are read apart). */
    private static double outside(PathResult p) {
        return Math.max(0, p.fitSeconds() - p.training().totalSeconds());
    }

    private static String seconds(double s) {
        return fixed(s, 3);
    }

    private static String share(double part, double whole) {
        return whole > 0 ? String.format(Locale.ROOT, "%.1f%%", 100 * part / whole) : "n/a";
    }

    private static String fraction(double f) {
        return fixed(f, 4);
    }

    private static String count(int part, int whole) {
        return part + " of " + whole + " images";
    }

    private static String ratio(double r) {
        return Double.isFinite(r) ? String.format(Locale.ROOT, "%.2fx", r) : "n/a";
    }

    private static String fixed(double v, int decimals) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Exact zero stays "0", so that bit-identical results read as such. */
    private static String scientific(double v) {
        return v == 0 ? "0" : Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.3e", v);
    }
}
