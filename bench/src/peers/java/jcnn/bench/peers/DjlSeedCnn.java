package jcnn.bench.peers;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import jcnn.bench.SyntheticBatch;

/**
 * The seed CNN in PyTorch through DJL, set up the way a careful user would for speed: one engine with its
 * intra-op thread count fixed, the batch created once, every step's temporaries in a sub-manager that is closed
 * at the end of the step (DJL would otherwise keep every intermediate tensor alive until the model closes).
 *
 * <pre>
 * Conv2d(1->16, 3x3, pad 1) ReLU MaxPool(2) Conv2d(16->32, 3x3, pad 1) ReLU MaxPool(2) Flatten
 *   Linear(1568->128) ReLU Linear(128->10); softmax cross-entropy; plain SGD, lr 0.01
 * </pre>
 *
 * <p>Threads: DJL's PyTorch engine reads {@code ai.djl.pytorch.num_threads} and
 * {@code ai.djl.pytorch.num_interop_threads} once, when it starts; each JMH fork is a fresh JVM, so setting them
 * before the first use of the engine gives every parameter combination its own count. The count in effect is
 * read back from libtorch and printed, so a wrong setting cannot go unnoticed.
 */
final class DjlSeedCnn implements AutoCloseable {

    private final Model model;
    private final NDManager manager;
    private final Trainer trainer;   // null for inference
    private final NDArray images, labels;
    private final ParameterStore inferenceParameters;

    /**
     * @param batch    the synthetic batch, the same numbers as our benchmarks use
     * @param threads  libtorch intra-op (and inter-op) threads
     * @param training whether to set up a trainer (SGD, softmax cross-entropy) or only initialise for inference
     */
    DjlSeedCnn(SyntheticBatch batch, int threads, boolean training) {
        startEngine(threads);
        model = Model.newInstance("seed-cnn", Device.cpu(), "PyTorch");
        model.setBlock(network());
        manager = model.getNDManager();
        Shape input = new Shape(batch.size, SyntheticBatch.CHANNELS, SyntheticBatch.HEIGHT, SyntheticBatch.WIDTH);
        images = manager.create(batch.images, input);
        float[] labelValues = new float[batch.size];   // DJL's sparse labels are float class indices
        for (int i = 0; i < batch.size; i++) {
            labelValues[i] = batch.labels[i];
        }
        labels = manager.create(labelValues);
        if (training) {
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).build())
                    .optDevices(new Device[] {Device.cpu()});
            trainer = model.newTrainer(config);
            trainer.initialize(input);
        } else {
            trainer = null;
            model.getBlock().initialize(manager, DataType.FLOAT32, input);
        }
        inferenceParameters = new ParameterStore(manager, false);
    }

    /** Offline, fixed thread counts, and a check that libtorch took them. */
    private static void startEngine(int threads) {
        // The bundled pytorch-native-cpu jar has everything; offline mode makes a missing piece fail here instead
        // of downloading something else.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", String.valueOf(threads));
        Engine engine = Engine.getEngine("PyTorch");
        int intra = JniUtils.getNumThreads();
        System.err.println("DJL " + Engine.getDjlVersion() + ", PyTorch " + engine.getVersion()
                + ", intra-op threads " + intra + ", inter-op threads " + JniUtils.getNumInteropThreads()
                + ", LD_PRELOAD=" + System.getenv("LD_PRELOAD"));
        if (intra != threads) {
            throw new IllegalStateException("libtorch runs " + intra + " intra-op threads, asked for " + threads
                    + ": was the engine started before this benchmark's setup (JMH with -f 0)?");
        }
    }

    private static SequentialBlock network() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(16).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(32).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(128).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    /** One step: forward, loss, backward, SGD update. Returns the loss, read back so the step has finished. */
    float trainStep() {
        try (NDManager step = manager.newSubManager()) {
            NDList batch = new NDList(images, labels);
            batch.tempAttach(step);   // results land in the step manager; the batch returns to ours on close
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(new NDList(images));
                NDArray lossValue = trainer.getLoss().evaluate(new NDList(labels), predictions);
                collector.backward(lossValue);
                loss = lossValue.getFloat();
            }
            trainer.step();
            return loss;
        }
    }

    /** Forward without gradients; the logits copied out into a Java array, as our inference benchmark does. */
    float[] infer() {
        try (NDManager step = manager.newSubManager()) {
            NDList batch = new NDList(images);
            batch.tempAttach(step);
            NDList logits = model.getBlock().forward(inferenceParameters, new NDList(images), false);
            return logits.singletonOrThrow().toFloatArray();
        }
    }

    @Override
    public void close() {
        if (trainer != null) {
            trainer.close();
        }
        model.close();
    }
}
