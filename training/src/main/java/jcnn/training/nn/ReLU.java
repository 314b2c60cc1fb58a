package jcnn.training.nn;

import jcnn.core.Ops;
import jcnn.core.Tensor;

/** max(x, 0) elementwise, PyTorch's {@code nn.ReLU()}: any shape, no parameters. */
public final class ReLU extends Module {

    /** {@inheritDoc} True: each image's output depends on that image and the weights only. */
    @Override
    public boolean independentPerSample() {
        return true;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Ops.relu(x);
    }

    @Override
    public int[] outputShape(int[] input) {
        return input.clone();
    }
}
