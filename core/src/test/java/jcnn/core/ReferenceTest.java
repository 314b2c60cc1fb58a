package jcnn.core;

import static jcnn.core.Reference.gradOf;
import static jcnn.core.Reference.intMeta;
import static jcnn.core.Reference.load;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import jcnn.core.io.Safetensors;
import jcnn.kernels.Kernels;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forward outputs and gradients of every op, and of the whole seed model, against PyTorch's float32 results,
 * on every kernel implementation (see {@link KernelCases}).
 *
 * <p>Tolerances: single ops must agree with PyTorch to 1e-5 relative, with an absolute floor of 1e-5 times the
 * RMS of the expected tensor for values that are sums of nearly cancelling terms. Measured on the scalar
 * kernels, the worst error is 3.6e-6 x RMS (linear_0 y, sums of 1568 products in float32). The whole model's
 * gradients go through four layers whose sums PyTorch orders differently, so they get atol 1e-5 + rtol 1e-4,
 * as the reference README suggests.
 */
class ReferenceTest {

    static final double OP_RTOL = 1e-5;
    static final double MODEL_ATOL = 1e-5, MODEL_RTOL = 1e-4;

    static Stream<Arguments> cases(String prefix, int count) {
        return KernelCases.all().flatMap(k -> IntStream.range(0, count)
                .mapToObj(i -> Arguments.of(k, prefix + "_" + i)));
    }

    static Stream<Arguments> conv() {
        return cases("conv2d", 6);
    }

    static Stream<Arguments> maxPool() {
        return Stream.concat(cases("maxpool2d", 3),
                KernelCases.all().map(k -> Arguments.of(k, "maxpool2d_ties")));
    }

    static Stream<Arguments> linear() {
        return cases("linear", 4);
    }

    static Stream<Arguments> relu() {
        return cases("relu", 1);
    }

    static Stream<Arguments> crossEntropy() {
        return cases("cross_entropy", 3);
    }

    static Stream<Named<Supplier<Kernels>>> kernels() {
        return KernelCases.all();
    }

