package jcnn.training.nn;

import java.util.random.RandomGenerator;

/**
 * A deeper CNN for 28x28 grayscale images and 10 classes, built from the seed's layers and batch normalisation,
 * dropout and two conv-BN-ReLU blocks per stage ({@code -Dmodel=deep}):
 * <pre>
 * stage 1  conv1 Conv2d(1, 16, 3, padding 1) -> bn1 -> relu1
 *          conv2 Conv2d(16, 16, 3, padding 1) -> bn2 -> relu2 -> pool1 MaxPool2d(2, 2)     (n,16,14,14)
 * stage 2  conv3 Conv2d(16, 32, 3, padding 1) -> bn3 -> relu3
 *          conv4 Conv2d(32, 32, 3, padding 1) -> bn4 -> relu4 -> pool2 MaxPool2d(2, 2)     (n,32,7,7)
 * head     flatten -> drop1 Dropout(0.3) -> fc1 Linear(1568, 128) -> relu5
 *          -> drop2 Dropout(0.3) -> fc2 Linear(128, 10)                                    logits (n,10)
 * </pre>
 * The names are those of the same {@code nn.Sequential(OrderedDict(...))} in PyTorch, so its {@code state_dict()}
 * names and shapes are this model's {@link Module#namedState()} (core's {@code deep_model.py} writes them;
 * {@code DeepCnnTest} compares): 218,682 trained values, and each batch norm's running mean, running variance and
 * batch count.
 */
public final class DeepCnn {

    /** The trainable parameter count. */
    public static final long PARAMETER_COUNT = 218_682;

    /** The dropout probability of both dropout layers. */
    public static final double DROPOUT = 0.3;

    /** The channels of stage 1 (28x28) and stage 2 (14x14). */
    static final int W1 = 16, W2 = 32;

    private DeepCnn() {
    }

    /**
     * A freshly initialised deep CNN: the convolutions and linear layers as PyTorch initialises them, drawn from
     * {@code rng} in parameter order, batch norm's scale 1 and shift 0, and the dropout layers seeded from
     * {@code rng} after every weight (the trainer reseeds them before every step).
     */
    public static Sequential create(RandomGenerator rng) {
        Conv2d conv1 = Conv2d.same(1, W1, 3, rng), conv2 = Conv2d.same(W1, W1, 3, rng);
        Conv2d conv3 = Conv2d.same(W1, W2, 3, rng), conv4 = Conv2d.same(W2, W2, 3, rng);
        Linear fc1 = new Linear(W2 * 7 * 7, 128, rng), fc2 = new Linear(128, SeedCnn.CLASSES, rng);
        Sequential net = new Sequential()
                .add("conv1", conv1).add("bn1", new BatchNorm2d(W1)).add("relu1", new ReLU())
                .add("conv2", conv2).add("bn2", new BatchNorm2d(W1)).add("relu2", new ReLU())
                .add("pool1", new MaxPool2d(2, 2))
                .add("conv3", conv3).add("bn3", new BatchNorm2d(W2)).add("relu3", new ReLU())
                .add("conv4", conv4).add("bn4", new BatchNorm2d(W2)).add("relu4", new ReLU())
                .add("pool2", new MaxPool2d(2, 2))
                .add("flatten", new Flatten())
                .add("drop1", new Dropout(DROPOUT, rng.nextLong()))
                .add("fc1", fc1)
                .add("relu5", new ReLU())
                .add("drop2", new Dropout(DROPOUT, rng.nextLong()))
                .add("fc2", fc2);
        int[] in = SeedCnn.INPUT_SHAPE;
        net.outputShape(new int[] {1, in[0], in[1], in[2]});   // the layers fit together
        return net;
    }
}
