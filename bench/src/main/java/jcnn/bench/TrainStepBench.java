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
 * One full training step of the seed CNN (forward + backward + SGD) on a synthetic batch, inside a buffer-pool
 * scope. JMH reports time per step; {@link Report} converts it to images/s (batch / time). Run it with
 * {@code -prof gc} to see the allocation per step ({@code gc.alloc.rate.norm}).
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

    private SeedCnnStep model;
    private Tensor images;
    private int[] labels;

    @Setup
    public void setup() {
        model = new SeedCnnStep(BenchKernels.create(kernel, threads), 0.01f, 1);
        SyntheticBatch data = new SyntheticBatch(batch, 42);
        images = SeedCnnStep.input(data);
        labels = data.labels;
    }

    @Benchmark
    public float step() {
        return model.trainStep(images, labels);
    }
}
