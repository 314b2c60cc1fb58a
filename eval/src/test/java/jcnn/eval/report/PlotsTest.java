package jcnn.eval.report;

import jcnn.training.EpochMetrics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import jcnn.eval.metrics.ConfusionMatrix;
import jcnn.eval.metrics.RocAuc;
import org.junit.jupiter.api.Test;

/** The figures are real PNGs of a sensible size with something drawn on them, in a JVM without a display. */
class PlotsTest {

    private static final SyntheticRun RUN = SyntheticRun.fashion(10_000);

    @Test
    void rocCurvesOfATestSetSizedRunMakeAModestPng() throws IOException {
        TestResults t = RUN.testResults();
        BufferedImage image = Plots.rocCurves(t.rocOneVsRest(), t.classNames());
        assertSensible(image, Plots.png(image), 1000, 1600, 400, 800);
    }

    @Test
    void confusionMatrixIsSensible() throws IOException {
        TestResults t = RUN.testResults();
        BufferedImage image = Plots.confusionMatrix(t.confusion(), t.classNames());
        assertSensible(image, Plots.png(image), 500, 1200, 500, 1200);
    }

    @Test
    void confusionMatrixCellsAreShadedByTheirShareOfTheRow() {
        // Class 0: 99 of 100 right. Class 1: 1 of 100 right. The diagonal cell of class 0 must be darker.
        long[][] counts = {{99, 1}, {99, 1}};
        ConfusionMatrix m = ConfusionMatrix.fromCounts(counts);
        double light = luminance(ConfusionMatrixPlot.blues(Math.sqrt(0.01)).getRGB());
        double dark = luminance(ConfusionMatrixPlot.blues(Math.sqrt(0.99)).getRGB());
        assertTrue(dark < light, "99% must be drawn darker than 1%");
        BufferedImage image = Plots.confusionMatrix(m, List.of("a", "b"));
        assertTrue(image.getWidth() > 150 && image.getHeight() > 150, image.getWidth() + "x" + image.getHeight());
    }

    @Test
    void trainingCurvesWithOneEpochOrNoValidationStillDraw() throws IOException {
        BufferedImage many = Plots.trainingCurves(SyntheticRun.epochs(15));
        assertSensible(many, Plots.png(many), 1000, 1600, 300, 800);

        BufferedImage one = Plots.trainingCurves(SyntheticRun.epochs(1));
        assertSensible(one, Plots.png(one), 1000, 1600, 300, 800);

        List<EpochMetrics> noValidation = new ArrayList<>();
        for (EpochMetrics e : SyntheticRun.epochs(4)) {
            noValidation.add(new EpochMetrics(e.epoch(), e.epochs(), e.trainLoss(), e.trainAccuracy(), Double.NaN,
                    Double.NaN, e.learningRate(), e.trainImages(), e.trainSeconds(), e.seconds(), false));
        }
        BufferedImage image = Plots.trainingCurves(noValidation);
        assertSensible(image, Plots.png(image), 1000, 1600, 300, 800);
    }

    @Test
    void aClassWithoutTestSamplesIsLeftOutOfTheRocPlotInsteadOfBreakingIt() {
        // Three classes, the last never occurs: its curve is NaN and its AUC undefined.
        int[] labels = {0, 1, 0, 1, 0, 1};
        float[] scores = {2, 1, 0, 1, 2, 0, 3, 1, 0, 0, 3, 1, 1, 0, 0, 0, 1, 0};
        RocAuc.OneVsRest roc = RocAuc.oneVsRest(labels, scores, 3);
        assertTrue(Double.isNaN(roc.auc()[2]));
        BufferedImage image = Plots.rocCurves(roc, List.of("a", "b", "never"));
        assertTrue(image.getWidth() > 0);
    }

    @Test
    void drawingNeedsNoDisplay() {
        Plots.png(Plots.trainingCurves(SyntheticRun.epochs(2)));
        // Surefire starts the JVM without the property, so Plots must have set it before AWT read it.
        assertEquals("true", System.getProperty("java.awt.headless"));
        assertTrue(GraphicsEnvironment.isHeadless());
    }

    /** Decodes, checks the size bounds and that the PNG is compact and not blank. */
    static void assertSensible(BufferedImage image, byte[] png, int minW, int maxW, int minH, int maxH)
            throws IOException {
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
        assertTrue(decoded != null, "not a PNG ImageIO can read");
        assertEquals(image.getWidth(), decoded.getWidth());
        assertEquals(image.getHeight(), decoded.getHeight());
        int w = decoded.getWidth();
        int h = decoded.getHeight();
        assertTrue(w >= minW && w <= maxW && h >= minH && h <= maxH, "size " + w + "x" + h);
        assertTrue(png.length > 5_000 && png.length < 400_000, "PNG of " + png.length + " bytes");
        long inked = 0;
        for (int y = 0; y < h; y += 2) {
            for (int x = 0; x < w; x += 2) {
                if ((decoded.getRGB(x, y) & 0xffffff) != 0xffffff) {
                    inked++;
                }
            }
        }
        double share = (double) inked / ((w / 2) * (h / 2));
        assertTrue(share > 0.01 && share < 0.9, "share of non-white pixels " + share);
    }

    private static double luminance(int rgb) {
        return 0.2126 * ((rgb >> 16) & 0xff) + 0.7152 * ((rgb >> 8) & 0xff) + 0.0722 * (rgb & 0xff);
    }
}
