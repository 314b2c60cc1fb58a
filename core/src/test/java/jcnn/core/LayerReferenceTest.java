package jcnn.core;

import static jcnn.core.Reference.gradOf;
import static jcnn.core.Reference.intMeta;
import static jcnn.core.Reference.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Supplier;
import java.util.stream.Stream;
import jcnn.core.io.Safetensors;
import jcnn.kernels.Kernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The layers of the deeper models against PyTorch 1.13's float32 results (core/src/test/python/layer_references.py
 * made the files): batch normalisation in training mode (batch statistics, and the running statistics it leaves)
 * and in evaluation mode (running statistics), average pooling, global average pooling and dropout with PyTorch's
 * own mask, forward and backward, on every kernel implementation. The tolerance is {@link ReferenceTest}'s for
 * single ops: 1e-5 relative with a floor of 1e-5 x the expected tensor's RMS.
 */
class LayerReferenceTest {

    static Stream<Arguments> batchNormTraining() {
        return ReferenceTest.cases("batchnorm2d_train", 4);
    }

    static Stream<Arguments> batchNormEvaluation() {
        return ReferenceTest.cases("batchnorm2d_eval", 2);
    }

    static Stream<Arguments> avgPool() {
        return ReferenceTest.cases("avgpool2d", 4);
    }

    static Stream<Arguments> globalAvgPool() {
        return ReferenceTest.cases("global_avgpool", 3);
    }

    static Stream<Arguments> dropout() {
        return ReferenceTest.cases("dropout", 2);
    }

    private static void close(String what, Tensor expected, Tensor actual) {
        double sumSq = 0;
        for (float v : expected.data()) {
            sumSq += (double) v * v;
        }
        double rms = Math.sqrt(sumSq / Math.max(1, expected.size()));
        Compare.assertClose(what, expected, actual, ReferenceTest.OP_RTOL * rms + 1e-7, ReferenceTest.OP_RTOL);
    }

