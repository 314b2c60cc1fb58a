package jcnn.training.nn;

import jcnn.core.Ops;
import jcnn.core.Tensor;

/**
 * (n, d1, d2, ...) -> (n, d1*d2*...), keeping the batch dimension and the C,H,W order, PyTorch's
 * {@code nn.Flatten()}: the bridge from convolutions to linear layers. No parameters.
 */
public final class Flatten extends Module {

    /** {@inheritDoc} True: each image's output depends on that image and the weights only. */
    @Override
    public boolean independentPerSample() {
        return true;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Ops.flatten(x);
    }

    @Override
    public int[] outputShape(int[] input) {
        if (input.length < 2) {
            throw new IllegalArgumentException("Flatten expects an input with a batch dimension and at least one"
                    + " more, but got " + shapeString(input));
        }
        long features = 1;
        for (int i = 1; i < input.length; i++) {
            features *= input[i];
        }
        return new int[] {input[0], Math.toIntExact(features)};
    }
}
