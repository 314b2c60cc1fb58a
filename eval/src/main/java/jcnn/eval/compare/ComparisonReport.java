package jcnn.eval.compare;

import java.awt.AWTError;
import java.awt.image.BufferedImage;
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
import jcnn.eval.report.Plots;
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

    /**
     * Writes {@value #MARKDOWN_FILE} and report.html (with its figures, the comparison's side-by-side plots among
     * them) into an existing {@code runDir}.
     */
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
        return new RunReport(r.dataset() + " seed CNN, " + r.scalar().kernels() + " vs " + v.kernels() + " kernels",
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
            } else if (section instanceof ExtraSection.Figures f) {
                for (ExtraSection.Image image : f.images()) {
                    md.append("![").append(image.label()).append("](").append(image.file()).append(")\n");
                }
                md.append('\n');
                if (!f.note().isEmpty()) {
                    md.append(f.note()).append("\n\n");
                }
            }
        }
        return md.toString();
    }

    /** The result in a few sentences: agreement (before and after training), the SIMD and the threads' gains. */
    static String summary(Comparison.Result r) {
        LogitAgreement a = r.agreement();
        PathResult s = r.scalar(), v = r.vector(), t = r.threaded();
        String text = String.format(Locale.ROOT, "The two paths predict the same class on %d of %d test images (%s),"
                        + " and their logits are %s after training (%s at the initial weights). At the same thread"
                        + " count (%d) the vector path trains %s as many images per second as the scalar path: the"
                        + " SIMD gain alone.",
                a.samePrediction(), a.images(), fraction(a.agreement()), apart(a), apart(r.initial()), v.threads(),
                ratio(v.trainImagesPerSecond() / s.trainImagesPerSecond()));
        if (t != null) {
            text += String.format(Locale.ROOT, " At %d threads it trains %s as many as at %d (%s the scalar path's),"
                            + " and its logits are %s those of the %d-thread run.",
                    t.threads(), ratio(t.trainImagesPerSecond() / v.trainImagesPerSecond()), v.threads(),
                    ratio(t.trainImagesPerSecond() / s.trainImagesPerSecond()),
                    r.threads().identical() ? "bit-identical to" : apart(r.threads()) + " from", v.threads());
        }
        return text;
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
                    .allMatch(cell -> HtmlReportWriter.isFigure(cell) || cell.equals("n/a") || cell.isEmpty()
                            || cell.equals(NOT_CALLED));
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
        return List.of(testSet(r), agreement(r), speed(r), epochs(r), breakdown(r), trainingPlots(r),
                confusionPlots(r), classificationReports(r));
    }

    private static ExtraSection.Table testSet(Comparison.Result r) {
        List<PathResult> paths = r.paths();
        List<List<String>> rows = new ArrayList<>();
        rows.add(each("kernels", paths, PathResult::kernels));
        rows.add(each("threads", paths, p -> String.valueOf(p.threads())));
        rows.add(each("test accuracy", paths, p -> fraction(p.test().accuracy())));
        rows.add(each("mean one-vs-rest ROC AUC (logits)", paths, p -> fixed(p.test().rocOneVsRest().macroAuc(), 5)));
        rows.add(each("mean IoU", paths, p -> fixed(p.test().meanIou(), 4)));
        rows.add(each("last epoch's training loss", paths, p -> fixed(last(p).trainLoss(), 4)));
        rows.add(each("last epoch's validation accuracy", paths, p -> fraction(last(p).validationAccuracy())));
        List<String> header = new ArrayList<>(List.of(""));
        paths.forEach(p -> header.add(p.role()));
        return new ExtraSection.Table(PREFIX + "test set", header, rows,
                "Every path is evaluated with its last epoch's weights on the same " + r.testImages()
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
        if (r.threaded() != null) {
            LogitAgreement t = r.threads();
            rows = new ArrayList<>(rows);
            rows.add(List.of("max |logit difference|, vector at " + r.threaded().threads() + " threads vs "
                    + r.vector().threads(), scientific(t.maxAbsDifference()), t.identical()
                    ? "bit-identical: the thread count changes no result" : "the thread count changed a result"));
        }
        return new ExtraSection.Table(PREFIX + "agreement between the paths",
                List.of("measure", "value", "detail"), rows,
                "0 means bit-identical logits. At the initial weights, which both paths share, a difference is the"
                        + " kernels' float32 rounding alone (a SIMD path adds in another order); training feeds such"
                        + " differences back into the weights, so the trained models drift further apart, and"
                        + " images near a decision boundary may change class. Within the vector path the thread"
                        + " count must change nothing: its last row compares two runs that differ only in it.");
    }

    private static ExtraSection.Table speed(Comparison.Result r) {
        PathResult s = r.scalar(), v = r.vector(), t = r.threaded();
        List<List<String>> rows = List.of(
                speedRow("training images/s", r, PathResult::trainImagesPerSecond, 0),
                speedRow("training time per epoch (s)", r, PathResult::trainSecondsPerEpoch, 2),
                speedRow("wall time per epoch, validation included (s)", r, PathResult::secondsPerEpoch, 2),
                speedRow("test evaluation (s)", r, PathResult::testSeconds, 2),
                speedRow("test images/s", r, PathResult::testImagesPerSecond, 0));
        List<String> header = new ArrayList<>(List.of("", title(s), title(v)));
        if (t != null) {
            header.add(title(t));
        }
        header.add(v.role() + " / " + s.role() + " (SIMD, " + threads(v.threads()) + " each)");
        if (t != null) {
            header.add(t.role() + " / " + v.role() + " (threads)");
            header.add(t.role() + " / " + s.role() + " (both)");
        }
        return new ExtraSection.Table(PREFIX + "speed", header, rows, "Means over " + s.epochs().size()
                + " epoch(s). Images/s counts the training steps alone (forward, backward, update); a ratio above 1"
                + " for images/s, or below 1 for a time, means the first path of the ratio is faster. The scalar"
                + " and the vector path run at the same thread count, so their ratio is the SIMD gain alone"
                + (t == null ? "; threads=" + v.threads() + " asked for no run at more threads."
                : "; the vector path at " + threads(t.threads()) + " against itself at " + threads(v.threads())
                + " is what the threads add, and the last column is the two gains together."));
    }

    private static List<String> speedRow(String name, Comparison.Result r, ToDoubleFunction<PathResult> f,
                                         int decimals) {
        double a = f.applyAsDouble(r.scalar()), b = f.applyAsDouble(r.vector());
        List<String> row = new ArrayList<>(List.of(name, fixed(a, decimals), fixed(b, decimals)));
        if (r.threaded() == null) {
            row.add(ratio(b / a));
        } else {
            double c = f.applyAsDouble(r.threaded());
            row.addAll(List.of(fixed(c, decimals), ratio(b / a), ratio(c / b), ratio(c / a)));
        }
        return row;
    }

    private static ExtraSection.Table epochs(Comparison.Result r) {
        List<PathResult> paths = r.paths();
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < r.scalar().epochs().size(); i++) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(r.scalar().epochs().get(i).epoch())));
            for (PathResult p : paths) {
                EpochMetrics e = p.epochs().get(i);
                row.addAll(List.of(fixed(e.seconds(), 2), fixed(e.imagesPerSecond(), 0), fixed(e.trainLoss(), 4)));
            }
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("epoch"));
        for (PathResult p : paths) {
            header.addAll(List.of(p.role() + " s", p.role() + " img/s", p.role() + " train loss"));
        }
        return new ExtraSection.Table(PREFIX + "epochs", header, rows, "Seconds are each epoch's wall time,"
                + " validation included; the first epoch may still include some JIT warm-up (the untimed warm-up before"
                + " the runs takes most of it).");
    }

    private static ExtraSection.Table breakdown(Comparison.Result r) {
        List<PathResult> paths = r.paths();
        List<List<String>> rows = new ArrayList<>();
        for (Category c : Category.values()) {
            List<Tally> tallies = paths.stream().map(p -> p.training().topLevel().get(c)).toList();
            rows.add(timeRow(c.label() + notCalled(paths, tallies), paths, tallies));
        }
        rows.add(timeRow("all kernels", paths, paths.stream()
                .map(p -> new Tally(calls(p.training()), nanos(p.training()))).toList()));
        List<String> outside = new ArrayList<>(List.of("outside the kernels (autograd, batching, copies)"));
        List<String> wall = new ArrayList<>(List.of("training wall time (Trainer.fit)"));
        for (PathResult p : paths) {
            outside.addAll(List.of(seconds(outside(p)), share(outside(p), p.fitSeconds()), ""));
            wall.addAll(List.of(seconds(p.fitSeconds()), share(1, 1), ""));
        }
        rows.add(outside);
        rows.add(wall);
        List<String> header = new ArrayList<>(List.of("kernel category"));
        for (PathResult p : paths) {
            header.addAll(List.of(p.role() + " s", p.role() + " share", p.role() + " calls"));
        }
        return new ExtraSection.Table(PREFIX + "where the training time goes", header, rows, "Measured by wrapping"
                + " each path's kernels in TimedKernels during Trainer.fit (training steps and the validation pass"
                + " after each epoch); shares are of the training wall time. At more than one thread the"
                + " convolutions, ReLUs and poolings of a step run in chunks on several threads at once, and their"
                + " seconds add up over the threads: there a row can exceed the wall time, and \"outside the"
                + " kernels\" is then shown as 0. Every convolution, forward or backward,"
                + " is booked as a whole under \"" + Category.CONVOLUTION.label() + "\" on every path, with its"
                + " im2col, GEMM and bias inside it; so the GEMM, im2col and bias rows here are the calls made"
                + " outside convolutions (the linear layers). \"" + NOT_CALLED + "\" marks a kernel that a path"
                + " never called during training, and the row's name says which path: no time was measured there,"
                + " not a time that rounds to zero.");
    }

    /** What a path's cells say for a category it never called. */
    static final String NOT_CALLED = "not called";

    /** For a category's row name: which paths never called it, if any. */
    private static String notCalled(List<PathResult> paths, List<Tally> tallies) {
        List<String> none = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            if (tallies.get(i).calls() == 0) {
                none.add(paths.get(i).role());
            }
        }
        if (none.isEmpty()) {
            return "";
        }
        return none.size() == paths.size() ? " (not called by any path)"
                : " (not called by the " + String.join(" or the ", none) + " path)";
    }

    private static List<String> timeRow(String name, List<PathResult> paths, List<Tally> tallies) {
        List<String> row = new ArrayList<>(List.of(name));
        for (int i = 0; i < paths.size(); i++) {
            Tally t = tallies.get(i);
            if (t.calls() == 0) {
                row.addAll(List.of(NOT_CALLED, "", "0"));
            } else {
                row.addAll(List.of(seconds(t.seconds()), share(t.seconds(), paths.get(i).fitSeconds()),
                        String.valueOf(t.calls())));
            }
        }
        return row;
    }

    /** The training curves of the scalar and the vector path, side by side. */
    private static ExtraSection.Figures trainingPlots(Comparison.Result r) {
        return plots(PREFIX + "training curves side by side", r, "training",
                p -> Plots.trainingCurves(p.epochs()), "loss and accuracy per epoch",
                "Each path's loss and accuracy per epoch on the training set and the validation split, from the"
                        + " same initial weights and the same batches; the dashed line is the seed study's test"
                        + " accuracy. With one epoch each curve is a single point.");
    }

    /** The confusion matrices of the scalar and the vector path, side by side. */
    private static ExtraSection.Figures confusionPlots(Comparison.Result r) {
        return plots(PREFIX + "confusion matrices side by side", r, "confusion",
                p -> Plots.confusionMatrix(p.test().confusion(), p.test().classNames()), "confusion matrix",
                "Rows: true class; columns: predicted class; each cell shaded by its share of the row. The"
                        + " agreement table above counts the images on which the two differ.");
    }

    /**
     * One figure per path for the scalar and the vector path (the threaded vector run trains the same model, so it
     * adds no figure of its own). A figure that cannot be drawn is named in the note, as the page's own figures are.
     */
    private static ExtraSection.Figures plots(String title, Comparison.Result r, String kind,
                                              Function<PathResult, BufferedImage> plot, String what, String note) {
        List<ExtraSection.Image> images = new ArrayList<>();
        StringBuilder failed = new StringBuilder();
        for (PathResult p : List.of(r.scalar(), r.vector())) {
            String file = "compare-" + p.role().replaceAll("[^A-Za-z0-9]+", "-") + "-" + kind + ".png";
            try {
                BufferedImage image = plot.apply(p);
                images.add(new ExtraSection.Image(file, Plots.png(image), image.getWidth(), image.getHeight(),
                        title(p) + ": " + what));
            } catch (RuntimeException | LinkageError | AWTError e) {
                failed.append(" The ").append(title(p)).append(" figure could not be drawn: ").append(e).append('.');
            }
        }
        return new ExtraSection.Figures(title, images, note + failed);
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

    /** "vector (vector-512, 1 thread)", or "scalar (1 thread)" where the role and the kernels have one name. */
    private static String title(PathResult p) {
        return p.role() + " (" + (p.role().equals(p.kernels()) ? "" : p.kernels() + ", ") + threads(p.threads())
                + ")";
    }

    private static EpochMetrics last(PathResult p) {
        return p.epochs().get(p.epochs().size() - 1);
    }

    private static List<String> each(String name, List<PathResult> paths, Function<PathResult, String> f) {
        List<String> row = new ArrayList<>(List.of(name));
        paths.forEach(p -> row.add(f.apply(p)));
        return row;
    }

    private static String threads(int n) {
        return n == 1 ? "1 thread" : n + " threads";
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
