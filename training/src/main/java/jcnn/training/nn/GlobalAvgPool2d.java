package jcnn.training.nn;

import jcnn.core.Ops;
import jcnn.core.Tensor;

/**
 * Global average pooling, PyTorch's {@code nn.AdaptiveAvgPool2d(1)}: each channel's plane becomes its mean. No
 * parameters; a {@link Flatten} after it gives the (n, c) features a classifier takes.
 */
public final class GlobalAvgPool2d extends Module {

    /** {@inheritDoc} <pre>x (n,c,h,w) -> y (n,c,1,1)</pre> */
    /** {@inheritDoc} True: each image's output depends on that image only. */
    @Override
    public boolean independentPerSample() {
        return true;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Ops.globalAvgPool2d(x);
    }

    @Override
    public int[] outputShape(int[] input) {
        if (input.length != 4 || input[2] < 1 || input[3] < 1) {
            throw new IllegalArgumentException(this + " expects input (n,c,h,w) but got " + shapeString(input));
        }
        return new int[] {input[0], input[1], 1, 1};
    }

    /** PyTorch's name for the layer, as its summary shows it. */
    @Override
    public String typeName() {
        return "AdaptiveAvgPool2d";
    }

    @Override
    public String toString() {
        return "AdaptiveAvgPool2d(output_size=1)";
    }
}
