package jcnn.eval.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import jcnn.kernels.ConvShape;
import jcnn.kernels.Kernels;
import jcnn.kernels.ScalarKernels;

/**
 * Draws {@code docs/images/im2col.svg}, the worked example of {@code docs/im2col.md}, from what the reference
 * kernels compute: a 1-channel 4x4 input holding 1..16, a 3x3 kernel, stride 1, no padding.
 * <ul>
 *   <li>{@link ScalarKernels#im2col} unfolds the input into col (9, 4): one row per kernel tap, one column per
 *       output pixel;</li>
 *   <li>{@link ScalarKernels#sgemm} multiplies the flattened kernel W (1, 9) by col, giving the output (1, 4),
 *       which is the 2x2 output image;</li>
 *   <li>{@link ScalarKernels#col2im} of a col full of ones shows the adjoint at work: each pixel receives one
 *       term per window that covers it.</li>
 * </ul>
 * The SVG is built as a plain string with integer coordinates and fixed formatting, so the same kernels always
 * give the same bytes and a test can compare the committed file with a fresh one. The numbers quoted in the
 * document come from {@link #numbers()}, which the same test looks for in the document.
 *
 * <p>Run {@code main} with the output path (default {@code docs/images/im2col.svg}, relative to the working
 * directory) to regenerate the picture.
 */
public final class Im2colFigure {

    /** The example's shape: one image, one channel, 4x4, one output channel, 3x3 kernel, stride 1, padding 0. */
    static final ConvShape SHAPE = new ConvShape(1, 1, 4, 4, 1, 3, 3, 1, 0);

    /** The same input with padding 1, the seed CNN's setting, for the text's second example. */
    static final ConvShape PADDED = new ConvShape(1, 1, 4, 4, 1, 3, 3, 1, 1);

    /** A small blur shaped like a plus sign: the centre counts twice, its four neighbours once. */
    static final float[] KERNEL = {0, 1, 0, 1, 2, 1, 0, 1, 0};

    /** The colour of each output pixel's window, column and value (Okabe-Ito, readable by colour-blind readers). */
    private static final String[] COLOURS = {"#0072B2", "#E69F00", "#009E73", "#CC79A7"};

    private final float[] x;
    private final float[] col;
    private final float[] y;
    private final float[] coverage;
    private final float[] paddedCol;

