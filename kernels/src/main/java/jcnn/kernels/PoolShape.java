package jcnn.kernels;

/**
 * The shape of a 2-D max pooling in NCHW layout: input (n, c, h, w), output (n, c, oh, ow), square window k,
 * no padding. As in PyTorch, sizes that do not divide are floored: the last rows and columns that do not fill a
 * window are dropped.
 */
public record PoolShape(int n, int c, int h, int w, int k, int stride) {

    public PoolShape {
        if (n < 1 || c < 1 || h < 1 || w < 1 || k < 1 || stride < 1 || h < k || w < k) {
            throw new IllegalArgumentException("max_pool2d: impossible shape x(" + n + "," + c + "," + h + "," + w
                    + ") kernel " + k + " stride " + stride);
        }
    }

    public int oh() {
        return (h - k) / stride + 1;
    }

    public int ow() {
        return (w - k) / stride + 1;
    }

    public int inputSize() {
        return n * c * h * w;
    }

    public int outputSize() {
        return n * c * oh() * ow();
    }
}
