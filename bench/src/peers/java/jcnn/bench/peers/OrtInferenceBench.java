package jcnn.bench.peers;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
 * ONNX Runtime's inference of the seed CNN, batch 1000, the logits copied out: the engine users deploy to on CPUs,
 * beside {@code jcnn.bench.InferenceBench} and PyTorch's {@link DjlInferenceBench}.
 *
 * <p>Set up for speed as its documentation advises: every graph optimisation on, intra-op threads fixed to the
 * benchmark's thread count, one inter-op thread (the graph is a chain), sequential execution, the input tensor
 * created once. The model is the file {@code bench/src/peers/python/export_seed_cnn_onnx.py} writes (PyTorch 1.13's
 * exporter, opset 13); {@code bench/run-peers.sh} makes it and passes its path as {@code -Djcnn.onnx.model}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class OrtInferenceBench {

    @Param({"1000"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private OrtEnvironment env;
    private OrtSession session;
    private OnnxTensor input;
    private float[] logits;

    @Setup
    public void setup() throws OrtException {
        String model = System.getProperty("jcnn.onnx.model", "bench/target/peers/seed-cnn.onnx");
        if (!Files.isRegularFile(Path.of(model))) {
            throw new IllegalStateException("ONNX model " + model + " not found: bench/run-peers.sh exports it with"
                    + " bench/src/peers/python/export_seed_cnn_onnx.py (needs python3-torch), or pass"
                    + " -Djcnn.onnx.model=FILE");
        }
        env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        session = env.createSession(model, options);
        SyntheticBatch data = new SyntheticBatch(batch, 42);
        input = OnnxTensor.createTensor(env, FloatBuffer.wrap(data.images), new long[] {batch,
                SyntheticBatch.CHANNELS, SyntheticBatch.HEIGHT, SyntheticBatch.WIDTH});
        logits = new float[batch * SyntheticBatch.CLASSES];
    }

    @Benchmark
    public float[] infer() throws OrtException {
        try (OrtSession.Result result = session.run(Map.of("images", input))) {
            ((OnnxTensor) result.get(0)).getFloatBuffer().get(logits);
        }
        return logits;
    }

    @TearDown
    public void tearDown() throws OrtException {
        input.close();
        session.close();
    }
}
