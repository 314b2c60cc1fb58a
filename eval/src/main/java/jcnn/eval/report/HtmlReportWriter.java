package jcnn.eval.report;

import java.awt.AWTError;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import jcnn.core.io.AtomicFiles;
import jcnn.eval.metrics.ClassificationReport;
import jcnn.eval.metrics.ConfusionMatrix;
import jcnn.eval.metrics.ScoreType;
import jcnn.training.EpochMetrics;

/**
 * Writes a run's {@code report.html} and its figures as PNG files into the run folder.
 *
 * <p>Goals: one file that shows the whole run anywhere, for years: the page embeds its figures as {@code data:} URIs,
 * carries its CSS inline, has no scripts, and declares a Content-Security-Policy that forbids loading anything else,
 * so a stray external reference would show up as a blocked load (and fail the browser test) instead of silently
 * depending on the network. The PNGs are also written beside it, for slides and issues. Every file is replaced
 * atomically ({@link AtomicFiles}), the page last, so a crash mid-way leaves the previous report whole.
 *
 * <p>Layout, top to bottom: the test accuracy, large, with the other headline numbers; training (curves with the
 * seed study's 91.29% as a reference line, learning rate and time per epoch, epoch table); per-class results;
 * confusion matrix; the gallery of mistakes and correct samples (when the results carry images); ROC curves; the
 * caller's extra sections; recipe (with the command, commit, version and data source when the caller gives them);
 * machine.
 *
 * <p>Not a goal: a template engine. The page is built by hand, with every piece of text passed through
 * {@link Html#escape}; the structure is simple enough that a reader sees the whole page in this one class.
 */
public final class HtmlReportWriter {

    /** The page's file name inside the run folder. */
    public static final String REPORT_FILE = "report.html";
    public static final String TRAINING_PNG = "training-curves.png";
    public static final String CONFUSION_PNG = "confusion-matrix.png";
    public static final String ROC_PNG = "roc-curves.png";
    public static final String SCHEDULE_PNG = "learning-rate-and-time.png";

    /**
     * Nothing may be loaded from anywhere: images only as data: URIs, styles only inline. A violation is logged to
     * the browser console, which is what the browser test watches.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

    /** A table cell that is a figure: "1,154", "-0.5", "5.11x", "93.4%", "3.8e-6". */
    private static final Pattern NUMBER = Pattern.compile("[-+]?[0-9][0-9,]*(\\.[0-9]+)?(e[-+]?[0-9]+)?[x%]?");

    /**
     * Whether a table cell is a figure ("1,154", "-0.5", "5.11x", "93.4%", "3.8e-6"), which every report, HTML or
     * Markdown, aligns to the right.
     */
    public static boolean isFigure(String cell) {
        return NUMBER.matcher(cell).matches();
    }

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    /**
     * A figure: its file name in the run folder, its PNG bytes and what the page says about it. {@code png} is null
     * when drawing failed; {@code caption} then says why.
     */
    record Figure(String file, byte[] png, int width, int height, String alt, String caption) {
        boolean drawn() {
            return png != null;
        }
    }

    private HtmlReportWriter() {
    }

    /**
     * Draws the figures and writes them and {@link #REPORT_FILE} into {@code runDir} (created if missing), each
     * replacing any earlier version atomically.
     *
     * @return the path of the page
     */
    public static Path write(RunReport report, Path runDir) throws IOException {
        List<Figure> figures = figures(report);
        for (Figure figure : figures) {
            if (figure.drawn()) {
                AtomicFiles.write(runDir.resolve(figure.file()), figure.png());
            }
        }
        for (ExtraSection section : report.extraSections()) {
            if (section instanceof ExtraSection.Figures extra) {
                for (ExtraSection.Image image : extra.images()) {
                    AtomicFiles.write(runDir.resolve(image.file()), image.png());
                }
            }
        }
        Path page = runDir.resolve(REPORT_FILE);
        AtomicFiles.write(page, html(report, figures).getBytes(StandardCharsets.UTF_8));
        return page;
    }

