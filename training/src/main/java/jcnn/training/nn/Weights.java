package jcnn.training.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import jcnn.core.Tensor;
import jcnn.core.io.Safetensors;
import jcnn.core.io.WeightValues;

/**
 * Saves a model's weights to a safetensors file and loads them back, by PyTorch parameter name, so a file written
 * here loads in PyTorch with {@code model.load_state_dict(safetensors.torch.load_file(path))} and the other way
 * round.
 *
 * <p>The file holds the model's whole state, PyTorch's {@code state_dict()}: the parameters and the buffers
 * (batch normalisation's {@code running_mean} and {@code running_var} as F32, {@code num_batches_tracked} as I64,
 * the dtypes PyTorch uses). A model without buffers, such as the seed CNN, writes exactly its parameters.
 *
 * <p>Loading is strict: every parameter and buffer of the model must be in the file with its exact shape and
 * dtype (F32, or I64 for an integer buffer), and the file must hold nothing else (under the given prefix); the
 * error names the file and the tensor. Nothing is changed unless everything fits. Non-goals: optimizer state,
 * partial loading.
 */
public final class Weights {

    private Weights() {
    }

    /** Writes every parameter and buffer of {@code model} under its name, with optional string metadata. */
    public static void save(Module model, Path file, Map<String, String> metadata) throws IOException {
        Safetensors out = new Safetensors();
        Set<String> integers = model.integerBufferNames();
        model.namedState().forEach((name, t) -> {
            if (integers.contains(name)) {
                long[] values = new long[t.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (long) t.data()[i];
                }
                out.putLongs(name, values, t.shape());
            } else {
                out.put(name, t);
            }
        });
        metadata.forEach(out::putMetadata);
        out.write(file);
    }

    /** Writes every parameter of {@code model} under its name. */
    public static void save(Module model, Path file) throws IOException {
        save(model, file, Map.of());
    }

    /** Loads the weights in {@code file} into {@code model}; see the class comment for the checks. */
    public static void load(Module model, Path file) throws IOException {
        load(model, Safetensors.read(file), "", file.toString());
    }

    /**
     * Loads the tensors named {@code prefix + parameterName} of an open file into {@code model}, ignoring the
     * file's tensors without that prefix. With prefix {@code "param."} this reads the parameters out of a
     * PyTorch reference file that holds other tensors as well.
     *
     * @param source the file's name, for error messages
     */
    public static void load(Module model, Safetensors file, String prefix, String source) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        Set<String> integers = model.integerBufferNames(), known = model.namedState().keySet();
        for (String name : file.names()) {
            if (!name.startsWith(prefix)) {
                continue;
            }
            String key = name.substring(prefix.length());
            if (!known.contains(key)) {
                // Whatever its dtype: loadState names it among the unexpected tensors, with the model's own names.
                state.put(key, Tensor.zeros(file.shape(name)));
                continue;
            }
            if (integers.contains(key)) {
                if (file.dtype(name) != Safetensors.DType.I64) {
                    throw new IllegalArgumentException("cannot load weights from " + source + ": tensor '" + name
                            + "' is " + file.dtype(name) + ", expected I64 (an integer buffer)");
                }
                long[] longs = file.longs(name);
                float[] values = new float[longs.length];
                for (int i = 0; i < longs.length; i++) {
                    if (longs[i] < 0 || longs[i] > 1L << 24) {
                        throw new IllegalArgumentException("cannot load weights from " + source + ": '" + name
                                + "'[" + i + "] = " + longs[i] + " is outside [0, 2^24]");
                    }
                    values[i] = longs[i];
                }
                state.put(key, Tensor.of(values, file.shape(name)));
                continue;
            }
            if (file.dtype(name) != Safetensors.DType.F32) {
                throw new IllegalArgumentException("cannot load weights from " + source + ": tensor '" + name
                        + "' is " + file.dtype(name) + ", expected F32");
            }
            Tensor t = file.tensor(name);
            WeightValues.requireUsable(source, name, t.data());   // "FILE: conv1.weight[0] is NaN"
            state.put(key, t);
        }
        model.loadState(state, source + (prefix.isEmpty() ? "" : " (prefix '" + prefix + "')"));
    }
}
