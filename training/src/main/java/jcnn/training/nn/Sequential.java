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

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (Module layer : children().values()) {
            y = layer.forward(y);
        }
        return y;
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
