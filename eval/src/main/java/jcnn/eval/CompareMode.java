package jcnn.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import jcnn.eval.compare.Comparison;
import jcnn.training.data.Dataset;
import jcnn.training.data.DatasetSpec;

/**
 * The scalar-vs-vector comparison ({@code compare=true}): the same recipe trained on both kernel paths, side by
 * side in {@code comparison.md} and {@code report.html}; see {@link Comparison}.
 */
record CompareMode(Comparison comparison) implements Mode {

    @Override
    public void run(Settings settings, PrintStream out) throws IOException {
        Dataset test = settings.data().load(settings.dataset(), DatasetSpec.Part.TEST);
        Dataset train = settings.data().load(settings.dataset(), DatasetSpec.Part.TRAIN);
        Settings.checkData(comparison.recipe(), train, false, List.of(comparison.recipe().batch()));
        comparison.dataset(settings.dataset().title(), settings.dataset().classNames());
        if (settings.progress() != null) {
            comparison.showProgress(settings.progress());
        }
        comparison.runAndWrite(train, test, settings.runDir(), out);
    }
}
