package jcnn.eval.report;

import jcnn.training.EpochMetrics;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import jcnn.eval.metrics.ConfusionMatrix;
import jcnn.eval.metrics.RocAuc;
import jcnn.eval.metrics.RocCurve;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's three figures as images: ROC curves, the confusion matrix and the training curves.
 *
 * <p>Goals: figures that read well at the size the report shows them, the same look in every run, and no display
 * needed. Line charts are drawn by XChart; the confusion matrix by {@link ConfusionMatrixPlot} in plain Java2D,
 * because a heat map needs per-cell text colours and rotated axis labels that a chart library makes awkward.
 * Every method is pure: data in, image out; {@link #png} encodes, and writing files is the caller's business.
 *
 * <p>Headless: the first call sets {@code java.awt.headless=true} unless the JVM was started with a value, so this
 * works on a server or in CI with no X display (drawing into a BufferedImage needs no screen).
 */
public final class Plots {

    static {
        Headless.ensure();   // first: the Color constants below would otherwise initialise AWT
    }

    /** matplotlib's "tab10": distinct for ten classes and familiar from the seed study's notebook. */
    static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    static final Color INK = new Color(0x222222);
    static final Color GRID = new Color(0xe3e3e3);
    static final String FONT = Font.SANS_SERIF;

    /** Size of one chart panel; the report shows two side by side at about this size. */
    private static final int PANEL_WIDTH = 640;
    private static final int PANEL_HEIGHT = 560;

    /** The zoomed ROC panel shows FPR in [0, ZOOM] and TPR in [1 - ZOOM, 1], where good classifiers differ. */
    private static final double ZOOM = 0.2;

    /**
     * Points closer than this fraction of an axis are merged (see {@link CurveThinning}): about a fifth of a pixel
     * on a 500-pixel plot area.
     */
    private static final double THINNING = 1.0 / 2500;

    /**
     * The largest magnitude a line chart draws; values beyond it (a diverged run's loss of 3e20, an infinity) are
     * drawn at the limit and the panel's title says how many were clipped. Why a limit at all: XChart's tick
     * calculation loops forever once an axis spans more than about 1e15 (measured with XChart 4.0.3: losses of 1 and
     * 1e16 hang, 1 and 1e15 draw), so a run that diverged used to hang after writing its report. 1e9 leaves six
     * orders of magnitude of margin and is still far above any loss or percentage a working run produces.
     */
    static final double DRAWABLE = 1e9;

    /** The seed study's test accuracy (SEED.md), the reference line of every accuracy curve. */
    public static final double SEED_TEST_ACCURACY = 0.9129;

    private Plots() {
    }

    /**
     * The one-vs-rest ROC curves on two panels: the whole unit square, with the chance diagonal and a legend of class
     * names and AUCs, and a zoom on the top-left corner where curves with AUCs near 1 are told apart. Curves whose
     * AUC is undefined (a class with no test samples) are left out.
     *
     * @param classNames one per curve, by label
     */
    public static BufferedImage rocCurves(RocAuc.OneVsRest roc, List<String> classNames) {
        if (roc.curves().size() != classNames.size()) {
            throw new IllegalArgumentException(roc.curves().size() + " curves for " + classNames.size() + " names");
        }
        XYChart full = rocChart("ROC, one class vs the rest", 0, 1, 0, 1);
        full.getStyler().setLegendVisible(true);
        full.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        XYChart zoom = rocChart("Top-left corner, enlarged", 0, ZOOM, 1 - ZOOM, 1);

        for (XYChart chart : List.of(full, zoom)) {
            XYSeries chance = chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1});
            chance.setLineColor(Color.GRAY);
            chance.setLineStyle(SeriesLines.DASH_DASH);
            chance.setMarker(SeriesMarkers.NONE);
            chance.setShowInLegend(false);
        }
        for (int c = 0; c < roc.curves().size(); c++) {
            RocCurve curve = roc.curves().get(c);
            double auc = roc.auc()[c];
            if (Double.isNaN(auc)) {
                continue;
            }
            String label = String.format(Locale.ROOT, "%s (AUC %.4f)", classNames.get(c), auc);
            addCurve(full, label, curve, THINNING, PALETTE[c % PALETTE.length]);
            // Thinned at the zoomed scale, so the enlargement shows real detail rather than a coarser polyline.
            addCurve(zoom, label, curve, THINNING * ZOOM, PALETTE[c % PALETTE.length]);
        }
        return sideBySide(full, zoom);
    }

    /**
     * Loss and accuracy per epoch, training and validation, on two panels. The validation curve is drawn only
     * where there are validation numbers.
     *
     * @param epochs at least one
     */
    public static BufferedImage trainingCurves(List<EpochMetrics> epochs) {
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("no epochs to plot");
        }
        int n = epochs.size();
        double[] epoch = new double[n];
        double[] trainLoss = new double[n];
        double[] valLoss = new double[n];
        double[] trainAcc = new double[n];
        double[] valAcc = new double[n];
        for (int i = 0; i < n; i++) {
            EpochMetrics e = epochs.get(i);
            epoch[i] = e.epoch();
            trainLoss[i] = e.trainLoss();
            valLoss[i] = e.validationLoss();
            trainAcc[i] = 100 * e.trainAccuracy();
            valAcc[i] = 100 * e.validationAccuracy();
        }
        int lossClipped = clip(trainLoss) + clip(valLoss);
        int accuracyClipped = clip(trainAcc) + clip(valAcc);
        // Legends where the curves are not: loss falls towards the bottom right, accuracy rises to the top right.
        XYChart loss = epochChart(withClipNote("Loss (cross-entropy)", lossClipped), "loss", "0.000",
                Styler.LegendPosition.InsideNE);
        XYChart accuracy = epochChart(withClipNote("Accuracy", accuracyClipped), "accuracy (%)", "0.0",
                Styler.LegendPosition.InsideSE);
        addEpochSeries(loss, epoch, trainLoss, valLoss);
        addEpochSeries(accuracy, epoch, trainAcc, valAcc);
        // What this run is measured against: the seed study's test accuracy, as a dashed line over the epochs.
        double from = n == 1 ? epoch[0] - 1 : epoch[0];
        double to = n == 1 ? epoch[0] + 1 : epoch[n - 1];
        XYSeries reference = accuracy.addSeries("seed study, test: 91.29%", new double[] {from, to},
                new double[] {100 * SEED_TEST_ACCURACY, 100 * SEED_TEST_ACCURACY});
        reference.setLineColor(INK);
        reference.setLineStyle(SeriesLines.DASH_DASH);
        reference.setLineWidth(1.2f);
        reference.setMarker(SeriesMarkers.NONE);
        if (n == 1) {
            // One point gives XChart an empty x range; pad it so the point sits in the middle.
            for (XYChart chart : List.of(loss, accuracy)) {
                chart.getStyler().setXAxisMin(epoch[0] - 1).setXAxisMax(epoch[0] + 1);
            }
        }
        return sideBySide(loss, accuracy);
    }

    /**
     * The learning rate of each epoch and the seconds each took, on two panels: the schedule the optimizer
     * followed, and where the time went (a slow first epoch is JIT warm-up; a slow later one, a busy machine).
     *
     * @param epochs at least one
     */
    public static BufferedImage scheduleAndTime(List<EpochMetrics> epochs) {
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("no epochs to plot");
        }
        int n = epochs.size();
        double[] epoch = new double[n];
        double[] lr = new double[n];
        double[] seconds = new double[n];
        double[] trainSeconds = new double[n];
        for (int i = 0; i < n; i++) {
            EpochMetrics e = epochs.get(i);
            epoch[i] = e.epoch();
            lr[i] = e.learningRate();
            seconds[i] = e.seconds();
            trainSeconds[i] = e.trainSeconds();
        }
        int clipped = clip(lr) + clip(seconds) + clip(trainSeconds);
        XYChart schedule = epochChart(withClipNote("Learning rate", clipped), "learning rate", "0.0###",
                Styler.LegendPosition.InsideNE);
        XYChart time = epochChart("Time per epoch", "seconds", "0.0", Styler.LegendPosition.InsideSE);
        addLine(schedule, "learning rate", epoch, lr, PALETTE[2], SeriesMarkers.CIRCLE);
        addLine(time, "epoch, validation included", epoch, seconds, PALETTE[0], SeriesMarkers.CIRCLE);
        addLine(time, "training steps only", epoch, trainSeconds, PALETTE[1], SeriesMarkers.DIAMOND);
        time.getStyler().setYAxisMin(0.0);
        for (XYChart chart : List.of(schedule, time)) {
            if (n == 1) {
                chart.getStyler().setXAxisMin(epoch[0] - 1).setXAxisMax(epoch[0] + 1);
            }
        }
        return sideBySide(schedule, time);
    }

    private static void addLine(XYChart chart, String name, double[] x, double[] y, Color color,
                                org.knowm.xchart.style.markers.Marker marker) {
        double[][] kept = CurveThinning.thin(x, y, 0);   // drops NaN epochs only
        if (kept[0].length > 0) {
            XYSeries s = chart.addSeries(name, kept[0], kept[1]);
            s.setLineColor(color);
            s.setMarkerColor(color);
            s.setMarker(marker);
        }
    }

    /**
     * Replaces every infinite value and every value beyond {@link #DRAWABLE} in magnitude by {@code +-DRAWABLE}, in
     * place; NaN stays (the series drop it). Returns how many were replaced.
     */
    static int clip(double[] values) {
        int clipped = 0;
        for (int i = 0; i < values.length; i++) {
            if (Math.abs(values[i]) > DRAWABLE) {   // false for NaN
                values[i] = Math.copySign(DRAWABLE, values[i]);
                clipped++;
            }
        }
        return clipped;
    }

    private static String withClipNote(String title, int clipped) {
        return clipped == 0 ? title : String.format(Locale.ROOT, "%s (%d value%s beyond 1e9 drawn at 1e9)", title,
                clipped, clipped == 1 ? "" : "s");
    }

    /**
     * The confusion matrix as a heat map with the count in every cell and class names on both axes; cells are
     * shaded by their share of the true class (see {@link ConfusionMatrixPlot}).
     */
    public static BufferedImage confusionMatrix(ConfusionMatrix matrix, List<String> classNames) {
        return ConfusionMatrixPlot.render(matrix, classNames);
    }

    /** The image as PNG bytes. */
    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);   // a memory stream does not fail on I/O
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------------------------------------------------------

    private static XYChart rocChart(String title, double xMin, double xMax, double yMin, double yMax) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(title)
                .xAxisTitle("False positive rate").yAxisTitle("True positive rate").build();
        XYStyler s = chart.getStyler();
        style(s);
        s.setXAxisMin(xMin).setXAxisMax(xMax).setYAxisMin(yMin).setYAxisMax(yMax);
        s.setDecimalPattern(xMax - xMin < 0.5 ? "0.00" : "0.0");
        s.setLegendVisible(false);
        return chart;
    }

    private static void addCurve(XYChart chart, String label, RocCurve curve, double tolerance, Color color) {
        double[][] xy = CurveThinning.thin(curve.fpr(), curve.tpr(), tolerance);
        XYSeries series = chart.addSeries(label, xy[0], xy[1]);
        series.setLineColor(color);
        series.setLineWidth(1.6f);
        series.setMarker(SeriesMarkers.NONE);
    }

    private static XYChart epochChart(String title, String yTitle, String yPattern,
            Styler.LegendPosition legend) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT - 80).title(title)
                .xAxisTitle("epoch").yAxisTitle(yTitle).build();
        XYStyler s = chart.getStyler();
        style(s);
        s.setLegendPosition(legend);
        s.setXAxisDecimalPattern("0");
        s.setYAxisDecimalPattern(yPattern);
        s.setMarkerSize(6);
        return chart;
    }

    private static void addEpochSeries(XYChart chart, double[] epoch, double[] train, double[] validation) {
        // Tolerance 0: only drops the NaN epochs (a skipped epoch's loss, the validation of a run without one).
        double[][] tr = CurveThinning.thin(epoch, train, 0);
        if (tr[0].length > 0) {
            XYSeries t = chart.addSeries("train", tr[0], tr[1]);
            t.setLineColor(PALETTE[0]);
            t.setMarkerColor(PALETTE[0]);
            t.setMarker(SeriesMarkers.CIRCLE);
        }
        double[][] v = CurveThinning.thin(epoch, validation, 0);
        if (v[0].length > 0) {
            XYSeries s = chart.addSeries("validation", v[0], v[1]);
            s.setLineColor(PALETTE[1]);
            s.setMarkerColor(PALETTE[1]);
            s.setMarker(SeriesMarkers.DIAMOND);
        }
    }

    /** One look for every chart: white, light grid, no frame around the image, readable fonts. */
    private static void style(XYStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0xb0b0b0));
        s.setPlotGridLinesColor(GRID);
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartFontColor(INK);
        s.setAxisTickLabelsColor(INK);
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(FONT, Font.BOLD, 16));
        s.setAxisTitleFont(new Font(FONT, Font.PLAIN, 14));
        s.setAxisTickLabelsFont(new Font(FONT, Font.PLAIN, 12));
        s.setLegendFont(new Font(FONT, Font.PLAIN, 12));
        s.setLegendBorderColor(new Color(0xcccccc));
        s.setLegendBackgroundColor(new Color(255, 255, 255, 230));
        s.setAntiAlias(true);
        s.setTextAntiAlias(true);
        s.setLocale(Locale.ROOT);   // "0.5", not "0,5", whatever the machine's locale
        s.setPlotMargin(4);
        s.setChartPadding(12);
    }

    private static BufferedImage sideBySide(XYChart left, XYChart right) {
        int w = left.getWidth() + right.getWidth();
        int h = Math.max(left.getHeight(), right.getHeight());
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            left.paint(g, left.getWidth(), left.getHeight());
            g.translate(left.getWidth(), 0);
            right.paint(g, right.getWidth(), right.getHeight());
        } finally {
            g.dispose();
        }
        return image;
    }
}
