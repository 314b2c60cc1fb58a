package jcnn.training.nn;

import jcnn.core.Ops;
import jcnn.core.Tensor;

/**
 * Average pooling over square windows without padding, PyTorch's {@code nn.AvgPool2d(k, stride)}: no parameters.
 * Sizes that do not divide are floored, as in PyTorch.
 */
public final class AvgPool2d extends Module {

    private final int kernel;
    private final int stride;

    /** @throws IllegalArgumentException when the window or the stride is below 1 */
    public AvgPool2d(int kernel, int stride) {
        String settings = "AvgPool2d(kernel=" + kernel + ", stride=" + stride + ")";
        Conv2d.require(kernel >= 1, settings, "kernel must be >= 1, got " + kernel);
        Conv2d.require(stride >= 1, settings, "stride must be >= 1, got " + stride);
        this.kernel = kernel;
        this.stride = stride;
    }

    /** {@inheritDoc} <pre>x (n,c,h,w) -> y (n,c,(h-k)/stride+1,(w-k)/stride+1)</pre> */
    /** {@inheritDoc} True: each image's output depends on that image only. */
    @Override
    public boolean independentPerSample() {
        return true;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Ops.avgPool2d(x, kernel, stride);
    }

    @Override
    public int[] outputShape(int[] input) {
        if (input.length != 4 || input[2] < kernel || input[3] < kernel) {
            throw new IllegalArgumentException(this + " expects input (n,c,h,w) with h, w >= " + kernel
                    + " but got " + shapeString(input));
        }
        return new int[] {input[0], input[1], (input[2] - kernel) / stride + 1, (input[3] - kernel) / stride + 1};
    }

    @Override
    public String toString() {
        return "AvgPool2d(kernel=" + kernel + ", stride=" + stride + ")";
    }
}
