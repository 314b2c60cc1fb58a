package jcnn.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import jcnn.kernels.ConvShape;
import jcnn.kernels.Kernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The convolution kernels of the seed CNN at batch 64, one layer at a time: im2col alone, the forward pass
 * (im2col + GEMM + bias) and the backward pass, called on the kernels directly, the way {@code Ops.conv2d} calls
 * them. conv1's backward computes no input gradient, because in the seed CNN its input is the image, which needs
 * none; conv2's computes all three.
 *
 * <p>Backward kernels accumulate: the gradient buffers are never cleared here, because clearing would add a
 * memset the engine does elsewhere (in the buffer pool), and the sums stay finite for any realistic run length.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConvBench {

    /** conv1: 1 -> 16 channels on 28x28; conv2: 16 -> 32 channels on 14x14. Both 3x3, stride 1, padding 1. */
    @Param({"conv1", "conv2"})
    public String layer;

    @Param({"scalar", "vector"})
    public String kernel;

    @Param({"1", "2"})
    public int threads;

    static final int BATCH = 64;

    private Kernels k;
    private ConvShape s;
    private float[] x, w, bias, y, col, dy, dx, dw, dbias;

    @Setup
    public void setup() {
        k = BenchKernels.create(kernel, threads);
        s = shape(layer, BATCH);
        Random rng = new Random(42);
        x = random(rng, s.inputSize());
        w = random(rng, s.weightSize());
        bias = random(rng, s.o());
        y = new float[s.outputSize()];
        col = new float[s.colRows() * s.colCols()];
        dy = random(rng, s.outputSize());
        dx = layer.equals("conv1") ? null : new float[s.inputSize()];
        dw = new float[s.weightSize()];
        dbias = new float[s.o()];
    }

    static ConvShape shape(String layer, int batch) {
        switch (layer) {
            case "conv1":
                return new ConvShape(batch, 1, 28, 28, 16, 3, 3, 1, 1);
            case "conv2":
                return new ConvShape(batch, 16, 14, 14, 32, 3, 3, 1, 1);
            default:
                throw new IllegalArgumentException("layer must be conv1 or conv2, got '" + layer + "'");
        }
    }

    /** im2col of every image of the batch into one reused buffer, as the forward pass does. */
    @Benchmark
    public float[] im2col() {
        int imageSize = s.c() * s.h() * s.w();
        for (int i = 0; i < s.n(); i++) {
            k.im2col(x, i * imageSize, s, col, 0);
        }
        return col;
    }

    @Benchmark
    public float[] forward() {
        k.conv2dForward(x, w, bias, y, s);
        return y;
    }

    @Benchmark
    public float[] backward() {
        k.conv2dBackward(dy, x, w, dx, dw, dbias, s);
        return dw;
    }

    static float[] random(Random rng, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = rng.nextFloat() * 2f - 1f;
        }
        return a;
    }
}
