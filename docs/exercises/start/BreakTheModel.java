package jcnn.exercises;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import jcnn.core.BufferPool;
import jcnn.core.Ops;
import jcnn.core.Tensor;
import jcnn.training.Evaluator;
import jcnn.training.data.DataLocator;
import jcnn.training.data.Dataset;
import jcnn.training.data.DatasetSpec;
import jcnn.training.nn.Conv2d;
import jcnn.training.nn.Flatten;
import jcnn.training.nn.Linear;
import jcnn.training.nn.MaxPool2d;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;
import jcnn.training.optim.Sgd;

/**
 * Exercise 3 (docs/exercises/3-break-the-model.md), your starting point: copy this file over
 * exercises/src/main/java/jcnn/exercises/BreakTheModel.java, write the three breakages, predict the curves, then
 * run BreakTheModelExerciseTest to see them. The seed CNN trained on a small
 * subset of Fashion-MNIST four times, once as it should be and three times broken on purpose, printing the curves.
 * The loop is the textbook one (zero the gradients, forward, loss, backward, step) so that each breakage is one
 * visible change: {@link #model}, {@link #learningRate} or {@link #order}.
 */
public final class BreakTheModel {

    /** How the model is broken. */
    public enum Variant {
        /** The main job's recipe: SGD with Nesterov momentum, lr 0.05, a fresh random order each epoch. */
        BASELINE,
        /** The same layers without their three ReLUs. */
        NO_RELU,
        /** A learning rate 100 times too large: 5.0. */
        LR_X100,
        /** The images sorted by class and never shuffled: every batch holds one class, the classes in turn. */
        NO_SHUFFLE
    }

    /** One epoch's figures: the mean training loss and the accuracy on the held-out images after it. */
    public record Epoch(int epoch, double trainLoss, double testAccuracy) {
    }

    public static final int BATCH = 64;
    public static final double LR = 0.05;

    private BreakTheModel() {
    }

    /** The model of a variant, its initial weights drawn from {@code rng}. */
    public static Sequential model(Variant v, SplittableRandom rng) {
        if (v != Variant.NO_RELU) {
            return SeedCnn.create(rng);
        }
        // SeedCnn's layers in SeedCnn's order (so that the same seed draws the same initial weights), minus the ReLUs
        throw new UnsupportedOperationException("exercise 3: build the seed CNN without its ReLUs");
    }

    /** The learning rate of a variant. */
    public static double learningRate(Variant v) {
        if (v == Variant.LR_X100) {
            throw new UnsupportedOperationException("exercise 3: the learning rate 100 times too large");
        }
        return LR;
    }

    /** The order in which the images of {@code train} are visited in {@code epoch} (1, 2, ...). */
    public static int[] order(Variant v, Dataset train, int epoch) {
        int n = train.size();
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        if (v == Variant.NO_SHUFFLE) {
            // every epoch the same order: class 0's images first, then class 1's, ..., class 9's last
            throw new UnsupportedOperationException("exercise 3: sort the images by class and never shuffle them");
        } else {
            SplittableRandom r = new SplittableRandom(1000 + epoch);   // Fisher-Yates, a fresh order each epoch
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                Integer t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
        }
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    /** Trains variant {@code v} for {@code epochs} epochs on {@code train} and evaluates on {@code test} after each. */
    @SuppressWarnings("try")   // the pool scope is used for its open/close
    public static List<Epoch> run(Variant v, Dataset train, Dataset test, int epochs) {
        Sequential model = model(v, new SplittableRandom(42));
        Sgd sgd = new Sgd(model.parameters(), learningRate(v), 0.9, true, 5e-4);
        int size = train.imageSize();
        float[] images = new float[BATCH * size];
        int[] labels = new int[BATCH];
        Tensor x = Tensor.of(images, BATCH, 1, train.rows(), train.cols());
        BufferPool pool = new BufferPool();
        List<Epoch> curve = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            int[] order = order(v, train, epoch);
            double lossSum = 0;
            int steps = 0;
            for (int start = 0; start + BATCH <= order.length; start += BATCH, steps++) {   // whole batches only
                for (int b = 0; b < BATCH; b++) {
                    int i = order[start + b];
                    System.arraycopy(train.images(), i * size, images, b * size, size);
                    labels[b] = train.label(i);
                }
                try (BufferPool.Scope step = pool.open()) {
                    sgd.zeroGrad();
                    Tensor loss = Ops.crossEntropy(model.forward(x), labels);
                    loss.backward();
                    sgd.step();
                    lossSum += loss.item();
                }
            }
            double accuracy = Evaluator.evaluate(model, test, 256, false).accuracy();
            curve.add(new Epoch(epoch, lossSum / steps, accuracy));
        }
        return curve;
    }

    /** Trains every variant on the first 2,000 training images for 2 epochs and prints the curves. */
    public static void main(String[] args) throws Exception {
        DataLocator data = DataLocator.fromSystemProperties();
        Dataset train = data.load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TRAIN).limit(2000);
        Dataset test = data.load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TEST).limit(1000);
        for (Variant v : Variant.values()) {
            System.out.println(table(v, run(v, train, test, 2)));
        }
    }

    /** The curve of one variant as lines of {@code epoch, train loss, test accuracy}. */
    public static String table(Variant v, List<Epoch> curve) {
        StringBuilder sb = new StringBuilder(v + "\n");
        for (Epoch e : curve) {
            sb.append(String.format(Locale.ROOT, "  epoch %d: train loss %.4f, test accuracy %.4f%n", e.epoch(),
                    e.trainLoss(), e.testAccuracy()));
        }
        return sb.toString();
    }
}
