package jcnn.eval.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import jcnn.training.nn.Module;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;
import jcnn.training.nn.Weights;

/**
 * Trained weights into a model in one call, whichever tool wrote them:
 * <pre>{@code
 * Sequential seed = ModelWeights.seedCnn(Path.of("eval/src/test/resources/seed/with-optimisation-OptimizedModel.h5"));
 * Sequential mine = ModelWeights.seedCnn(Path.of("runs/2026-12-02T01-00-00"));   // its weights.safetensors
 * }</pre>
 * The format follows the file name: {@code .h5}/{@code .hdf5} is the seed study's export
 * ({@link Hdf5Weights}), {@code .safetensors} is what a run writes ({@link Weights}); a run folder stands for its
 * {@code weights.safetensors}. Both are checked by name and shape against the model and rejected, naming the file
 * and the tensor, before anything is changed. This lives in {@code eval} because the HDF5 reader does.
 */
public final class ModelWeights {

    /** The file a run folder keeps its best weights in. */
    public static final String RUN_WEIGHTS = "weights.safetensors";

    private ModelWeights() {
    }

    /** A seed CNN holding the weights of {@code file} (a {@code .h5}, a {@code .safetensors} or a run folder). */
    public static Sequential seedCnn(Path file) throws IOException {
        Sequential model = SeedCnn.create(new SplittableRandom(0));   // every weight is replaced
        load(model, file);
        return model;
    }

    /** Loads the weights of {@code file} (a {@code .h5}, a {@code .safetensors} or a run folder) into {@code model}. */
    public static void load(Module model, Path file) throws IOException {
        Path f = Files.isDirectory(file) && Files.isRegularFile(file.resolve(RUN_WEIGHTS)) ? file.resolve(RUN_WEIGHTS)
                : file;
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
            Hdf5Weights.load(model, f);
        } else if (name.endsWith(".safetensors")) {
            Weights.load(model, f);
        } else {
            throw new IllegalArgumentException("cannot load weights from " + f + ": expected a .h5 file (the seed"
                    + " study's), a .safetensors file or a run folder holding " + RUN_WEIGHTS);
        }
    }
}