    /** The page as a string, figures included: what {@link #write} saves, without touching the disk. */
    public static String toHtml(RunReport report) {
        return html(report, figures(report));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Figures

    static List<Figure> figures(RunReport report) {
        TestResults test = report.test();
        List<Figure> figures = new ArrayList<>();
        if (!report.epochs().isEmpty()) {
            figures.add(draw(TRAINING_PNG, () -> Plots.trainingCurves(report.epochs()),
                    "Training and validation loss and accuracy per epoch",
                    "Loss and accuracy per epoch on the training set and the validation split; the dashed line is"
                            + " the seed study's test accuracy, 91.29%."));
            figures.add(draw(SCHEDULE_PNG, () -> Plots.scheduleAndTime(report.epochs()),
                    "Learning rate and seconds per epoch",
                    "The learning rate of each epoch, and the seconds each epoch took (with and without the"
                            + " validation pass)."));
        }
        figures.add(draw(CONFUSION_PNG, () -> Plots.confusionMatrix(test.confusion(), test.classNames()),
                "Confusion matrix of the test set, true class by predicted class",
                "Rows: true class; columns: predicted class. Each cell is shaded by its share of the row."));
        figures.add(draw(ROC_PNG, () -> Plots.rocCurves(test.rocOneVsRest(), test.classNames()),
                "One-vs-rest ROC curves of every class, with an enlarged top-left corner",
                "One curve per class, that class against all others, ranked by "
                        + scoreName(test.rocScores()) + "; the dashed line is chance."));
        return figures;
    }

    /**
     * How long one figure may take to draw and encode. A normal run's figures take seconds at most (a 10,000-image
     * ROC plot: 1.9 s in PlotsTest on the shared two-core machine); the limit is there for a chart library that
     * loops forever on values it cannot lay out, which once hung a finished run after its report.txt was written.
     */
    static final Duration FIGURE_TIME_LIMIT = Duration.ofSeconds(60);

    /**
     * Draws one figure. A figure that cannot be drawn (a JVM without fonts or native AWT libraries, a bug in a
     * plot, values a chart cannot lay out) must not cost the report of a run that took an hour: the page says what
     * failed in its place, and the tables still carry every number.
     */
    static Figure draw(String file, Supplier<BufferedImage> plot, String alt, String caption) {
        return draw(file, plot, alt, caption, FIGURE_TIME_LIMIT);
    }

    /**
     * As {@link #draw(String, Supplier, String, String)}, with a time bound: the figure is drawn on a worker
     * thread, and one that is not done within {@code limit} is skipped with a note. The worker is a daemon and is
     * interrupted; a plot spinning in a loop that ignores interrupts keeps a core busy until the JVM exits, but it
     * can no longer keep the run from finishing (Java has no safe way to kill a thread).
     */
    static Figure draw(String file, Supplier<BufferedImage> plot, String alt, String caption, Duration limit) {
        FutureTask<Figure> task = new FutureTask<>(() -> {
            BufferedImage image = plot.get();
            return new Figure(file, Plots.png(image), image.getWidth(), image.getHeight(), alt, caption);
        });
        Thread worker = new Thread(task, "jcnn-figure-" + file);
        worker.setDaemon(true);
        worker.start();
        try {
            return task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            return new Figure(file, null, 0, 0, alt, "This figure was skipped: drawing it took longer than "
                    + limit.toSeconds() + " s.");
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            return new Figure(file, null, 0, 0, alt, "This figure was skipped: the run was interrupted.");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException || cause instanceof LinkageError || cause instanceof AWTError) {
                return new Figure(file, null, 0, 0, alt, "This figure could not be drawn: " + cause);
            }
            if (cause instanceof Error error) {   // OutOfMemoryError and the like: not this figure's problem alone
                throw error;
            }
            throw new IllegalStateException("drawing " + file + " failed", cause);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The page

    static String html(RunReport report, List<Figure> figures) {
        Page p = new Page();
        p.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .raw("<meta http-equiv=\"Content-Security-Policy\" content=\"")
                .text(CONTENT_SECURITY_POLICY).raw("\">\n")
                .raw("<meta name=\"generator\" content=\"jcnn\">\n")
                .raw("<title>").text(report.title()).raw("</title>\n")
                .raw("<style>\n").raw(CSS).raw("</style>\n</head>\n<body>\n");

        header(p, report);
        p.raw("<main>\n");
        summary(p, report);
        contents(p, report);
        training(p, report, find(figures, TRAINING_PNG), find(figures, SCHEDULE_PNG));
        perClass(p, report.test());
        confusion(p, find(figures, CONFUSION_PNG));
        gallery(p, report.test());
        roc(p, report.test(), find(figures, ROC_PNG));
        for (int i = 0; i < report.extraSections().size(); i++) {
            extra(p, "extra-" + (i + 1), report.extraSections().get(i));
        }
        recipe(p, report.recipe());
        machine(p, report.machine());
        p.raw("</main>\n<footer>Written by jcnn's HtmlReportWriter. Self-contained: no scripts, no external files;")
                .raw(" the figures are also saved beside this page as PNG.</footer>\n</body>\n</html>\n");
        return p.toString();
    }

    private static void header(Page p, RunReport report) {
        Machine m = report.machine();
        p.raw("<header>\n<h1>").text(report.title()).raw("</h1>\n<p class=\"meta\">")
                .raw("<time datetime=\"").text(report.created().toString()).raw("\">")
                .text(WHEN.format(report.created())).raw("</time>")
                .raw(" &middot; kernels ").text(m.kernel()).raw(", ").text(threads(m.threads()))
                .raw(" &middot; JDK ").text(m.jdkVersion())
                .raw("</p>\n</header>\n");
    }

    private static void summary(Page p, RunReport report) {
        TestResults t = report.test();
        ConfusionMatrix cm = t.confusion();
        p.raw("<section id=\"summary\" class=\"summary\" aria-label=\"Summary\">\n")
                .raw("<div class=\"hero\">\n<div class=\"hero-label\">Test accuracy</div>\n")
                .raw("<div id=\"test-accuracy\" class=\"hero-value\">").text(Html.percent(t.accuracy(), 2))
                .raw("</div>\n<div class=\"hero-sub\">").text(Html.grouped(cm.correct())).raw(" of ")
                .text(Html.grouped(cm.total())).raw(" test images</div>\n</div>\n<div class=\"cards\">\n");
        for (Map.Entry<Integer, Double> e : t.topKAccuracy().entrySet()) {
            if (e.getKey() > 1) {   // top-1 is the accuracy above
                card(p, "Top-" + e.getKey() + " accuracy", Html.percent(e.getValue(), 2), "");
            }
        }
        card(p, "ROC AUC, macro", Html.fixed(t.rocOneVsRest().macroAuc(), 4),
                "one-vs-rest, " + scoreName(t.rocScores()));
        card(p, "Hand & Till AUC", Html.fixed(t.ovoMacroAuc(), 4), "one-vs-one, " + scoreName(t.ovoScores()));
        card(p, "Mean IoU", Html.fixed(t.meanIou(), 4), "over " + t.classNames().size() + " classes");
        if (!report.epochs().isEmpty()) {
            double seconds = report.trainingSeconds();
            double trainSeconds = report.epochs().stream().mapToDouble(e -> e.trainSeconds()).sum();
            double images = report.epochs().stream().mapToDouble(e -> e.trainImages()).sum();
            String rate = trainSeconds > 0 ? ", " + Html.grouped(Math.round(images / trainSeconds)) + " images/s" : "";
            card(p, "Training", report.epochs().size() + (report.epochs().size() == 1 ? " epoch" : " epochs"),
                    duration(seconds) + rate);
        }
        p.raw("</div>\n</section>\n");
    }

    private static void card(Page p, String label, String value, String note) {
        // Plain divs rather than <dl>: a <div> around each dt/dd pair is valid HTML5 but trips older checkers.
        p.raw("<div class=\"card\"><div class=\"card-label\">").text(label)
                .raw("</div><div class=\"card-value\">").text(value).raw("</div>");
        if (!note.isEmpty()) {
            p.raw("<div class=\"note\">").text(note).raw("</div>");
        }
        p.raw("</div>\n");
    }

    private static void contents(Page p, RunReport report) {
        p.raw("<nav aria-label=\"Contents\">\n<ul>\n");
        link(p, "training", "Training");
        link(p, "per-class", "Per class");
        link(p, "confusion", "Confusion matrix");
        if (!report.test().gallery().isEmpty()) {
            link(p, "gallery", "Mistakes and samples");
        }
        link(p, "roc", "ROC curves");
        for (int i = 0; i < report.extraSections().size(); i++) {
            link(p, "extra-" + (i + 1), report.extraSections().get(i).title());
        }
        link(p, "recipe", "Recipe");
        link(p, "machine", "Machine");
        p.raw("</ul>\n</nav>\n");
    }

    private static void link(Page p, String id, String label) {
        p.raw("<li><a href=\"#").raw(id).raw("\">").text(label).raw("</a></li>\n");
    }

    private static void training(Page p, RunReport report, Figure curves, Figure schedule) {
        p.raw("<section id=\"training\">\n<h2>Training</h2>\n");
        if (report.epochs().isEmpty()) {
            p.raw("<p>This run trained for no epochs: the test results below are for weights it was given.</p>\n");
            p.raw("</section>\n");
            return;
        }
        embed(p, curves);
        embed(p, schedule);
        p.raw("<div class=\"scroll\"><table class=\"numbers\">\n<thead><tr>");
        for (String h : List.of("epoch", "train loss", "train acc", "val loss", "val acc", "learning rate",
                "seconds", "images/s")) {
            p.raw("<th scope=\"col\">").text(h).raw("</th>");
        }
        p.raw("</tr></thead>\n<tbody>\n");
        for (EpochMetrics e : report.epochs()) {
            p.raw("<tr>");
            cell(p, Integer.toString(e.epoch()));
            cell(p, Html.fixed(e.trainLoss(), 4));
            cell(p, Html.percent(e.trainAccuracy(), 2));
            cell(p, Html.fixed(e.validationLoss(), 4));
            cell(p, Html.percent(e.validationAccuracy(), 2));
            cell(p, Html.significant(e.learningRate(), 3));
            cell(p, Html.fixed(e.seconds(), 1));
            cell(p, Double.isNaN(e.imagesPerSecond()) ? Html.MISSING : Html.grouped(Math.round(e.imagesPerSecond())));
            p.raw("</tr>\n");
        }
        p.raw("</tbody>\n</table></div>\n</section>\n");
    }

    private static void perClass(Page p, TestResults t) {
        ClassificationReport cr = ClassificationReport.of(t.confusion());
        double[] iou = t.iou();
        double[] auc = t.rocOneVsRest().auc();
        // The weakest class by F1 is what a reader looks for first: mark its row.
        int worst = 0;
        for (int c = 1; c < t.classNames().size(); c++) {
            if (cr.perClass().get(c).f1() < cr.perClass().get(worst).f1()) {
                worst = c;
            }
        }
        p.raw("<section id=\"per-class\">\n<h2>Per class</h2>\n")
                .raw("<div class=\"scroll\"><table class=\"numbers\">\n<thead><tr>");
        for (String h : List.of("label", "class", "precision", "recall", "F1", "support", "IoU", "ROC AUC")) {
            p.raw("<th scope=\"col\">").text(h).raw("</th>");
        }
        p.raw("</tr></thead>\n<tbody>\n");
        for (int c = 0; c < t.classNames().size(); c++) {
            ClassificationReport.Row row = cr.perClass().get(c);
            p.raw(c == worst ? "<tr class=\"worst\">" : "<tr>");
            cell(p, Integer.toString(c));
            p.raw("<th scope=\"row\">").text(t.classNames().get(c)).raw("</th>");
            cell(p, Html.fixed(row.precision(), 4));
            cell(p, Html.fixed(row.recall(), 4));
            cell(p, Html.fixed(row.f1(), 4));
            cell(p, Html.grouped(row.support()));
            cell(p, Html.fixed(iou[c], 4));
            cell(p, Html.fixed(auc[c], 4));
            p.raw("</tr>\n");
        }
        p.raw("</tbody>\n</table></div>\n")
                .raw("<p class=\"caption\">The highlighted row has the lowest F1. IoU = TP / (TP + FP + FN). ")
                .raw("ROC AUC: that class against all others, ranked by ").text(scoreName(t.rocScores()))
                .raw(".</p>\n<h3>Classification report</h3>\n")
                .raw("<p class=\"caption\">As scikit-learn's <code>classification_report</code> prints it, ")
                .raw("so it can be compared line by line with the seed study's.</p>\n<pre>")
                .text(t.classificationReport()).raw("</pre>\n</section>\n");
    }

    private static void confusion(Page p, Figure figure) {
        p.raw("<section id=\"confusion\">\n<h2>Confusion matrix</h2>\n");
        embed(p, figure);
        p.raw("</section>\n");
    }

    private static void roc(Page p, TestResults t, Figure figure) {
        p.raw("<section id=\"roc\">\n<h2>ROC curves</h2>\n");
        embed(p, figure);
        p.raw("<p>Macro one-vs-rest AUC <strong>").text(Html.fixed(t.rocOneVsRest().macroAuc(), 5))
                .raw("</strong> (").text(scoreName(t.rocScores())).raw("); Hand &amp; Till one-vs-one AUC <strong>")
                .text(Html.fixed(t.ovoMacroAuc(), 5)).raw("</strong> (").text(scoreName(t.ovoScores()))
                .raw(").</p>\n</section>\n");
    }

    /**
     * The mistakes, shown: the test images of the most confused (true, predicted) pairs, the most frequent pair
     * first, each image with its true class, its predicted class and the probability the model gave it; then a few
     * correct images of every class, for comparison.
     */
    private static void gallery(Page p, TestResults t) {
        Gallery g = t.gallery();
        if (g.isEmpty()) {
            return;
        }
        List<String> names = t.classNames();
        p.raw("<section id=\"gallery\">\n<h2>Mistakes and samples</h2>\n")
                .raw("<p class=\"caption\">The test images the model gets wrong, grouped by true and predicted")
                .raw(" class, the most frequent confusions first and, within one, the most confident mistakes first;")
                .raw(" p is the softmax probability of the predicted class, # the image's index in the test set.")
                .raw("</p>\n");
        for (Gallery.Pair pair : g.confused()) {
            long ofClass = t.confusion().support(pair.trueClass());
            p.raw("<h3>").text(names.get(pair.trueClass())).raw(" predicted as ").text(names.get(pair.predicted()))
                    .raw(" <span class=\"count\">").text(Html.grouped(pair.count()) + " of " + Html.grouped(ofClass)
                            + " " + names.get(pair.trueClass()) + " images")
                    .raw("</span></h3>\n<div class=\"gallery\">\n");
            for (Gallery.Sample s : pair.samples()) {
                tile(p, g, s, names);
            }
            p.raw("</div>\n");
        }
        if (!g.correct().isEmpty()) {
            p.raw("<h3>Correctly classified</h3>\n<div class=\"gallery\">\n");
            for (Gallery.Sample s : g.correct()) {
                tile(p, g, s, names);
            }
            p.raw("</div>\n");
        }
        p.raw("</section>\n");
    }

    private static void tile(Page p, Gallery g, Gallery.Sample s, List<String> names) {
        boolean right = s.trueClass() == s.predicted();
        String trueName = names.get(s.trueClass());
        String predictedName = names.get(s.predicted());
        p.raw("<figure class=\"sample ").raw(right ? "right" : "wrong").raw("\">")
                .raw("<img src=\"data:image/png;base64,")
                .raw(Base64.getEncoder().encodeToString(Plots.png(g.image(s)))).raw("\" width=\"" + 3 * g.cols()
                        + "\" height=\"" + 3 * g.rows() + "\"")
                .raw(" alt=\"").text("test image " + s.index() + ": " + trueName + ", predicted " + predictedName)
                .raw("\"><figcaption><span class=\"true\">").text(trueName).raw("</span>");
        if (!right) {
            p.raw("<span class=\"predicted\">").text("as " + predictedName).raw("</span>");
        }
        p.raw("<span class=\"p\">").text("p = " + Html.fixed(s.probability(), 3) + " #" + s.index())
                .raw("</span></figcaption></figure>\n");
    }

    private static void extra(Page p, String id, ExtraSection section) {
        p.raw("<section id=\"").raw(id).raw("\" class=\"extra\">\n<h2>").text(section.title()).raw("</h2>\n");
        if (section instanceof ExtraSection.Text text) {
            p.raw("<pre>").text(text.text()).raw("</pre>\n");
        } else if (section instanceof ExtraSection.Table table) {
            p.raw("<div class=\"scroll\"><table>\n<thead><tr>");
            for (String h : table.header()) {
                p.raw("<th scope=\"col\">").text(h).raw("</th>");
            }
            p.raw("</tr></thead>\n<tbody>\n");
            for (List<String> row : table.rows()) {
                p.raw("<tr>");
                for (String c : row) {
                    // Figures line up on the right, as in the built-in tables; words stay on the left.
                    p.raw(isFigure(c) ? "<td class=\"num\">" : "<td>").text(c).raw("</td>");
                }
                p.raw("</tr>\n");
            }
            p.raw("</tbody>\n</table></div>\n");
            if (!table.note().isEmpty()) {
                p.raw("<p class=\"caption\">").text(table.note()).raw("</p>\n");
            }
        } else if (section instanceof ExtraSection.Figures figures) {
            p.raw("<div class=\"side-by-side\">\n");
            for (ExtraSection.Image image : figures.images()) {
                p.raw("<figure>\n<img src=\"data:image/png;base64,")
                        .raw(Base64.getEncoder().encodeToString(image.png()))
                        .raw("\" width=\"").raw(Integer.toString(image.width())).raw("\" height=\"")
                        .raw(Integer.toString(image.height())).raw("\" alt=\"").text(image.label())
                        .raw("\">\n<figcaption>").text(image.label()).raw(" <span class=\"file\">")
                        .text(image.file()).raw("</span></figcaption>\n</figure>\n");
            }
            p.raw("</div>\n");
            if (!figures.note().isEmpty()) {
                p.raw("<p class=\"caption\">").text(figures.note()).raw("</p>\n");
            }
        }
        p.raw("</section>\n");
    }

    private static void recipe(Page p, Map<String, Object> recipe) {
        p.raw("<section id=\"recipe\">\n<h2>Recipe</h2>\n");
        if (recipe.isEmpty()) {
            p.raw("<p>No settings were recorded.</p>\n");
        } else {
            p.raw("<table class=\"pairs\">\n<tbody>\n");
            recipe.forEach((key, value) -> pair(p, key, Html.value(value)));
            p.raw("</tbody>\n</table>\n");
        }
        p.raw("</section>\n");
    }

    private static void machine(Page p, Machine m) {
        p.raw("<section id=\"machine\">\n<h2>Machine</h2>\n<table class=\"pairs\">\n<tbody>\n");
        pair(p, "JDK", m.jdkVersion() + " (" + m.jdkVendor() + ")");
        pair(p, "OS", m.os());
        pair(p, "CPU", m.cpuModel());
        pair(p, "available processors", Integer.toString(m.availableProcessors()));
        pair(p, "kernels", m.kernel());
        pair(p, "vector width", m.vectorBits() == 0 ? "none (scalar)" : m.vectorBits() + " bits");
        pair(p, "threads", Integer.toString(m.threads()));
        p.raw("</tbody>\n</table>\n</section>\n");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Small pieces

    private static void embed(Page p, Figure f) {
        if (!f.drawn()) {
            p.raw("<p class=\"failed\">").text(f.caption()).raw("</p>\n");
            return;
        }
        p.raw("<figure>\n<img src=\"data:image/png;base64,").raw(Base64.getEncoder().encodeToString(f.png()))
                .raw("\" width=\"").raw(Integer.toString(f.width())).raw("\" height=\"")
                .raw(Integer.toString(f.height())).raw("\" alt=\"").text(f.alt()).raw("\">\n<figcaption>")
                .text(f.caption()).raw(" <span class=\"file\">").text(f.file()).raw("</span></figcaption>\n")
                .raw("</figure>\n");
    }

    private static Figure find(List<Figure> figures, String file) {
        return figures.stream().filter(f -> f.file().equals(file)).findFirst().orElse(null);
    }

    private static void cell(Page p, String text) {
        p.raw("<td>").text(text).raw("</td>");
    }

    private static void pair(Page p, String key, String value) {
        p.raw("<tr><th scope=\"row\">").text(key).raw("</th><td>").text(value).raw("</td></tr>\n");
    }

    private static String scoreName(ScoreType type) {
        return switch (type) {
            case LOGITS -> "logits";
            case SOFTMAX -> "softmax probabilities";
        };
    }

    private static String threads(int n) {
        return n == 1 ? "1 thread" : n + " threads";
    }

    private static String duration(double seconds) {
        if (Double.isNaN(seconds)) {
            return Html.MISSING;
        }
        long s = Math.round(seconds);
        if (s < 120) {
            return s + " s";
        }
        return s < 7200 ? Html.fixed(seconds / 60, 1) + " min" : Html.fixed(seconds / 3600, 2) + " h";
    }

    /**
     * The page under construction. Two verbs only, so that every call site shows whether a string is markup
     * ({@code raw}, always a literal or a number in this class) or text ({@code text}, always escaped).
     */
    private static final class Page {
        private final StringBuilder sb = new StringBuilder(1 << 20);

        Page raw(String markup) {
            sb.append(markup);
            return this;
        }

        Page text(String text) {
            sb.append(Html.escape(text));
            return this;
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }

    /** One stylesheet, inline: system fonts, a narrow column, tables with aligned figures, print-friendly. */
    private static final String CSS = """
            :root { --ink: #1f2328; --muted: #59636e; --line: #d8dee4; --bg: #f6f8fa; --accent: #0b5cad;
                    --good: #1a7f37; --mark: #fff8c5; }
            * { box-sizing: border-box; }
            body { margin: 0; background: var(--bg); color: var(--ink);
                   font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
            header, main, footer { max-width: 1320px; margin: 0 auto; padding: 0 24px; }
            header { padding-top: 28px; }
            h1 { font-size: 26px; margin: 0 0 4px; }
            h2 { font-size: 20px; margin: 0 0 14px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
            h3 { font-size: 16px; margin: 22px 0 6px; }
            .meta { color: var(--muted); margin: 0 0 18px; }
            section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 20px 24px;
                      margin: 0 0 20px; }
            .summary { display: flex; flex-wrap: wrap; gap: 24px; align-items: stretch; }
            .hero { min-width: 220px; padding: 8px 28px 8px 4px; border-right: 1px solid var(--line); }
            .hero-label { color: var(--muted); font-size: 14px; text-transform: uppercase; letter-spacing: .06em; }
            .hero-value { font-size: 56px; font-weight: 700; line-height: 1.1; color: var(--good);
                          font-variant-numeric: tabular-nums; }
            .hero-sub { color: var(--muted); }
            .cards { flex: 1; display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
                     gap: 12px; margin: 0; }
            .card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
            .card-label { color: var(--muted); font-size: 13px; }
            .card-value { margin: 2px 0 0; font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
            .card .note { font-size: 12px; color: var(--muted); }
            nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 0; margin: 0 0 20px; }
            nav a { color: var(--accent); text-decoration: none; }
            nav a:hover { text-decoration: underline; }
            table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
            th, td { padding: 5px 12px; border-bottom: 1px solid var(--line); text-align: left; }
            thead th { border-bottom: 2px solid var(--line); font-weight: 600; white-space: nowrap; }
            tbody tr:nth-child(even) { background: #fafbfc; }
            table.numbers td, td.num { text-align: right; }
            tr.worst, tr.worst:nth-child(even) { background: var(--mark); }
            tbody th { font-weight: 500; }
            table.pairs th { color: var(--muted); font-weight: 400; padding-right: 28px; }
            .scroll { overflow-x: auto; }
            figure { margin: 0 0 16px; }
            figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line);
                         border-radius: 4px; }
            .failed { color: #9a2a2a; background: #fff0f0; border: 1px solid #f0c8c8; border-radius: 6px;
                      padding: 10px 14px; }
            figcaption, .caption { color: var(--muted); font-size: 13px; margin-top: 6px; }
            .file { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; margin-left: 6px; }
            pre { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px;
                  overflow-x: auto; font: 13px/1.45 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
            code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
            .gallery { display: flex; flex-wrap: wrap; gap: 10px; margin: 0 0 8px; }
            .side-by-side { display: flex; flex-wrap: wrap; gap: 12px; }
            .side-by-side figure { flex: 1 1 380px; min-width: 0; }
            figure.sample { margin: 0; width: 96px; font-size: 11px; line-height: 1.3; }
            figure.sample img { width: 84px; height: 84px; image-rendering: pixelated; border: 2px solid var(--line);
                                border-radius: 3px; }
            figure.sample.wrong img { border-color: #cf222e; }
            figure.sample.right img { border-color: var(--good); }
            figure.sample figcaption { margin: 2px 0 0; color: var(--ink); }
            figure.sample span { display: block; }
            figure.sample .predicted { color: #cf222e; }
            figure.sample .p { color: var(--muted); }
            h3 .count { color: var(--muted); font-weight: 400; font-size: 13px; margin-left: 8px; }
            footer { color: var(--muted); font-size: 12px; padding-bottom: 32px; }
            @media print { body { background: #fff; } section { break-inside: avoid; border: none; padding: 0; }
                           nav { display: none; } }
            """;
}