    private Im2colFigure(Kernels k) {
        x = new float[SHAPE.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        int rows = SHAPE.colRows(), cols = SHAPE.colCols();
        col = new float[rows * cols];
        k.im2col(x, 0, SHAPE, col, 0);
        // y (1, 4) = W (1, 9) . col (9, 4): the whole convolution of this image is one GEMM.
        y = new float[cols];
        k.sgemm(false, false, 1, cols, rows, KERNEL, 0, rows, col, 0, cols, y, 0, cols, false);
        float[] ones = new float[rows * cols];
        java.util.Arrays.fill(ones, 1f);
        coverage = new float[x.length];
        k.col2im(ones, 0, SHAPE, coverage, 0);
        paddedCol = new float[PADDED.colRows() * PADDED.colCols()];
        k.im2col(x, 0, PADDED, paddedCol, 0);
    }

    /** The example as the reference kernels compute it. */
    public static Im2colFigure compute() {
        return new Im2colFigure(new ScalarKernels());
    }

    /** Writes the SVG to {@code args[0]}, by default {@code docs/images/im2col.svg}. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/images/im2col.svg");
        Files.writeString(out, compute().svg(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    // ---------------------------------------------------------------------------------------------------------
    // The numbers, as the document quotes them

    /**
     * The worked numbers as plain text blocks, separated by blank lines: the column matrix, the GEMM and its
     * output, the coverage counts of col2im, and the first row of the padded column matrix.
     */
    public String numbers() {
        int rows = SHAPE.colRows(), cols = SHAPE.colCols();
        StringBuilder sb = new StringBuilder();
        sb.append("col = im2col(x), shape (9, 4)\n");
        sb.append("             out(0,0) out(0,1) out(1,0) out(1,1)\n");
        for (int r = 0; r < rows; r++) {
            sb.append(String.format(Locale.ROOT, "tap (%d,%d)  ", r / 3, r % 3));
            for (int c = 0; c < cols; c++) {
                sb.append(String.format(Locale.ROOT, "%9s", number(col[r * cols + c])));
            }
            sb.append('\n');
        }
        sb.append('\n');
        sb.append("W = [").append(join(KERNEL, 0, KERNEL.length)).append("]   (the kernel, flattened)\n");
        sb.append("y = W . col = [").append(join(y, 0, y.length)).append("]   -> y (2, 2) = [[")
                .append(join(y, 0, 2)).append("], [").append(join(y, 2, 4)).append("]]\n");
        sb.append('\n');
        sb.append("col2im(ones (9, 4)), shape (4, 4)\n");
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                sb.append(String.format(Locale.ROOT, "%3s", number(coverage[r * 4 + c])));
            }
            sb.append('\n');
        }
        sb.append('\n');
        sb.append("padding 1: row tap (0,0) of col (9, 16), one group per output row\n");
        for (int r = 0; r < PADDED.oh(); r++) {
            sb.append(r > 0 ? " | " : "");
            for (int c = 0; c < PADDED.ow(); c++) {
                sb.append(c > 0 ? " " : "").append(String.format(Locale.ROOT, "%2s",
                        number(paddedCol[r * PADDED.ow() + c])));
            }
        }
        sb.append('\n');
        return sb.toString();
    }

    private static String join(float[] a, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(i > from ? ", " : "").append(number(a[i]));
        }
        return sb.toString();
    }

    private static String number(float v) {
        return v == Math.rint(v) ? String.valueOf((int) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The picture

    /** The figure as an SVG document. */
    public String svg() {
        Svg s = new Svg(940, 610);
        s.text(20, 30, "im2col: a 4×4 input, a 3×3 kernel, stride 1, no padding", 18, "start", true);
        s.text(20, 52, "Drawn by jcnn.eval.docs.Im2colFigure from what ScalarKernels.im2col, sgemm and col2im"
                + " computed.", 12, "start", false);

        // The input.
        int cell = 44, x0 = 40, top = 160;
        s.text(x0 + 2 * cell, top - 14, "x (1, 4, 4)", 14, "middle", true);
        grid(s, x0, top, cell, cell, x, 4, 4, null);

        // The arrow to the column matrix.
        s.arrow(x0 + 4 * cell + 12, top + 2 * cell, 318, top + 2 * cell);
        s.text((x0 + 4 * cell + 318) / 2, top + 2 * cell - 8, "im2col", 13, "middle", true);

        // The column matrix, a window thumbnail above each column, tap labels on the left.
        int cw = 56, ch = 32, cx = 410, cy = 180;
        int rows = SHAPE.colRows(), cols = SHAPE.colCols();
        s.text(cx + 2 * cw, 80, "each column is one window of x", 13, "middle", false);
        for (int c = 0; c < cols; c++) {
            int tx = cx + c * cw + (cw - 36) / 2;
            thumbnail(s, tx, 94, c);
            s.text(cx + c * cw + cw / 2, 146, "out(" + c / 2 + "," + c % 2 + ")", 11, "middle", false);
        }
        for (int c = 0; c < cols; c++) {
            s.rect(cx + c * cw, cy, cw, rows * ch, COLOURS[c], 0.16, "none");
        }
        for (int r = 0; r < rows; r++) {
            s.text(cx - 10, cy + r * ch + ch / 2 + 5, "tap (" + r / 3 + "," + r % 3 + ")", 12, "end", false);
        }
        grid(s, cx, cy, cw, ch, col, rows, cols, "none");
        s.text(cx + 2 * cw, cy + rows * ch + 22, "col = im2col(x), shape (9, 4)", 13, "middle", true);

        // The GEMM in its textbook layout: W to the left of the row it produces, col above it.
        int gy = cy + rows * ch + 48, ww = 36;
        int wx = cx - 10 - 9 * ww;
        grid(s, wx, gy, ww, ch, KERNEL, 1, 9, null);
        s.text(wx + 9 * ww / 2, gy + ch + 20, "W (1, 9): the kernel, flattened", 13, "middle", false);
        for (int c = 0; c < cols; c++) {
            s.rect(cx + c * cw, gy, cw, ch, COLOURS[c], 0.35, "none");
        }
        grid(s, cx, gy, cw, ch, y, 1, cols, "none");
        s.text(cx + 2 * cw, gy + ch + 20, "y = W · col, shape (1, 4)", 13, "middle", true);

        // The output image.
        int ox = 720, oc = 44;
        s.arrow(cx + cols * cw + 12, gy + ch / 2, ox - 12, gy + ch / 2);
        s.text((cx + cols * cw + ox) / 2, gy + ch / 2 - 8, "reshape", 13, "middle", false);
        for (int c = 0; c < cols; c++) {
            s.rect(ox + (c % 2) * oc, gy - oc / 2 + (c / 2) * oc, oc, oc, COLOURS[c], 0.35, "none");
        }
        grid(s, ox, gy - oc / 2, oc, oc, y, 2, 2, "none");
        s.text(ox + oc, gy + oc * 3 / 2 + 20, "y (1, 1, 2, 2)", 13, "middle", true);

        // The adjoint: col2im of ones counts the windows over each pixel.
        int ax = 700, ay = 160;
        s.text(ax + 2 * cell, 96, "col2im(ones (9, 4)): how many", 13, "middle", false);
        s.text(ax + 2 * cell, 114, "windows cover each pixel", 13, "middle", false);
        s.text(ax + 2 * cell, ay - 14, "dx (1, 4, 4)", 14, "middle", true);
        grid(s, ax, ay, cell, cell, coverage, 4, 4, null);
        return s.end();
    }

    /** A grid of numbered cells; {@code fill} null means white, "none" leaves what is underneath visible. */
    private static void grid(Svg s, int x0, int y0, int w, int h, float[] values, int rows, int cols, String fill) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int x = x0 + c * w, y = y0 + r * h;
                s.rect(x, y, w, h, fill == null ? "#ffffff" : fill, 1, "#555555");
                s.text(x + w / 2, y + h / 2 + 5, number(values[r * cols + c]), 14, "middle", false);
            }
        }
    }

    /** The 4x4 input in miniature with the window of output pixel {@code c} filled in its colour. */
    private static void thumbnail(Svg s, int x0, int y0, int c) {
        int a = c / 2, b = c % 2, t = 9;
        for (int r = 0; r < 4; r++) {
            for (int q = 0; q < 4; q++) {
                boolean inside = r >= a && r < a + 3 && q >= b && q < b + 3;
                s.rect(x0 + q * t, y0 + r * t, t, t, inside ? COLOURS[c] : "#ffffff", inside ? 0.7 : 1, "#888888");
            }
        }
    }
}
