package jcnn.bench;

import java.util.concurrent.TimeUnit;
import jcnn.core.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Inference of the seed CNN on a batch of 1000 synthetic images under {@code NoGrad} (no graph, no gradients),
 * with the logits copied out. JMH reports time per batch; {@link Report} converts it to images/s.
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

    private SeedCnnStep model;
    private Tensor images;
    private float[] logits;

    @Setup
    public void setup() {
        model = new SeedCnnStep(BenchKernels.create(kernel, threads), 0.01f, 1);
        images = SeedCnnStep.input(new SyntheticBatch(batch, 42));
        logits = new float[batch * SyntheticBatch.CLASSES];
    }

    @Benchmark
    public float[] infer() {
        return model.infer(images, logits);
    }
}
