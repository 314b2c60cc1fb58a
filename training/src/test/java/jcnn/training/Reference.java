package jcnn.training;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import jcnn.core.io.Safetensors;

/**
 * The PyTorch reference outputs copied into this module's test resources, so the tests run from a clone without
 * the shared folder (see reference/README there).
 */
public final class Reference {

    /** The seed CNN batch: x, target, param.*, grad.*, sgd_step.*, seed_optimizer_step.* */
    public static final String SEED_MODEL_BATCH = "seed_model_batch";

    /** Whole-model gradients differ from PyTorch's by summation order: atol 1e-5 plus rtol 1e-4. */
    public static final double MODEL_ATOL = 1e-5, MODEL_RTOL = 1e-4;

    private Reference() {
    }

    public static Path path(String name) {
        URL url = Reference.class.getResource("/reference/" + name + ".safetensors");
        if (url == null) {
            throw new IllegalArgumentException("no reference file " + name + ".safetensors in the test resources");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Safetensors load(String name) throws Exception {
        return Safetensors.read(path(name));
    }
}
