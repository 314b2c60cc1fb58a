package jcnn.training.nn;

import jcnn.core.Tensor;

/**
 * Named layers applied one after another, PyTorch's {@code nn.Sequential(OrderedDict(...))}: the names become the
 * prefixes of the parameter names, so a layer added as {@code "conv1"} contributes {@code conv1.weight} and
 * {@code conv1.bias}.
 * <pre>{@code
 * Sequential net = new Sequential()
 *         .add("fc1", new Linear(784, 128, rng))
 *         .add("relu", new ReLU())
 *         .add("fc2", new Linear(128, 10, rng));
 * }</pre>
 */
public final class Sequential extends Module {

    /** Appends a layer under {@code name} (unique, dot-free); returns this, to chain. */
    public Sequential add(String name, Module layer) {
        addModule(name, layer);
        return this;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Fusion is decided here, and only here: a {@link ReLU} directly followed by a {@link MaxPool2d} runs as
     * one op, {@link jcnn.core.Ops#reluMaxPool2d}, which gives the same values and gradients bit for bit without
     * writing the rectified activation. The layers, their names and the summary stay as written.
     */
    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        Module pendingRelu = null;   // a ReLU not run yet, because the next layer may take it in
        for (Module layer : children().values()) {
            if (pendingRelu != null) {
                Module relu = pendingRelu;
                pendingRelu = null;
                if (layer instanceof MaxPool2d pool) {
                    y = pool.forwardRectified(y);
                    continue;
                }
                y = relu.forward(y);
            }
            if (layer instanceof ReLU) {
                pendingRelu = layer;
            } else {
                y = layer.forward(y);
            }
        }
        return pendingRelu == null ? y : pendingRelu.forward(y);
    }

    /** {@inheritDoc} An error names the layer that does not fit, e.g. {@code layer 'fc1': ...}. */
    @Override
    public int[] outputShape(int[] input) {
        int[] shape = input.clone();
        for (var entry : children().entrySet()) {
            try {
                shape = entry.getValue().outputShape(shape);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer '" + entry.getKey() + "': " + e.getMessage(), e);
            }
        }
        return shape;
    }
}
