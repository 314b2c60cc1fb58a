package jcnn.training.nn;

import jcnn.core.Ops;
import jcnn.core.Tensor;

/** max(x, 0) elementwise, PyTorch's {@code nn.ReLU()}: any shape, no parameters. */
public final class ReLU extends Module {

    @Override
    public Tensor forward(Tensor x) {
        return Ops.relu(x);
    }

    @Override
    public int[] outputShape(int[] input) {
        return input.clone();
    }
}
