package jcnn.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import jcnn.core.Engine;
import jcnn.core.io.AtomicFiles;
import jcnn.training.GridSearch;
import jcnn.training.NanPolicy;
import jcnn.training.Recipe;
import jcnn.training.Trainer;
import jcnn.training.data.Dataset;
import jcnn.training.data.DatasetSpec;

/**
 * The seed notebook's grid search ({@code grid=true}): every point of {@link GridSearch#SEED_GRID} (batch x lr x
 * rho) trained on the recipe's split and ranked by validation accuracy, the table written to {@code grid.txt};
 * then the best point is trained and reported like the main job.
 *
 * @param recipe the base recipe, whose batch, lr and rho each point replaces
 */
record GridMode(Recipe recipe, NanPolicy nanPolicy) implements Mode {

    @Override
    @SuppressWarnings("try")   // the kernels scope is used for its open/close
    public void run(Settings settings, PrintStream out) throws IOException {
        Dataset test = settings.data().load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TEST);
        Dataset train = settings.data().load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TRAIN);
        Settings.checkData(recipe, train, true, GridSearch.SEED_GRID.stream().map(GridSearch.Point::batch).toList());
        try (Engine.Scope scope = Engine.using(settings.kernels())) {
            TrainMode.announce(settings.kernels(), out);
            Files.createDirectories(settings.runDir());
            Recipe best = search(train, settings, out);
            TrainMode.trainAndReport(settings, best, nanPolicy, null, train, test, out);
        }
    }

    private Recipe search(Dataset trainingSet, Settings settings, PrintStream out) throws IOException {
        Dataset.Split split = Trainer.split(trainingSet, recipe);
        out.println("grid search over " + GridSearch.SEED_GRID.size() + " points: " + GridSearch.SEED_GRID);
        StringBuilder table = new StringBuilder();
        GridSearch search = GridSearch.seed(recipe);
        if (settings.progress() != null) {
            search.showProgress(settings.progress());
        }
        GridSearch.Result result = search
                .onRun(run -> {
                    out.println("grid: " + run.describe());
                    table.append(run.describe()).append('\n');
                })
                .run(split.train(), split.validation());
        out.println("grid: best " + result.best().describe());
        table.append("best: ").append(result.best().describe()).append('\n');
        AtomicFiles.write(settings.runDir().resolve("grid.txt"), table.toString().getBytes(StandardCharsets.UTF_8));
        return result.best().recipe();
    }
}
