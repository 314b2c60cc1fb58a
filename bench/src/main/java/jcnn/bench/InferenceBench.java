package jcnn.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jcnn.core.BufferPool;
import jcnn.core.Engine;
import jcnn.core.NoGrad;
import jcnn.core.Tensor;
import jcnn.kernels.Kernels;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Inference of the seed CNN ({@link SeedCnn} itself) on a batch of 1000 synthetic images under {@code NoGrad} (no
 * graph, no gradients), in a buffer-pool scope, with the logits copied out before the pool takes their array
 * back. JMH reports time per batch; {@link Report} converts it to images/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class InferenceBench {

    @Param({"1000"})
    public int batch;

    @Param({"scalar", "vector"})
    public String kernel;

    @Param({"1", "2"})
    public int threads;

    private Kernels kernels;
    private Sequential model;
    private final BufferPool pool = new BufferPool();
    private Tensor images;
    private float[] logits;

    @Setup
    public void setup() {
        kernels = BenchKernels.create(kernel, threads);
        model = SeedCnn.create(new SplittableRandom(1));
        images = new SyntheticBatch(batch, 42).input();
        logits = new float[batch * SyntheticBatch.CLASSES];
    }

    @Benchmark
    @SuppressWarnings("try")   // the scopes are used for their open/close only
    public float[] infer() {
        try (var engine = Engine.using(kernels); var step = pool.open(); var noGrad = NoGrad.enter()) {
            Tensor y = model.forward(images);
            System.arraycopy(y.data(), 0, logits, 0, y.size());
            return logits;
        }
    }
}
