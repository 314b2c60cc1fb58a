package jcnn.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import jcnn.core.BufferPool;
import jcnn.core.NoGrad;
import jcnn.core.Tensor;
import jcnn.training.data.Dataset;
import jcnn.training.nn.Module;
import jcnn.training.nn.SeedCnn;

/**
 * Answers "what is in this image?" in one call: the class index, its name and the probabilities of every class,
 * for one image or a batch, without writing {@code NoGrad}, {@code Tensor.of} and an argmax by hand.
 * <pre>{@code
 * Predictor predictor = Predictor.seedCnn(model);
 * Predictor.Prediction p = predictor.predict(test, 0);   // image 0 of a Dataset
 * System.out.println(p);                                   // Ankle boot (9), p = 0.9731
 * }</pre>
 * The class is the first largest logit (as {@code torch.argmax}, and as {@link Evaluator} counts accuracy); the
 * probabilities are the softmax of the logits, computed in double. Images are given as the model sees them
 * (a {@link Dataset}'s are normalised to [-1, 1]). The model runs under {@link NoGrad}, in batches of
 * {@link Evaluator#BATCH}, so a batch of any size predicts in bounded memory. Non-goals: preprocessing raw pixels,
 * top-k, calibration.
 */
public final class Predictor {

    /**
     * One image's answer.
     *
     * @param classIndex    the predicted class (the first largest logit)
     * @param className     its name
     * @param probabilities the softmax of the logits, one per class, summing to 1
     */
    public record Prediction(int classIndex, String className, float[] probabilities) {

        /** The probability of the predicted class. */
        public float probability() {
            return probabilities[classIndex];
        }

        /** {@code Sneaker (7), p = 0.9812}. */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s (%d), p = %.4f", className, classIndex, probability());
        }
    }

    private final Module model;
    private final int[] imageShape;
    private final List<String> classNames;

    /**
     * A predictor for {@code model}, whose input is a batch of images of {@code imageShape} (channels, rows,
     * cols) and whose output is one logit per name of {@code classNames}.
     */
    public Predictor(Module model, int[] imageShape, List<String> classNames) {
        this.model = Objects.requireNonNull(model, "model");
        this.imageShape = imageShape.clone();
        this.classNames = List.copyOf(classNames);
        int[] out = model.outputShape(batchShape(1));
        if (out.length != 2 || out[1] != classNames.size()) {
            throw new IllegalArgumentException("predictor: the model maps an image " + Tensor.shapeString(imageShape)
                    + " to " + Tensor.shapeString(out) + ", not to one logit for each of the " + classNames.size()
                    + " class names");
        }
    }

    /** A predictor for the seed CNN (or any model with its input and outputs): 28x28 images, Fashion-MNIST's names. */
    public static Predictor seedCnn(Module model) {
        return new Predictor(model, SeedCnn.INPUT_SHAPE, SeedCnn.CLASS_NAMES);
    }

    /** The class names, indexed by class. */
    public List<String> classNames() {
        return classNames;
    }

    /** One image, its values row-major in the image shape (for the seed CNN 784 values). */
    public Prediction predict(float[] image) {
        int size = sizeOfImage();
        if (image.length != size) {
            throw new IllegalArgumentException("predict: an image of shape " + Tensor.shapeString(imageShape)
                    + " has " + size + " values, not " + image.length);
        }
        return predictAll(image, 1).get(0);
    }

    /** Image {@code index} of {@code data}. */
    public Prediction predict(Dataset data, int index) {
        if (index < 0 || index >= data.size()) {
            throw new IndexOutOfBoundsException("predict: image " + index + " of a dataset of " + data.size());
        }
        int size = data.imageSize();
        return predict(Arrays.copyOfRange(data.images(), index * size, (index + 1) * size));
    }

    /** Every image of {@code data}, in order. */
    public List<Prediction> predict(Dataset data) {
        return predictAll(data.images(), data.size());
    }

    /**
     * A batch, shape (n, channels, rows, cols), or one image, shape (channels, rows, cols), which gives a list of
     * one.
     */
    public List<Prediction> predict(Tensor images) {
        int[] s = images.shape();
        boolean one = Arrays.equals(s, imageShape);
        if (!one && !(s.length == imageShape.length + 1
                && Arrays.equals(Arrays.copyOfRange(s, 1, s.length), imageShape))) {
            throw new IllegalArgumentException("predict: expected images (n," + Tensor.shapeString(imageShape)
                    .substring(1) + " or one image " + Tensor.shapeString(imageShape) + ", got "
                    + images.shapeString());
        }
        return predictAll(images.data(), one ? 1 : s[0]);
    }

    @SuppressWarnings("try")   // the NoGrad and pool scopes are used for their open/close
    private List<Prediction> predictAll(float[] images, int n) {
        int size = sizeOfImage();
        int classes = classNames.size();
        List<Prediction> out = new ArrayList<>(n);
        BufferPool pool = new BufferPool();
        boolean wasTraining = model.isTraining();
        model.eval();   // inference: running statistics, no dropout; the mode is put back below
        try (NoGrad off = NoGrad.enter()) {
            for (int start = 0; start < n; start += Evaluator.BATCH) {
                int m = Math.min(Evaluator.BATCH, n - start);
                Tensor x = Tensor.of(Arrays.copyOfRange(images, start * size, (start + m) * size), batchShape(m));
                try (BufferPool.Scope step = pool.open()) {   // the logits are read before the scope closes
                    float[] logits = model.forward(x).data();
                    for (int i = 0; i < m; i++) {
                        int best = Evaluation.argmax(logits, i * classes, classes);
                        out.add(new Prediction(best, classNames.get(best), softmax(logits, i * classes, classes)));
                    }
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return out;
    }

    /** softmax(v[off .. off+n)) in double, less the largest value first so that no exp overflows. */
    static float[] softmax(float[] v, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, v[off + j]);
        }
        double sum = 0;
        double[] e = new double[n];
        for (int j = 0; j < n; j++) {
            e[j] = Math.exp(v[off + j] - max);
            sum += e[j];
        }
        float[] p = new float[n];
        for (int j = 0; j < n; j++) {
            p[j] = (float) (e[j] / sum);
        }
        return p;
    }

    private int sizeOfImage() {
        int size = 1;
        for (int d : imageShape) {
            size *= d;
        }
        return size;
    }

    private int[] batchShape(int n) {
        int[] s = new int[imageShape.length + 1];
        s[0] = n;
        System.arraycopy(imageShape, 0, s, 1, imageShape.length);
        return s;
    }
}
