package jcnn.eval.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jcnn.training.EpochMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15, item 1: a run with {@code -Dlr=1e6} wrote its report.txt and then spun forever inside XChart's tick
 * calculation, drawing losses of 3e20 and 6e29. No figure may hang a run: values a chart cannot draw are clipped with
 * a note, and a figure that still takes too long is skipped with a note. Every test here has a time limit, so a
 * regression fails instead of hanging the build.
 */
class PlotsDivergedRunTest {

    /** The two epochs of {@code -Dlr=1e6 -Doptimizer=adam -Depochs=2 -Dlimit=2000}: the losses from the issue. */
    private static List<EpochMetrics> diverged(double trainLoss, double validationLoss) {
        return List.of(
                new EpochMetrics(1, 2, trainLoss, 0.1, validationLoss, 0.1, 1e6, 1600, 1.0, 1.2, true),
                new EpochMetrics(2, 2, validationLoss, 0.1, trainLoss, 0.1, 1e6, 1600, 1.0, 1.2, false));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theLossesOfTheIssueDraw() {
        BufferedImage image = Plots.trainingCurves(diverged(3e20, 6e29));
        assertEquals(1280, image.getWidth());
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE,
        -Double.MAX_VALUE, 1e16, -1e15, 3e20, 6e29, Double.MIN_VALUE})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anyValueInAnySeriesDrawsOrIsSkippedWithANoteWithinTheLimit(double bad) {
        List<EpochMetrics> epochs = new ArrayList<>();
        for (int slot = 0; slot < 4; slot++) {
            double[] v = {0.5, 0.8, 0.6, 0.7};
            v[slot] = bad;
            epochs.add(new EpochMetrics(slot + 1, 4, v[0], v[1], v[2], v[3], 0.05, 100, 1, 1, false));
        }
        // Straight through Plots: must come back (clipped), never hang.
        assertTrue(Plots.trainingCurves(epochs).getWidth() > 0);
        // And as the report draws it: under the time bound, drawn.
        HtmlReportWriter.Figure figure = HtmlReportWriter.draw("t.png", () -> Plots.trainingCurves(epochs), "alt",
                "caption");
        assertTrue(figure.drawn(), figure.caption());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void epochsWithNoFiniteNumberAtAllStillGiveAFigureOrANote() {
        List<EpochMetrics> epochs = List.of(
                new EpochMetrics(1, 2, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 1e6, 0, 0, 0, false),
                new EpochMetrics(2, 2, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 1e6, 0, 0, 0, false));
        HtmlReportWriter.Figure figure = HtmlReportWriter.draw("t.png", () -> Plots.trainingCurves(epochs), "alt",
                "caption");
        assertTrue(figure.drawn() || figure.caption().startsWith("This figure could not be drawn"),
                figure.caption());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theWholeReportOfADivergedRunIsWritten() {
        SyntheticRun run = SyntheticRun.fashion(2000);
        RunReport report = new RunReport("diverged", Instant.parse("2026-12-01T10:00:00Z"), SyntheticRun.recipe(),
                SyntheticRun.machine(), diverged(3e20, 6e29), run.testResults(), List.of());
        for (HtmlReportWriter.Figure figure : HtmlReportWriter.figures(report)) {
            assertTrue(figure.drawn(), figure.file() + ": " + figure.caption());
        }
    }

    @Test
    void clippingReplacesOnlyWhatCannotBeDrawnAndCountsIt() {
        double[] v = {0.5, Double.NaN, 3e20, -6e29, Double.POSITIVE_INFINITY, Plots.DRAWABLE, -Plots.DRAWABLE};
        assertEquals(3, Plots.clip(v));
        assertArrayEquals(new double[] {0.5, Double.NaN, 1e9, -1e9, 1e9, 1e9, -1e9}, v);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aFigureThatNeverFinishesIsSkippedWithANoteAtTheTimeLimit() {
        long start = System.nanoTime();
        HtmlReportWriter.Figure figure = HtmlReportWriter.draw("spin.png", () -> {
            // What XChart did: a loop that neither ends nor looks at interrupts.
            long x = 0;
            while (x >= 0) {
                x = (x + 1) & Long.MAX_VALUE;
            }
            throw new AssertionError("unreachable");
        }, "alt", "caption", Duration.ofMillis(300));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertFalse(figure.drawn());
        assertTrue(figure.caption().startsWith("This figure was skipped: drawing it took longer than"),
                figure.caption());
        assertTrue(seconds < 10, "came back after " + seconds + " s");
    }
}
