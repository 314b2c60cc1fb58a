package jcnn.eval.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import jcnn.eval.metrics.ConfusionMatrix;

/**
 * The confusion matrix as a heat map, drawn with Java2D: rows are the true class, columns the predicted class, each
 * cell shows its count.
 *
 * <p>Shading: a cell's colour is its share of its row (the fraction of that true class predicted as the column),
 * so classes of different sizes compare fairly, on a square-root scale: next to a 90% diagonal, confusions of 1-5%
 * are what a reader looks for, and a linear scale would leave them all nearly white. The colour bar shows the scale.
 * Colours run along matplotlib's "Blues", with white text on the dark cells.
 */
final class ConfusionMatrixPlot {

    static {
        Headless.ensure();
    }

    /** matplotlib's "Blues" colour map at nine evenly spaced stops, from 0 to 1. */
    private static final Color[] BLUES = {
        new Color(0xf7fbff), new Color(0xdeebf7), new Color(0xc6dbef), new Color(0x9ecae1), new Color(0x6baed6),
        new Color(0x4292c6), new Color(0x2171b5), new Color(0x08519c), new Color(0x08306b)};

    /** Shares marked on the colour bar. */
    private static final double[] BAR_TICKS = {0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 1};

    /** Above this shade (on the square-root scale) dark text would not read: use white. */
    private static final double WHITE_TEXT_FROM = 0.55;

    private static final int PAD = 16;

    private ConfusionMatrixPlot() {
    }