    private static double meta(Safetensors f, String key) {
        return Double.parseDouble(f.metadata().get(key));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("batchNormTraining")
    void batchNormInTrainingModeMatchesPyTorch(Supplier<Kernels> kernels, String file) throws Exception {
        Safetensors f = load(file);
        assertEquals("true", f.metadata().get("training"));
        Tensor x = f.tensor("x").requiresGrad(true);
        Tensor w = f.tensor("weight").requiresGrad(true);
        Tensor b = f.tensor("bias").requiresGrad(true);
        Tensor runningMean = f.tensor("running_mean"), runningVar = f.tensor("running_var");
        Tensor y = Engine.using(kernels.get(), () -> Ops.batchNorm2d(x, w, b, runningMean, runningVar, true,
                meta(f, "momentum"), meta(f, "eps")));
        y.backward(f.tensor("grad_y"));

        double[][] exact = exactTrainingBatchNorm(f, meta(f, "eps"));
        closeOrNearerToExact(file + " y", f.tensor("y"), y, exact[0]);
        closeOrNearerToExact(file + " grad_x", f.tensor("grad_x"), gradOf(x), exact[1]);
        closeOrNearerToExact(file + " grad_weight", f.tensor("grad_weight"), gradOf(w), exact[2]);
        closeOrNearerToExact(file + " grad_bias", f.tensor("grad_bias"), gradOf(b), exact[3]);
        close(file + " running_mean after", f.tensor("new_running_mean"), runningMean);
        close(file + " running_var after", f.tensor("new_running_var"), runningVar);
    }

    /**
     * Within the op tolerance of PyTorch, or, where float32 itself is ill-conditioned (batchnorm2d_train_3: mean
     * 100, standard deviation 0.01, where rounding the mean to float32 alone moves xhat by 4e-4), at most as far
     * from the float64 answer as PyTorch's own float32 result is, times 1.5.
     */
    private static void closeOrNearerToExact(String what, Tensor expected, Tensor actual, double[] exact) {
        try {
            close(what, expected, actual);
        } catch (AssertionError notClose) {
            double ours = 0, theirs = 0;
            for (int i = 0; i < exact.length; i++) {
                ours = Math.max(ours, Math.abs(actual.data()[i] - exact[i]));
                theirs = Math.max(theirs, Math.abs(expected.data()[i] - exact[i]));
            }
            System.out.printf("%s: max error against float64 %.3g, PyTorch's %.3g%n", what, ours, theirs);
            if (ours > 1.5 * theirs) {
                throw new AssertionError(what + ": max error against float64 " + ours + ", PyTorch's float32 "
                        + theirs + "\n" + notClose.getMessage());
            }
        }
    }

    /** Training-mode batch norm in float64 on the file's float32 inputs: y, grad_x, grad_weight, grad_bias. */
    private static double[][] exactTrainingBatchNorm(Safetensors f, double eps) {
        float[] x = f.tensor("x").data(), dy = f.tensor("grad_y").data();
        float[] gamma = f.tensor("weight").data(), beta = f.tensor("bias").data();
        int[] shape = f.shape("x");
        int n = shape[0], c = shape[1], sp = shape[2] * shape[3];
        double count = (double) n * sp;
        double[] y = new double[x.length], dx = new double[x.length], dg = new double[c], db = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0, sq = 0, sumDy = 0, sumDyXhat = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < sp; p++) {
                    sum += x[(i * c + ch) * sp + p];
                }
            }
            double mean = sum / count;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < sp; p++) {
                    double d = x[(i * c + ch) * sp + p] - mean;
                    sq += d * d;
                }
            }
            double invStd = 1 / Math.sqrt(sq / count + eps);
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < sp; p++) {
                    int at = (i * c + ch) * sp + p;
                    double xhat = (x[at] - mean) * invStd;
                    y[at] = xhat * gamma[ch] + beta[ch];
                    sumDy += dy[at];
                    sumDyXhat += dy[at] * xhat;
                }
            }
            dg[ch] = sumDyXhat;
            db[ch] = sumDy;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < sp; p++) {
                    int at = (i * c + ch) * sp + p;
                    double xhat = (x[at] - mean) * invStd;
                    dx[at] = gamma[ch] * invStd * (dy[at] - sumDy / count - xhat * sumDyXhat / count);
                }
            }
        }
        return new double[][] {y, dx, dg, db};
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("batchNormEvaluation")
    void batchNormInEvaluationModeMatchesPyTorch(Supplier<Kernels> kernels, String file) throws Exception {
        Safetensors f = load(file);
        assertEquals("false", f.metadata().get("training"));
        Tensor x = f.tensor("x").requiresGrad(true);
        Tensor w = f.tensor("weight").requiresGrad(true);
        Tensor b = f.tensor("bias").requiresGrad(true);
        Tensor runningMean = f.tensor("running_mean"), runningVar = f.tensor("running_var");
        Tensor y = Engine.using(kernels.get(), () -> Ops.batchNorm2d(x, w, b, runningMean, runningVar, false,
                meta(f, "momentum"), meta(f, "eps")));
        y.backward(f.tensor("grad_y"));

        close(file + " y", f.tensor("y"), y);
        close(file + " grad_x", f.tensor("grad_x"), gradOf(x));
        close(file + " grad_weight", f.tensor("grad_weight"), gradOf(w));
        close(file + " grad_bias", f.tensor("grad_bias"), gradOf(b));
        // Evaluation leaves the running statistics alone.
        Compare.assertClose(file + " running_mean unchanged", f.tensor("running_mean"), runningMean, 0, 0);
        Compare.assertClose(file + " running_var unchanged", f.tensor("running_var"), runningVar, 0, 0);
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("avgPool")
    void avgPool2dMatchesPyTorch(Supplier<Kernels> kernels, String file) throws Exception {
        Safetensors f = load(file);
        Tensor x = f.tensor("x").requiresGrad(true);
        Tensor y = Engine.using(kernels.get(), () -> Ops.avgPool2d(x, intMeta(f, "k"), intMeta(f, "s")));
        y.backward(f.tensor("grad_y"));

        close(file + " y", f.tensor("y"), y);
        close(file + " grad_x", f.tensor("grad_x"), gradOf(x));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("globalAvgPool")
    void globalAvgPool2dMatchesPyTorch(Supplier<Kernels> kernels, String file) throws Exception {
        Safetensors f = load(file);
        Tensor x = f.tensor("x").requiresGrad(true);
        Tensor y = Engine.using(kernels.get(), () -> Ops.globalAvgPool2d(x));
        y.backward(f.tensor("grad_y"));

        close(file + " y", f.tensor("y"), y);
        close(file + " grad_x", f.tensor("grad_x"), gradOf(x));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("dropout")
    void dropoutWithPyTorchsMaskMatchesPyTorch(Supplier<Kernels> kernels, String file) throws Exception {
        Safetensors f = load(file);
        Tensor x = f.tensor("x").requiresGrad(true);
        float[] mask = f.tensor("mask").data();
        // PyTorch's mask holds exactly 0 and 1 / (1 - p), the values Ops.dropout draws.
        float keep = (float) (1 / (1 - meta(f, "p")));
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0f && mask[i] != keep) {
                throw new AssertionError(file + " mask[" + i + "] = " + mask[i] + ", expected 0 or " + keep);
            }
        }
        Tensor y = Engine.using(kernels.get(), () -> Ops.dropoutWithMask(x, mask));
        y.backward(f.tensor("grad_y"));

        close(file + " y", f.tensor("y"), y);
        close(file + " grad_x", f.tensor("grad_x"), gradOf(x));
    }
}
