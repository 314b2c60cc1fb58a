package jcnn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import jcnn.core.Engine;
import jcnn.core.Tensor;
import jcnn.kernels.KernelProvider;
import jcnn.training.data.Dataset;
import jcnn.training.nn.BatchNorm2d;
import jcnn.training.nn.DeepCnn;
import jcnn.training.nn.Module;
import jcnn.training.nn.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer with a model that has modes, buffers and random draws (the deep model: batch norm and dropout):
 * steps run in training mode and validation in evaluation mode; a run resumed from a checkpoint ends with the same
 * weights and running statistics bit for bit as an uninterrupted one, and so does a rerun; the kept best epoch
 * carries its own running statistics. On the vector kernels at two threads, as the main job runs.
 */
class DeepTrainingTest {

    @TempDir
    Path dir;

    /** A layer that passes its input through and records the mode of every call. */
    static final class ModeProbe extends Module {
        final List<Boolean> modes = new ArrayList<>();

        @Override
        public Tensor forward(Tensor x) {
            modes.add(isTraining());
            return x;
        }

        @Override
        public int[] outputShape(int[] input) {
            return input.clone();
        }
    }

    private static final Recipe RECIPE = TinyRuns.recipe("epochs=2", "batch=32", "limit=160");

    @Test
    @SuppressWarnings("try")
    void stepsTrainAndValidationEvaluates() {
        ModeProbe probe = new ModeProbe();
        Sequential model = new Sequential().add("probe", probe).add("net", DeepCnn.create(new SplittableRandom(1)));
        Dataset.Split split = TinyRuns.split(RECIPE);   // 128 training images in 4 steps, 32 to validate (1 batch)
        try (Engine.Scope s = Engine.using(KernelProvider.vector(-1, 2))) {
            new Trainer(model, RECIPE).showProgress(false).fit(split.train(), split.validation());
        }
        List<Boolean> perEpoch = List.of(true, true, true, true, false);
        List<Boolean> expected = new ArrayList<>(perEpoch);
        expected.addAll(perEpoch);
        assertEquals(expected, probe.modes);
        assertTrue(model.isTraining(), "the evaluator puts the caller's mode back");
    }

    private Trainer train(Sequential model, Path checkpoint, int keepAfter, Path copy) {
        Dataset.Split split = TinyRuns.split(RECIPE);
        Trainer t = new Trainer(model, RECIPE).showProgress(false).checkpointTo(checkpoint);
        if (copy != null) {
            t.addListener(m -> {
                if (m.epoch() == keepAfter) {
                    try {
                        Files.copy(checkpoint, copy, StandardCopyOption.REPLACE_EXISTING);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
        }
        t.fit(split.train(), split.validation());
        return t;
    }

    @Test
    @SuppressWarnings("try")
    void aResumedOrRepeatedRunHasTheSameWeightsAndStatisticsBitForBit() throws IOException {
        try (Engine.Scope s = Engine.using(KernelProvider.vector(-1, 2))) {
            Sequential a = DeepCnn.create(new SplittableRandom(RECIPE.seed()));
            Path whole = dir.resolve("whole.safetensors"), afterOne = dir.resolve("after-1.safetensors");
            Trainer ta = train(a, whole, 1, afterOne);

            Sequential b = DeepCnn.create(new SplittableRandom(RECIPE.seed()));
            train(b, dir.resolve("again.safetensors"), 0, null);

            Sequential c = DeepCnn.create(new SplittableRandom(RECIPE.seed() + 7));   // everything from the file
            Dataset.Split split = TinyRuns.split(RECIPE);
            new Trainer(c, RECIPE).showProgress(false).checkpointTo(dir.resolve("resumed.safetensors"))
                    .resume(Checkpoint.load(afterOne), afterOne.toString()).fit(split.train(), split.validation());

            BatchNorm2d bn = (BatchNorm2d) a.children().get("bn3");
            assertEquals(8, bn.batchesTracked(), "4 steps in each of 2 epochs");
            a.namedState().forEach((name, t) -> {
                assertArrayEquals(t.data(), b.namedState().get(name).data(), "rerun: " + name);
                assertArrayEquals(t.data(), c.namedState().get(name).data(), "resumed: " + name);
            });
            assertFalse(java.util.Arrays.equals(new float[32], bn.runningMean().data()), "the statistics moved");
            // The kept best epoch's state includes its running statistics.
            assertTrue(ta.bestState().containsKey("bn3.running_var"));
            ta.restoreBest();
            if (ta.bestEpoch() == 1) {
                assertEquals(4, bn.batchesTracked());
            } else {
                assertEquals(8, bn.batchesTracked());
            }
        }
    }
}
