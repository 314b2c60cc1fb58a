import java.util.Locale;
import java.util.SplittableRandom;
import jcnn.core.Ops;
import jcnn.core.Tensor;
import jcnn.training.Evaluator;
import jcnn.training.data.Batcher;
import jcnn.training.data.DataLocator;
import jcnn.training.data.Dataset;
import jcnn.training.data.DatasetSpec;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;
import jcnn.training.optim.Sgd;

/** Trains the seed CNN on 100 batches of Fashion-MNIST and prints its accuracy on the official test set. */
public class EmbedExample {
    public static void main(String[] args) throws Exception {
        DataLocator data = DataLocator.fromSystemProperties();     // data/fashion-mnist, ~/.cache/jcnn, or download
        Dataset train = data.load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TRAIN);
        Dataset test = data.load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TEST);

        Sequential model = SeedCnn.create(new SplittableRandom(42));
        Sgd sgd = new Sgd(model.parameters(), 0.05, 0.9, true, 5e-4);   // lr, momentum, Nesterov, weight decay
        int batch = 64;
        float[] images = new float[batch * train.imageSize()];
        int[] labels = new int[batch];
        Tensor x = Tensor.of(images, batch, 1, 28, 28);           // a view of images: refilled in place
        Batcher batches = new Batcher(train, batch, 42);
        batches.shuffle(1);
        for (int b = 0; b < 100; b++) {
            batches.fill(b, images, labels);
            sgd.zeroGrad();                                        // gradients add up until zeroed
            Tensor loss = Ops.crossEntropy(model.forward(x), labels);
            loss.backward();
            sgd.step();
        }
        double accuracy = Evaluator.evaluate(model, test, 256, false).accuracy();
        System.out.println(String.format(Locale.ROOT, "test accuracy: %.4f", accuracy));
    }
}
