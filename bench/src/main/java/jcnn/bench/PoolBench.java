package jcnn.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import jcnn.kernels.Kernels;
import jcnn.kernels.PoolShape;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * 2x2 max pooling of the seed CNN at batch 64, forward (with the argmax it saves) and backward (routing the
 * gradient to each window's maximum), alone and fused with the ReLU before it, against the unfused pair.
 * Memory-bound kernels: the figure to watch is time per op, not flops.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PoolBench {

    /** pool1: (64,16,28,28) -> (64,16,14,14); pool2: (64,32,14,14) -> (64,32,7,7). */
    @Param({"pool1", "pool2"})
    public String layer;

    @Param({"scalar", "vector"})
    public String kernel;

    @Param({"1", "2"})
    public int threads;

    private Kernels k;
    private PoolShape s;
    private float[] x, y, dy, dx, relu, dRelu;
    private int[] argmax;

    @Setup
    public void setup() {
        k = BenchKernels.create(kernel, threads);
        s = layer.equals("pool1") ? new PoolShape(ConvBench.BATCH, 16, 28, 28, 2, 2)
                : new PoolShape(ConvBench.BATCH, 32, 14, 14, 2, 2);
        Random rng = new Random(42);
        x = ConvBench.random(rng, s.inputSize());
        y = new float[s.outputSize()];
        argmax = new int[s.outputSize()];
        dy = ConvBench.random(rng, s.outputSize());
        dx = new float[s.inputSize()];
        relu = new float[s.inputSize()];
        dRelu = new float[s.inputSize()];
        k.maxPoolForward(x, s, y, argmax);   // backward needs a valid argmax even when forward is not measured
    }

    @Benchmark
    public float[] forward() {
        k.maxPoolForward(x, s, y, argmax);
        return y;
    }

    @Benchmark
    public float[] backward() {
        k.maxPoolBackward(dy, argmax, s, dx);
        return dx;
    }

    /** What the model ran before fusion: ReLU into its own array, then pooling. */
    @Benchmark
    public float[] reluThenPoolForward() {
        k.reluForward(x, relu, relu.length);
        k.maxPoolForward(relu, s, y, argmax);
        return y;
    }

    /** Its backward: the ReLU output's gradient zeroed (the pool's fill), routed to, then masked into dx. */
    @Benchmark
    public float[] reluThenPoolBackward() {
        java.util.Arrays.fill(dRelu, 0f);
        k.maxPoolBackward(dy, argmax, s, dRelu);
        k.reluBackward(x, dRelu, dx, dx.length);
        return dx;
    }

    @Benchmark
    public float[] fusedForward() {
        k.reluMaxPoolForward(x, s, y, argmax);
        return y;
    }

    /** The fused backward adding into dx (a gradient that another consumer has written already). */
    @Benchmark
    public float[] fusedBackward() {
        k.reluMaxPoolBackward(dy, argmax, x, s, dx);
        return dx;
    }

    /** The fused backward as the training step runs it: dx's only producer, assigned instead of zeroed and added to. */
    @Benchmark
    public float[] fusedBackwardAssigned() {
        k.reluMaxPoolBackwardAssign(dy, argmax, y, s, dx);
        return dx;
    }
}
