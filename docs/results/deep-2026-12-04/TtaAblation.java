import java.nio.file.Path;
import java.util.Properties;
import java.util.SplittableRandom;
import jcnn.core.Engine;
import jcnn.eval.io.ModelWeights;
import jcnn.kernels.KernelProvider;
import jcnn.training.Evaluation;
import jcnn.training.Evaluator;
import jcnn.training.Recipe;
import jcnn.training.Trainer;
import jcnn.training.data.DataLocator;
import jcnn.training.data.Dataset;
import jcnn.training.data.DatasetSpec;
import jcnn.training.nn.Models;
import jcnn.training.nn.Sequential;

/**
 * The ablation line of test-time augmentation (tta=true), on validation only: a run's kept weights evaluated on
 * that run's own validation split, as they are and with each image's mirror image averaged in. The split is the
 * recipe's (Trainer.split: the same seed gives the same 12,000 images the run validated on).
 *
 *   java -Ddata=data/fashion-mnist --add-modules jdk.incubator.vector -cp eval/target/jcnn.jar \
 *       docs/results/deep-2026-12-04/TtaAblation.java RUN/weights.safetensors deep recipe=deep validation=0.2
 *
 * Arguments: the weights, the model (seed or deep), then the run's recipe settings as key=value.
 */
public class TtaAblation {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: TtaAblation WEIGHTS MODEL [key=value ...] (the run's recipe)");
        }
        Properties p = new Properties();
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("argument " + (i + 1) + " '" + args[i]
                        + "': expected a recipe setting as key=value, e.g. validation=0.2");
            }
            p.setProperty(kv[0], kv[1]);
        }
        Recipe recipe = Recipe.fromProperties(p);
        Dataset train = DataLocator.fromSystemProperties().load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TRAIN);
        Dataset validation = Trainer.split(train, recipe).validation();
        Sequential model = Models.create(args[1], new SplittableRandom(0));
        ModelWeights.load(model, Path.of(args[0]));
        try (Engine.Scope scope = Engine.using(KernelProvider.fromSystemProperties())) {
            System.out.println("weights " + args[0] + ", model " + args[1] + ", " + recipe.describe());
            System.out.println("validation images: " + validation.size() + ", kernels "
                    + Engine.kernels().name());
            for (boolean mirror : new boolean[] {false, true}) {
                Evaluation e = Evaluator.evaluate(model, validation, Evaluator.BATCH, false, mirror);
                System.out.printf("tta=%-5s validation accuracy %.4f (%d of %d), loss %.4f%n", mirror,
                        e.accuracy(), Math.round(e.accuracy() * e.count()), e.count(), e.loss());
            }
        }
    }
}
