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
 * PyTorch's inference of the seed CNN through DJL, batch 1000, no gradients, logits copied out; the peer of
 * {@code jcnn.bench.InferenceBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DjlInferenceBench {

    @Param({"1000"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private DjlSeedCnn net;

    @Setup
    public void setup() {
        net = new DjlSeedCnn(new SyntheticBatch(batch, 42), threads, false);
    }

    @Benchmark
    public float[] infer() {
        return net.infer();
    }

    @TearDown
    public void tearDown() {
        net.close();
    }
}
