package jcnn.training.optim;

import static jcnn.training.Reference.MODEL_ATOL;
import static jcnn.training.Reference.MODEL_RTOL;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import jcnn.core.Compare;
import jcnn.core.Ops;
import jcnn.core.Tensor;
import jcnn.core.io.Safetensors;
import jcnn.core.testing.ScalarEngineExtension;
import jcnn.training.Reference;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;
import jcnn.training.nn.Weights;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One optimizer step on the seed CNN against PyTorch: the study's trained weights, the first 16 test images, the
 * gradient computed by our own {@link SeedCnn}, then one step of {@link Sgd} (lr 0.01, weight decay 0.001) and of
 * the {@link SeedOptimizer} (lr 0.01, rho 0.001), compared with {@code sgd_step.*} and
 * {@code seed_optimizer_step.*}. The same steps from PyTorch's own gradients ({@code grad.*}) must agree much more
 * tightly: that separates an optimizer bug from the gradients' summation-order differences.
 */
@ExtendWith(ScalarEngineExtension.class)
class ReferenceStepTest {

    private static Safetensors ref;

    @BeforeAll
    static void load() throws Exception {
        ref = Reference.load(Reference.SEED_MODEL_BATCH);
    }

    /** The seed CNN with the reference weights and our gradient of the mean loss on the reference batch. */
    private static Sequential modelWithOurGradients() throws Exception {
        Sequential model = SeedCnn.create(new SplittableRandom(0));
        Weights.load(model, ref, "param.", Reference.SEED_MODEL_BATCH);
        Tensor loss = Ops.crossEntropy(model.forward(ref.tensor("x")), ref.ints("target"));
        Compare.assertClose("loss", ref.tensor("loss").data(), loss.data(), MODEL_ATOL, MODEL_RTOL);
        loss.backward();
        for (String name : SeedCnn.PARAMETER_NAMES) {
            Compare.assertClose("grad." + name, ref.tensor("grad." + name).data(),
                    model.namedParameters().get(name).grad(), MODEL_ATOL, MODEL_RTOL);
        }
        return model;
    }

    /** The seed CNN with the reference weights and PyTorch's own gradients. */
    private static Sequential modelWithPyTorchGradients() {
        Sequential model = SeedCnn.create(new SplittableRandom(0));
        Weights.load(model, ref, "param.", Reference.SEED_MODEL_BATCH);
        model.namedParameters().forEach((name, p) -> {
            float[] g = ref.tensor("grad." + name).data();
            System.arraycopy(g, 0, p.grad(), 0, g.length);
        });
        return model;
    }

    private static void assertStep(String prefix, Sequential model, double atol, double rtol) {
        for (String name : SeedCnn.PARAMETER_NAMES) {
            Compare.assertClose(prefix + name, ref.tensor(prefix + name), model.namedParameters().get(name),
                    atol, rtol);
        }
    }

    private static void check(String prefix, Function<List<Tensor>, Optimizer> optimizer) throws Exception {
        Sequential ours = modelWithOurGradients();
        optimizer.apply(ours.parameters()).step();
        assertStep(prefix, ours, MODEL_ATOL, MODEL_RTOL);

        Sequential theirs = modelWithPyTorchGradients();
        optimizer.apply(theirs.parameters()).step();
        assertStep(prefix, theirs, 1e-7, 1e-5);
    }

    @Test
    void sgdStepWithWeightDecayMatchesPyTorch() throws Exception {
        check("sgd_step.", params -> new Sgd(params, 0.01, 0, false, 0.001));
    }

    @Test
    void seedOptimizerStepMatchesPyTorch() throws Exception {
        check("seed_optimizer_step.", params -> new SeedOptimizer(params, 0.01, 0.001));
    }
}
