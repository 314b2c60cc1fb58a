package jcnn.bench.peers;

import java.util.concurrent.TimeUnit;
import jcnn.bench.SyntheticBatch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * PyTorch's training step of the seed CNN (forward + backward + SGD) through DJL, on the same synthetic batch as
 * {@code jcnn.bench.TrainStepBench}; the peer of that benchmark. Run with jemalloc (bench/run-peers.sh): libtorch
 * is unstable and slow on this VM with glibc's allocator returning pages every step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DjlTrainStepBench {

    @Param({"64"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private DjlSeedCnn net;

    @Setup
    public void setup() {
        net = new DjlSeedCnn(new SyntheticBatch(batch, 42), threads, true);
    }

    @Benchmark
    public float step() {
        return net.trainStep();
    }

    @TearDown
    public void tearDown() {
        net.close();
    }
}