    private static void close(String what, Tensor expected, Tensor actual) {
        // The absolute floor scales with the tensor: float32 sums of terms of size ~rms, added in a different
        // order than PyTorch's, differ by a small multiple of 1e-7 * rms however small the result is.
        double sumSq = 0;
        for (float v : expected.data()) {
            sumSq += (double) v * v;
        }
        double rms = Math.sqrt(sumSq / Math.max(1, expected.size()));
        Compare.assertClose(what, expected, actual, OP_RTOL * rms + 1e-7, OP_RTOL);
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("conv")
    void conv2dMatchesPyTorch(Supplier<Kernels> kernels, String file) throws Exception {
        Safetensors f = load(file);
        Tensor x = f.tensor("x").requiresGrad(true);
        Tensor w = f.tensor("weight").requiresGrad(true);
        Tensor b = f.tensor("bias").requiresGrad(true);
        Tensor y = Engine.using(kernels.get(), () -> Ops.conv2d(x, w, b, intMeta(f, "s"), intMeta(f, "p")));
        y.backward(f.tensor("grad_y"));

        close(file + " y", f.tensor("y"), y);
        close(file + " grad_x", f.tensor("grad_x"), gradOf(x));
        close(file + " grad_weight", f.tensor("grad_weight"), gradOf(w));
        close(file + " grad_bias", f.tensor("grad_bias"), gradOf(b));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("maxPool")
    void maxPool2dMatchesPyTorch(Supplier<Kernels> kernels, String file) throws Exception {
        Safetensors f = load(file);
        Tensor x = f.tensor("x").requiresGrad(true);
        Tensor y = Engine.using(kernels.get(), () -> Ops.maxPool2d(x, intMeta(f, "k"), intMeta(f, "s")));
        y.backward(f.tensor("grad_y"));

        close(file + " y", f.tensor("y"), y);
        close(file + " grad_x", f.tensor("grad_x"), gradOf(x));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("linear")
    void linearMatchesPyTorch(Supplier<Kernels> kernels, String file) throws Exception {
        Safetensors f = load(file);
        Tensor x = f.tensor("x").requiresGrad(true);
        Tensor w = f.tensor("weight").requiresGrad(true);
        Tensor b = f.tensor("bias").requiresGrad(true);
        Tensor y = Engine.using(kernels.get(), () -> Ops.linear(x, w, b));
        y.backward(f.tensor("grad_y"));

        close(file + " y", f.tensor("y"), y);
        close(file + " grad_x", f.tensor("grad_x"), gradOf(x));
        close(file + " grad_weight", f.tensor("grad_weight"), gradOf(w));
        close(file + " grad_bias", f.tensor("grad_bias"), gradOf(b));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("relu")
    void reluMatchesPyTorch(Supplier<Kernels> kernels, String file) throws Exception {
        Safetensors f = load(file);
        Tensor x = f.tensor("x").requiresGrad(true);
        Tensor y = Engine.using(kernels.get(), () -> Ops.relu(x));
        y.backward(f.tensor("grad_y"));

        close(file + " y", f.tensor("y"), y);
        close(file + " grad_x", f.tensor("grad_x"), gradOf(x));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("crossEntropy")
    void crossEntropyMatchesPyTorch(Supplier<Kernels> kernels, String file) throws Exception {
        Safetensors f = load(file);
        Tensor logits = f.tensor("logits").requiresGrad(true);
        int[] target = f.ints("target");
        Kernels k = kernels.get();
        Tensor loss = Engine.using(k, () -> Ops.crossEntropy(logits, target));
        loss.backward();
        Tensor logSoftmax = Engine.using(k, () -> Ops.logSoftmax(f.tensor("logits")));

        close(file + " loss", f.tensor("loss"), Reference.reshapedLike(f.tensor("loss"), loss));
        close(file + " grad_logits", f.tensor("grad_logits"), gradOf(logits));
        close(file + " log_softmax", f.tensor("log_softmax"), logSoftmax);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The seed model

    static final String[] PARAMS = {"conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
            "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"};

    /** The seed CNN (see seed/SEED.md), written directly with the ops. */
    static Tensor seedModel(Map<String, Tensor> p, Tensor x) {
        Tensor h = Ops.maxPool2d(Ops.relu(Ops.conv2d(x, p.get("conv1.weight"), p.get("conv1.bias"), 1, 1)), 2, 2);
        h = Ops.maxPool2d(Ops.relu(Ops.conv2d(h, p.get("conv2.weight"), p.get("conv2.bias"), 1, 1)), 2, 2);
        h = Ops.relu(Ops.linear(Ops.flatten(h), p.get("fc1.weight"), p.get("fc1.bias")));
        return Ops.linear(h, p.get("fc2.weight"), p.get("fc2.bias"));
    }

    @ParameterizedTest(name = "seed model on {0}")
    @MethodSource("kernels")
    void seedModelMatchesPyTorch(Supplier<Kernels> kernels) throws Exception {
        Safetensors f = load("seed_model_batch");
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (String name : PARAMS) {
            params.put(name, f.tensor("param." + name).requiresGrad(true));
        }
        Tensor x = f.tensor("x");
        int[] target = f.ints("target");

        Tensor[] out = Engine.using(kernels.get(), () -> {
            Tensor logits = seedModel(params, x);
            return new Tensor[] {logits, Ops.crossEntropy(logits, target)};
        });
        out[1].backward();

        Compare.assertClose("seed logits", f.tensor("logits"), out[0], MODEL_ATOL, MODEL_RTOL);
        Compare.assertClose("seed loss", f.tensor("loss").data(), out[1].data(), MODEL_ATOL, MODEL_RTOL);
        for (String name : PARAMS) {
            Compare.assertClose("seed grad." + name, f.tensor("grad." + name), gradOf(params.get(name)),
                    MODEL_ATOL, MODEL_RTOL);
        }

        // One SGD step with weight decay, p -= lr (g + wd p), as a plain loop: optimizers live in training.
        // With PyTorch's own gradients the step must agree to float32 rounding; with ours, to the gradients'
        // tolerance times lr.
        float lr = Float.parseFloat(f.metadata().get("lr"));
        float wd = Float.parseFloat(f.metadata().get("weight_decay"));
        for (String name : PARAMS) {
            float[] p = params.get(name).data();
            float[] gOurs = params.get(name).grad(), gRef = f.tensor("grad." + name).data();
            float[] stepOurs = new float[p.length], stepRef = new float[p.length];
            for (int i = 0; i < p.length; i++) {
                stepOurs[i] = p[i] - lr * (gOurs[i] + wd * p[i]);
                stepRef[i] = p[i] - lr * (gRef[i] + wd * p[i]);
            }
            float[] expected = f.tensor("sgd_step." + name).data();
            Compare.assertClose("sgd_step." + name + " from PyTorch's gradient", expected, stepRef, 1e-8, 1e-6);
            Compare.assertClose("sgd_step." + name + " from our gradient", expected, stepOurs,
                    lr * MODEL_ATOL, MODEL_RTOL);
        }
    }
}
