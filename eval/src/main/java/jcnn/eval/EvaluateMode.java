package jcnn.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import jcnn.core.Engine;
import jcnn.eval.io.ModelWeights;
import jcnn.eval.report.TestResults;
import jcnn.training.data.Dataset;
import jcnn.training.data.DatasetSpec;
import jcnn.training.nn.Models;
import jcnn.training.nn.Sequential;

/**
 * Evaluates given weights ({@code weights=FILE}) on the test set instead of training: the seed study's HDF5 files
 * or a run's {@code weights.safetensors}, checked by name and shape against the seed CNN (or the model
 * {@code model=NAME} names). Like a training run it writes a run folder, with report.txt and report.html. With
 * {@code tta} ({@code tta=true}) each test image is classified as it is and mirrored, the probabilities averaged.
 */
record EvaluateMode(Path weights, String model, boolean tta) implements Mode {

    @Override
    @SuppressWarnings("try")   // the kernels scope is used for its open/close
    public void run(Settings settings, PrintStream out) throws IOException {
        Dataset test = settings.data().load(settings.dataset(), DatasetSpec.Part.TEST);
        try (Engine.Scope scope = Engine.using(settings.kernels())) {
            out.println("jcnn: kernels " + settings.kernels().name() + ", " + settings.kernels().threads()
                    + " thread(s), JDK " + Runtime.version());
            Sequential net = Models.create(model, new SplittableRandom(0));   // every weight is replaced
            loadWeights(net, weights);
            out.println("evaluating weights " + weights);
            TestResults results = TestReport.evaluate(net, test, settings.dataset(), tta, out);
            Files.createDirectories(settings.runDir());
            String title = settings.dataset().title() + " " + (model.equals(Models.DEFAULT) ? "seed CNN"
                    : model + " model") + ", weights " + weights.getFileName() + ", " + settings.kernels().name()
                    + " kernels" + (tta ? ", each image and its mirror image" : "");
            Map<String, Object> setup = tta ? Map.of("weights", weights.toString(), "tta", true)
                    : Map.of("weights", weights.toString());
            TestReport.write(settings.runDir(), title, results, setup, settings.kernels(), List.of(), settings.data(),
                    settings.dataset());
            out.println("run folder: " + settings.runDir() + " (report.html, report.txt)");
            out.println(TestReport.accuracyLine(results));
        }
    }

    /** Loads a {@code .h5}/{@code .hdf5} (the seed's) or {@code .safetensors} file into {@code model}. */
    static void loadWeights(Sequential model, Path file) throws IOException {
        ModelWeights.load(model, file);
    }
}
