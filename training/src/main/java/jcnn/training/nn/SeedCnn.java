package jcnn.training.nn;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The seed study's CNN for 28x28 grayscale images and 10 classes, 206,922 parameters (see SEED.md):
 * <pre>
 * conv1  Conv2d(1, 16, 3, padding 1) -> ReLU -> MaxPool2d(2, 2)     (n,16,14,14)
 * conv2  Conv2d(16, 32, 3, padding 1) -> ReLU -> MaxPool2d(2, 2)    (n,32,7,7)
 * Flatten                                                           (n,1568)
 * fc1    Linear(1568, 128) -> ReLU
 * fc2    Linear(128, 10)                                            logits (n,10)
 * </pre>
 * The parameter names, shapes and order are PyTorch's, so the study's trained weights load by name.
 */
public final class SeedCnn {

    /** The input of one image: (channels, rows, cols). */
    public static final int[] INPUT_SHAPE = {1, 28, 28};

    /** The number of classes, the width of the logits. */
    public static final int CLASSES = 10;

    /** What each of the logits means: the ten Fashion-MNIST classes, indexed by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The trainable parameter count the seed's summary printed. */
    public static final long PARAMETER_COUNT = 206_922;

    /** The parameter names, in the order PyTorch's {@code model.parameters()} yields them. */
    public static final List<String> PARAMETER_NAMES = List.of("conv1.weight", "conv1.bias", "conv2.weight",
            "conv2.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias");

    private SeedCnn() {
    }

    /**
     * A freshly initialised seed CNN. The initial weights are drawn from {@code rng} in parameter order (conv1's
     * weight, then its bias, then conv2's, ...), so the same seed gives the same model.
     */
    public static Sequential create(RandomGenerator rng) {
        Sequential net = new Sequential()
                .add("conv1", Conv2d.same(1, 16, 3, rng))
                .add("relu1", new ReLU())
                .add("pool1", new MaxPool2d(2, 2))
                .add("conv2", Conv2d.same(16, 32, 3, rng))
                .add("relu2", new ReLU())
                .add("pool2", new MaxPool2d(2, 2))
                .add("flatten", new Flatten())
                .add("fc1", new Linear(32 * 7 * 7, 128, rng))
                .add("relu3", new ReLU())
                .add("fc2", new Linear(128, CLASSES, rng));
        net.outputShape(new int[] {1, INPUT_SHAPE[0], INPUT_SHAPE[1], INPUT_SHAPE[2]});   // the layers fit together
        return net;
    }
}
