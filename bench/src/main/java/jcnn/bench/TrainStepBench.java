package jcnn.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jcnn.core.BufferPool;
import jcnn.core.Engine;
import jcnn.core.Ops;
import jcnn.core.Tensor;
import jcnn.kernels.Kernels;
import jcnn.training.BatchGradient;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;
import jcnn.training.optim.Optimizer;
import jcnn.training.optim.Sgd;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One full training step of the seed CNN on a synthetic batch, as the trainer takes it: zero the gradients,
 * forward, softmax cross-entropy, backward, and an optimizer step ({@link Sgd}, plain, lr 0.01: the update the
 * PyTorch peer benchmark takes), inside a buffer-pool scope. The model is {@link SeedCnn} itself and the
 * optimizer the training module's, so the figure includes their bookkeeping. JMH reports time per step; {@link Report}
 * converts it to images/s (batch / time). Run it with {@code -prof gc} to see the allocation per step
 * ({@code gc.alloc.rate.norm}).
 *
 * <p>Batch 64 is the default; the peer comparison also runs 32 and 256 ({@code -p batch=32,64,256}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TrainStepBench {

    @Param({"64"})
    public int batch;

    @Param({"scalar", "vector"})
    public String kernel;

    @Param({"1", "2"})
    public int threads;

    /**
     * {@code chunks}: forward and backward as the trainer runs them, {@link BatchGradient}'s convolutions in
     * parallel chunks of 16 images; {@code whole}: the batch through the model in one piece, each op parallel on
     * its own (the step before BatchGradient, for comparison).
     */
    @Param({"chunks"})
    public String schedule = "chunks";

    private Kernels kernels;
    private Sequential model;
    private Optimizer optimizer;
    private final BufferPool pool = new BufferPool();
    private BatchGradient gradient;
    private Tensor images;
    private int[] labels;

    @Setup
    public void setup() {
        kernels = BenchKernels.create(kernel, threads);
        model = SeedCnn.create(new SplittableRandom(1));
        optimizer = new Sgd(model.parameters(), 0.01);
        gradient = new BatchGradient(model, 0);
        SyntheticBatch data = new SyntheticBatch(batch, 42);
        images = data.input();
        labels = data.labels;
    }

    @Benchmark
    @SuppressWarnings("try")   // both scopes are used for their open/close only
    public float step() {
        try (var engine = Engine.using(kernels); var step = pool.open()) {
            optimizer.zeroGrad();
            float loss;
            if (schedule.equals("chunks")) {
                loss = gradient.compute(images, labels).loss();
            } else {
                Tensor l = Ops.crossEntropy(model.forward(images), labels);
                l.backward();
                loss = l.item();
            }
            optimizer.step();
            return loss;
        }
    }
}
