package jcnn.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import jcnn.core.Engine;
import jcnn.eval.report.TestResults;
import jcnn.kernels.Kernels;
import jcnn.training.Checkpoint;
import jcnn.training.DivergenceAdvice;
import jcnn.training.EpochMetrics;
import jcnn.training.History;
import jcnn.training.JsonLinesWriter;
import jcnn.training.NanPolicy;
import jcnn.training.Recipe;
import jcnn.training.Trainer;
import jcnn.training.data.Dataset;
import jcnn.training.data.DatasetSpec;
import jcnn.training.nn.Models;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;
import jcnn.training.nn.Summary;
import jcnn.training.nn.Weights;

/**
 * The main job ({@code mvn exec:java}): train the seed CNN (or the model {@code model=NAME} names) with the recipe, keep the best epoch's weights, evaluate
 * them on the test set and write the run folder (weights, per-epoch metrics, checkpoint, report). With
 * {@code resume=DIR} it continues the run in DIR from its checkpoint, bit-identically.
 *
 * @param recipe    the recipe (a resumed run's is the checkpoint's)
 * @param resume    the checkpoint to continue from; null for a fresh run
 * @param model     the model's name ({@link Models}; {@code seed} by default)
 */
record TrainMode(Recipe recipe, NanPolicy nanPolicy, Checkpoint resume, String model) implements Mode {

    @Override
    @SuppressWarnings("try")   // the kernels scope is used for its open/close
    public void run(Settings settings, PrintStream out) throws IOException {
        Dataset test = settings.data().load(settings.dataset(), DatasetSpec.Part.TEST);
        Dataset train = settings.data().load(settings.dataset(), DatasetSpec.Part.TRAIN);
        Settings.checkData(recipe, train, false, List.of(recipe.batch()));
        try (Engine.Scope scope = Engine.using(settings.kernels())) {
            announce(settings.kernels(), model, out);
            Files.createDirectories(settings.runDir());
            trainAndReport(settings, recipe, nanPolicy, resume, model, train, test, out);
        }
    }

    /** The opening lines of a training run: the kernels and JDK, then the model's summary table. */
    static void announce(Kernels kernels, String model, PrintStream out) {
        out.println("jcnn: kernels " + kernels.name() + ", " + kernels.threads() + " thread(s), JDK "
                + Runtime.version());
        if (!model.equals(Models.DEFAULT)) {
            out.println("model: " + model);
        }
        out.println(Summary.of(Models.create(model, new SplittableRandom(0)), SeedCnn.INPUT_SHAPE).table());
    }

    /**
     * Trains a seed CNN from {@code recipe}'s seed (or from {@code resume}), then evaluates the kept weights on
     * {@code test}, writes the report and prints the accuracy line. The run folder exists.
     */
    static void trainAndReport(Settings settings, Recipe recipe, NanPolicy nanPolicy, Checkpoint resume,
                               String modelName, Dataset trainingSet, Dataset test, PrintStream out)
            throws IOException {
        Sequential model = Models.create(modelName, new SplittableRandom(recipe.seed()));
        List<EpochMetrics> history = train(model, modelName, recipe, trainingSet, settings, nanPolicy, resume, out);
        TestResults results = TestReport.evaluate(model, test, settings.dataset(), recipe.tta(), out);
        TestReport.write(settings.runDir(), results, recipe, settings.kernels(), history, out, settings.data(),
                settings.dataset());
        out.println(TestReport.accuracyLine(results));
    }

    private static List<EpochMetrics> train(Sequential model, String modelName, Recipe recipe, Dataset trainingSet,
                                            Settings settings,
                                            NanPolicy nanPolicy, Checkpoint resume, PrintStream out)
            throws IOException {
        Path runDir = settings.runDir();
        Dataset.Split split = Trainer.split(trainingSet, recipe);
        out.println("recipe: " + recipe.describe());
        out.println("training on " + split.train().size() + " images, validating on " + split.validation().size());
        Path checkpointFile = runDir.resolve(Checkpoint.FILE_NAME);
        Trainer trainer = new Trainer(model, recipe).nanPolicy(nanPolicy).checkpointTo(checkpointFile)
                .addListener(m -> out.println(m.describe()));
        if (settings.progress() != null) {
            trainer.showProgress(settings.progress());
        }
        if (resume != null) {
            out.println("resuming from " + checkpointFile + " after epoch " + resume.epoch() + " of "
                    + recipe.epochs());
            trainer.resume(resume, checkpointFile.toString());
        }
        History history;
        try (JsonLinesWriter metrics = JsonLinesWriter.create(runDir.resolve("metrics.jsonl"))) {
            trainer.addListener(metrics);
            history = trainer.fit(split.train(), split.validation());
        }
        if (history.diverged()) {
            throw new Main.TrainingStopped(history.stopReason() + DivergenceAdvice.of(recipe));
        }
        if (history.skippedBatches() > 0) {
            out.println("skipped " + history.skippedBatches() + " batch(es) with a non-finite loss or gradient"
                    + " (nanPolicy=skip)");
        }
        trainer.restoreBest();
        out.println("kept the weights of epoch " + trainer.bestEpoch());
        Map<String, String> metadata = new LinkedHashMap<>();
        recipe.asMap().forEach((k, v) -> metadata.put(k, String.valueOf(v)));
        metadata.put("epoch", String.valueOf(trainer.bestEpoch()));
        if (!modelName.equals(Models.DEFAULT)) {
            metadata.put("model", modelName);   // the seed CNN's files stay as they were, byte for byte
        }
        Weights.save(model, runDir.resolve("weights.safetensors"), metadata);
        return history.epochs();
    }
}