    static BufferedImage render(ConfusionMatrix matrix, List<String> classNames) {
        int k = matrix.numClasses();
        if (classNames.size() != k) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + k + " classes");
        }
        // Cells as large as fit in about 600 pixels, within limits that keep counts legible and images small.
        int cell = Math.max(28, Math.min(60, 600 / k));
        Font labelFont = new Font(Plots.FONT, Font.PLAIN, 13);
        Font titleFont = new Font(Plots.FONT, Font.BOLD, 16);
        Font axisFont = new Font(Plots.FONT, Font.PLAIN, 14);
        Font smallFont = new Font(Plots.FONT, Font.PLAIN, 11);

        // Measure the labels on a scratch image before choosing the canvas size.
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D m = scratch.createGraphics();
        FontMetrics labelMetrics = m.getFontMetrics(labelFont);
        int longestName = 0;
        for (int c = 0; c < k; c++) {
            longestName = Math.max(longestName, labelMetrics.stringWidth(classNames.get(c)));
        }
        long maxCount = 0;
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                maxCount = Math.max(maxCount, matrix.count(t, p));
            }
        }
        Font countFont = countFont(m, Long.toString(maxCount), cell);
        int titleHeight = m.getFontMetrics(titleFont).getHeight();
        int axisHeight = m.getFontMetrics(axisFont).getHeight();
        int barLabelWidth = m.getFontMetrics(smallFont).stringWidth("100%");
        m.dispose();

        // Rotated 45 degrees, a name of width w needs about w * sin(45) below the grid.
        int rotatedDrop = (int) Math.ceil(longestName * Math.sqrt(0.5)) + labelMetrics.getHeight();
        int gridX = PAD + axisHeight + 8 + longestName + 10;
        int gridY = PAD + 2 * titleHeight + 10;
        int grid = k * cell;
        int barX = gridX + grid + 24;
        int barWidth = 16;
        int width = barX + barWidth + 8 + barLabelWidth + PAD + 10;
        int height = gridY + grid + 10 + rotatedDrop + axisHeight + PAD;

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);

            // Title and the one line that says how to read the colours.
            g.setColor(Plots.INK);
            g.setFont(titleFont);
            String title = String.format(Locale.ROOT, "Confusion matrix: %d of %d correct (%.2f%%)",
                    matrix.correct(), matrix.total(), 100.0 * matrix.accuracy());
            drawCentered(g, title, gridX + grid / 2, PAD + g.getFontMetrics().getAscent());
            g.setFont(smallFont);
            g.setColor(new Color(0x555555));
            drawCentered(g, "counts; shade = share of the true class (square-root scale)", gridX + grid / 2,
                    PAD + titleHeight + g.getFontMetrics().getAscent() + 2);

            // Cells.
            for (int t = 0; t < k; t++) {
                long support = matrix.support(t);
                for (int p = 0; p < k; p++) {
                    long count = matrix.count(t, p);
                    double shade = support == 0 ? 0 : Math.sqrt((double) count / support);
                    int x = gridX + p * cell;
                    int y = gridY + t * cell;
                    g.setColor(blues(shade));
                    g.fillRect(x, y, cell, cell);
                    g.setFont(t == p ? countFont.deriveFont(Font.BOLD) : countFont);
                    g.setColor(count == 0 ? new Color(0xb8b8b8) : shade >= WHITE_TEXT_FROM ? Color.WHITE : Plots.INK);
                    FontMetrics fm = g.getFontMetrics();
                    drawCentered(g, Long.toString(count), x + cell / 2,
                            y + (cell - fm.getHeight()) / 2 + fm.getAscent());
                }
            }
            // Thin white lines between cells keep neighbouring dark cells apart; a grey frame closes the grid.
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(1f));
            for (int i = 1; i < k; i++) {
                g.drawLine(gridX + i * cell, gridY, gridX + i * cell, gridY + grid);
                g.drawLine(gridX, gridY + i * cell, gridX + grid, gridY + i * cell);
            }
            g.setColor(new Color(0x9a9a9a));
            g.drawRect(gridX, gridY, grid, grid);

            // Row labels (true class), right-aligned against the grid.
            g.setColor(Plots.INK);
            g.setFont(labelFont);
            FontMetrics fm = g.getFontMetrics();
            for (int t = 0; t < k; t++) {
                String name = classNames.get(t);
                int y = gridY + t * cell + (cell - fm.getHeight()) / 2 + fm.getAscent();
                g.drawString(name, gridX - 8 - fm.stringWidth(name), y);
            }
            // Column labels (predicted class), rotated so that long names do not collide; each ends under its cell.
            for (int p = 0; p < k; p++) {
                String name = classNames.get(p);
                AffineTransform saved = g.getTransform();
                g.translate(gridX + p * cell + cell / 2.0 + fm.getAscent() / 3.0, gridY + grid + 8);
                g.rotate(-Math.PI / 4);
                g.drawString(name, -fm.stringWidth(name), fm.getAscent() / 2);
                g.setTransform(saved);
            }
            // Axis titles.
            g.setFont(axisFont);
            drawCentered(g, "Predicted class", gridX + grid / 2, height - PAD);
            AffineTransform saved = g.getTransform();
            g.translate(PAD + g.getFontMetrics().getAscent(), gridY + grid / 2.0);
            g.rotate(-Math.PI / 2);
            drawCentered(g, "True class", 0, 0);
            g.setTransform(saved);

            drawColourBar(g, barX, gridY, barWidth, grid, smallFont);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The bar runs from share 0 at the bottom to 1 at the top, on the same square-root scale as the cells. */
    private static void drawColourBar(Graphics2D g, int x, int y, int w, int h, Font font) {
        for (int i = 0; i < h; i++) {
            g.setColor(blues(1 - (double) i / (h - 1)));
            g.fillRect(x, y + i, w, 1);
        }
        g.setColor(new Color(0x9a9a9a));
        g.drawRect(x, y, w, h);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        for (double share : BAR_TICKS) {
            int ty = y + (int) Math.round((1 - Math.sqrt(share)) * h);
            g.setColor(new Color(0x9a9a9a));
            g.drawLine(x + w, ty, x + w + 4, ty);
            g.setColor(Plots.INK);
            String label = share == 0 ? "0" : String.format(Locale.ROOT, "%.0f%%", 100 * share);
            g.drawString(label, x + w + 7, ty + fm.getAscent() / 2 - 1);
        }
    }

    /** The count font: 14 pt, smaller if the widest count would not fit in the cell with a margin. */
    private static Font countFont(Graphics2D g, String widest, int cell) {
        float size = 14f;
        Font font = new Font(Plots.FONT, Font.BOLD, 14);
        while (size > 7 && g.getFontMetrics(font).stringWidth(widest) > cell - 8) {
            size -= 0.5f;
            font = font.deriveFont(size);
        }
        return font.deriveFont(Font.PLAIN);
    }

    /** The colour map at t in [0, 1], interpolated linearly between the stops. */
    static Color blues(double t) {
        double pos = Math.max(0, Math.min(1, t)) * (BLUES.length - 1);
        int i = Math.min((int) pos, BLUES.length - 2);
        double f = pos - i;
        Color a = BLUES[i];
        Color b = BLUES[i + 1];
        return new Color(
                (int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    private static void drawCentered(Graphics2D g, String text, double centreX, double baseline) {
        g.drawString(text, (float) (centreX - g.getFontMetrics().stringWidth(text) / 2.0), (float) baseline);
    }
}
