package jcnn.kernels;

/**
 * The shape of a 2-D convolution in NCHW layout: input (n, c, h, w), weight (o, c, kh, kw), output (n, o, oh, ow).
 *
 * @param n      batch size
 * @param c      input channels
 * @param h      input height
 * @param w      input width
 * @param o      output channels
 * @param kh     kernel height
 * @param kw     kernel width
 * @param stride step between windows, both directions
 * @param pad    zero padding on every side
 */
public record ConvShape(int n, int c, int h, int w, int o, int kh, int kw, int stride, int pad) {

    public ConvShape {
        if (n < 1 || c < 1 || h < 1 || w < 1 || o < 1 || kh < 1 || kw < 1 || stride < 1 || pad < 0) {
            throw new IllegalArgumentException("conv2d: impossible shape " + describe(n, c, h, w, o, kh, kw, stride, pad));
        }
        if (h + 2 * pad < kh || w + 2 * pad < kw) {
            throw new IllegalArgumentException("conv2d: kernel " + kh + "x" + kw + " larger than padded input "
                    + (h + 2 * pad) + "x" + (w + 2 * pad) + " in " + describe(n, c, h, w, o, kh, kw, stride, pad));
        }
    }

    /** Output height: floor((h + 2 pad - kh) / stride) + 1. */
    public int oh() {
        return (h + 2 * pad - kh) / stride + 1;
    }

    /** Output width: floor((w + 2 pad - kw) / stride) + 1. */
    public int ow() {
        return (w + 2 * pad - kw) / stride + 1;
    }

    /** Rows of one image's im2col matrix: c * kh * kw. */
    public int colRows() {
        return c * kh * kw;
    }

    /** Columns of one image's im2col matrix: oh * ow. */
    public int colCols() {
        return oh() * ow();
    }

    public int inputSize() {
        return n * c * h * w;
    }

    public int weightSize() {
        return o * c * kh * kw;
    }

    public int outputSize() {
        return n * o * oh() * ow();
    }

    private static String describe(int n, int c, int h, int w, int o, int kh, int kw, int stride, int pad) {
        return "x(" + n + "," + c + "," + h + "," + w + ") weight(" + o + "," + c + "," + kh + "," + kw
                + ") stride " + stride + " padding " + pad;
    }

    @Override
    public String toString() {
        return describe(n, c, h, w, o, kh, kw, stride, pad);
    }
}
