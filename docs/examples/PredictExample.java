import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import jcnn.eval.io.ModelWeights;
import jcnn.training.Predictor;
import jcnn.training.data.DataLocator;
import jcnn.training.data.Dataset;
import jcnn.training.data.DatasetSpec;
import jcnn.training.nn.Sequential;

/** Loads trained weights (the seed study's by default) and asks the model what the test images show. */
public class PredictExample {
    public static void main(String[] args) throws Exception {
        Path weights = Path.of(args.length > 0 ? args[0]
                : "eval/src/test/resources/seed/with-optimisation-OptimizedModel.h5");
        Sequential model = ModelWeights.seedCnn(weights);          // a .h5, a .safetensors or a run folder
        Dataset test = DataLocator.fromSystemProperties().load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TEST);

        Predictor predictor = Predictor.seedCnn(model);           // 28x28 images, the ten class names
        for (int i = 0; i < 3; i++) {
            Predictor.Prediction p = predictor.predict(test, i);  // one image
            System.out.println("test image " + i + ": " + p + "; true class: "
                    + predictor.classNames().get(test.label(i)));
        }
        Dataset first = test.limit(2000);
        List<Predictor.Prediction> all = predictor.predict(first);  // a batch: the first 2,000 images
        int correct = 0;
        for (int i = 0; i < all.size(); i++) {
            correct += all.get(i).classIndex() == first.label(i) ? 1 : 0;
        }
        System.out.println(String.format(Locale.ROOT, "accuracy on %d test images: %.4f", first.size(),
                correct / (double) first.size()));
    }
}
