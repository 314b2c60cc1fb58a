package jcnn.training;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import jcnn.core.Tensor;
import jcnn.core.io.Safetensors;
import jcnn.core.io.SafetensorsException;
import jcnn.core.io.WeightValues;
import jcnn.training.optim.Optimizer;

/**
 * Everything a training run needs to go on after an epoch as if it had never stopped: a resumed run ends with
 * bit-identical weights to an uninterrupted one (same kernels and thread count). The {@link Trainer} writes one at
 * the end of every epoch ({@link Trainer#checkpointTo}) and continues from one ({@link Trainer#resume}).
 *
 * <h2>What it holds, and why that is all</h2>
 * The weights; the optimizer's {@link Optimizer.State} (momentum buffers, Adam's moments and step count); the
 * recipe; the number of finished epochs; the best-so-far weights with their epoch and validation accuracy (so a
 * resumed run keeps the same best); every finished epoch's metrics; the count of batches skipped for a
 * non-finite loss or gradient. The random state needs no field of its own: the order of the data in epoch e is a
 * function of (recipe.seed, e) alone ({@link jcnn.training.data.Batcher}), the validation split a function of
 * recipe.seed, the initial weights are replaced by the saved ones, and dropout's masks are drawn from a generator
 * the trainer reseeds before every step from (recipe.seed, epoch, batch) ({@link jcnn.training.nn.Module#seedRandom}). The learning rate is not stored either: the schedule computes it from the step.
 *
 * <h2>Format</h2>
 * A safetensors file ({@link Safetensors}), so that any safetensors reader can look inside:
 * <pre>
 * tensors (F32)   weights.NAME           the model's parameters and buffers (state_dict), by PyTorch name, in
 *                                        their shapes (an integer buffer such as num_batches_tracked as F32 here)
 *                 best.NAME              the best epoch's weights (absent while best_epoch is 0)
 *                 optimizer.KIND.I       optimizer arrays, flat, I = parameter index (optimizer.exp_avg.3, ...)
 * metadata        format                 "jcnn.checkpoint"          format_version  "1"
 *                 recipe.KEY             every {@link Recipe#asMap()} entry, as text (doubles round-trip exactly)
 *                 epoch, step            finished epochs; optimizer steps taken (epoch * steps_per_epoch)
 *                 steps_per_epoch, train_images, validation_images   the data the run was on, checked on resume
 *                 optimizer              the optimizer's class (SGD, Adam, ...)
 *                 optimizer.KEY          its scalar state (step, started, ...)
 *                 best_epoch, best_accuracy, skipped_batches, kernels
 *                 history                the finished epochs' {@link EpochMetrics}, a JSON array
 *                 sha256                 see below
 * </pre>
 * The checksum is SHA-256 over the content, not over the file's bytes (the header holds the checksum itself):
 * every metadata entry but {@code sha256} in key order, then every tensor in name order (name, dtype, shape,
 * little-endian values), each string and array preceded by its length. Loading recomputes it, so a flipped bit
 * anywhere in a value fails with the file's name and {@code sha256} rather than resuming from wrong numbers; a
 * malformed file fails earlier, in the safetensors reader, naming the field.
 *
 * <p>Saving is atomic ({@link Safetensors#write}: temporary file, force, rename, force the folder), so the file
 * under the final name is always a complete checkpoint, the previous one until the new one is in place.
 *
 * @param recipe           the run's settings
 * @param epoch            epochs finished (1-based count)
 * @param stepsPerEpoch    batches per epoch
 * @param trainImages      training images per epoch
 * @param validationImages validation images
 * @param weights          the model's parameters after {@code epoch}, by name
 * @param optimizer        the optimizer's class name
 * @param optimizerState   the optimizer's state after {@code epoch}
 * @param bestEpoch        the epoch whose weights are {@code bestWeights}; 0 for none
 * @param bestAccuracy     its validation accuracy (NaN without a validation set, -Infinity for none)
 * @param bestWeights      the best epoch's weights, by name; empty when {@code bestEpoch} is 0
 * @param history          the metrics of epochs 1..{@code epoch}
 * @param skippedBatches   batches skipped so far for a non-finite loss or gradient ({@code nanPolicy=skip})
 * @param kernels          the kernels the run used (for information: resuming with others is allowed)
 */
public record Checkpoint(Recipe recipe, int epoch, int stepsPerEpoch, int trainImages, int validationImages,
                         Map<String, Tensor> weights, String optimizer, Optimizer.State optimizerState,
                         int bestEpoch, double bestAccuracy, Map<String, Tensor> bestWeights,
                         List<EpochMetrics> history, long skippedBatches, String kernels) {

    /** The name the trainer gives the checkpoint in a run folder. */
    public static final String FILE_NAME = "checkpoint.safetensors";

    static final String FORMAT = "jcnn.checkpoint";
    static final String VERSION = "1";
    static final String SHA256 = "sha256";

    private static final String WEIGHTS = "weights.", BEST = "best.", OPTIMIZER = "optimizer.", RECIPE = "recipe.";

    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues()
            .setStrictness(Strictness.LENIENT).create();

    public Checkpoint {
        Objects.requireNonNull(recipe, "recipe");
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(optimizerState, "optimizerState");
        bestWeights = Collections.unmodifiableMap(new LinkedHashMap<>(bestWeights));
        history = List.copyOf(history);
        Objects.requireNonNull(kernels, "kernels");
        if (epoch < 1 || history.size() != epoch) {
            throw new IllegalArgumentException("a checkpoint holds " + epoch + " finished epochs and their history,"
                    + " got " + history.size() + " epochs of history");
        }
        if (bestEpoch < 0 || bestEpoch > epoch || (bestEpoch == 0) != bestWeights.isEmpty()) {
            throw new IllegalArgumentException("best epoch " + bestEpoch + " of " + epoch + " with "
                    + bestWeights.size() + " best tensors");
        }
    }

    /** Optimizer steps taken: every batch of every finished epoch. */
    public long step() {
        return (long) epoch * stepsPerEpoch;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Writing

    /** Writes this checkpoint to {@code file}, atomically; see the class comment for the layout. */
    public void save(Path file) throws IOException {
        Safetensors out = new Safetensors();
        weights.forEach((name, t) -> out.put(WEIGHTS + name, t));
        bestWeights.forEach((name, t) -> out.put(BEST + name, t));
        optimizerState.arrays().forEach((name, a) -> out.put(OPTIMIZER + name, Tensor.of(a, a.length)));
        out.putMetadata("format", FORMAT);
        out.putMetadata("format_version", VERSION);
        recipe.asMap().forEach((k, v) -> out.putMetadata(RECIPE + k, String.valueOf(v)));
        out.putMetadata("epoch", String.valueOf(epoch));
        out.putMetadata("step", String.valueOf(step()));
        out.putMetadata("steps_per_epoch", String.valueOf(stepsPerEpoch));
        out.putMetadata("train_images", String.valueOf(trainImages));
        out.putMetadata("validation_images", String.valueOf(validationImages));
        out.putMetadata("optimizer", optimizer);
        optimizerState.values().forEach((k, v) -> out.putMetadata(OPTIMIZER + k, v));
        out.putMetadata("best_epoch", String.valueOf(bestEpoch));
        out.putMetadata("best_accuracy", String.valueOf(bestAccuracy));
        out.putMetadata("history", GSON.toJson(history));
        out.putMetadata("skipped_batches", String.valueOf(skippedBatches));
        out.putMetadata("kernels", kernels);
        out.putMetadata(SHA256, contentHash(out));
        out.write(file);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reading

    /**
     * Reads and verifies a checkpoint: the safetensors structure, the format, the checksum, then every field.
     *
     * @throws SafetensorsException naming the file and the field at fault (a checksum that does not match is
     *                              field {@code sha256})
     * @throws IOException          when the file cannot be read
     */
    public static Checkpoint load(Path file) throws IOException {
        Safetensors in = Safetensors.read(file);
        Fields f = new Fields(file, in.metadata());
        String format = f.text("format");
        if (!format.equals(FORMAT)) {
            throw new SafetensorsException(file, "format", "'" + format + "', expected '" + FORMAT
                    + "' (a weights file is not a checkpoint)");
        }
        String version = f.text("format_version");
        if (!version.equals(VERSION)) {
            throw new SafetensorsException(file, "format_version", version + ", this version reads " + VERSION);
        }
        String stored = f.text(SHA256);
        String actual = contentHash(in);
        if (!stored.equals(actual)) {
            throw new SafetensorsException(file, SHA256, "the content hashes to " + actual + " but the file says "
                    + stored + ": the file is corrupt");
        }

        Properties settings = new Properties();
        for (String key : Recipe.KEYS) {
            String value = in.metadata().get(RECIPE + key);
            if (value != null || !Recipe.KEYS_SINCE_RECIPES.contains(key)) {   // older checkpoints lack those
                settings.setProperty(key, value != null ? value : f.text(RECIPE + key));
            }
        }
        Recipe recipe;
        try {
            recipe = Recipe.fromProperties(settings);
        } catch (IllegalArgumentException e) {
            throw new SafetensorsException(file, "recipe", e.getMessage());
        }
        int epoch = f.integer("epoch", 1);
        int stepsPerEpoch = f.integer("steps_per_epoch", 1);
        long step = f.longInteger("step", 0);
        if (step != (long) epoch * stepsPerEpoch) {
            throw new SafetensorsException(file, "step", step + ", expected epoch * steps_per_epoch = "
                    + (long) epoch * stepsPerEpoch);
        }
        int trainImages = f.integer("train_images", 1);
        int validationImages = f.integer("validation_images", 0);
        int bestEpoch = f.integer("best_epoch", 0);
        double bestAccuracy = f.number("best_accuracy");
        long skipped = f.longInteger("skipped_batches", 0);

        List<EpochMetrics> history;
        try {
            history = GSON.fromJson(f.text("history"), new TypeToken<List<EpochMetrics>>() { }.getType());
        } catch (JsonParseException e) {
            throw new SafetensorsException(file, "history", "not a JSON array of epoch metrics: " + e.getMessage());
        }
        if (history == null || history.size() != epoch || history.contains(null)) {
            throw new SafetensorsException(file, "history", (history == null ? 0 : history.size())
                    + " epochs, expected " + epoch);
        }
        if (bestEpoch > epoch) {
            throw new SafetensorsException(file, "best_epoch", bestEpoch + ", after the last epoch " + epoch);
        }

        Map<String, Tensor> weights = new LinkedHashMap<>();
        Map<String, Tensor> best = new LinkedHashMap<>();
        Map<String, float[]> arrays = new LinkedHashMap<>();
        for (String name : in.names()) {
            if (in.dtype(name) != Safetensors.DType.F32) {
                throw new SafetensorsException(file, name + ".dtype", in.dtype(name) + ", expected F32");
            }
            if (name.startsWith(WEIGHTS) || name.startsWith(BEST)) {
                // The trainer never saves non-finite weights; a file that has them was changed since.
                String bad = WeightValues.firstBad(in.tensor(name).data());
                if (bad != null) {
                    throw new SafetensorsException(file, name, "value " + bad);
                }
            }
            if (name.startsWith(WEIGHTS)) {
                weights.put(name.substring(WEIGHTS.length()), in.tensor(name));
            } else if (name.startsWith(BEST)) {
                best.put(name.substring(BEST.length()), in.tensor(name));
            } else if (name.startsWith(OPTIMIZER)) {
                arrays.put(name.substring(OPTIMIZER.length()), in.tensor(name).data());
            } else {
                throw new SafetensorsException(file, name, "unexpected tensor (expected names starting with "
                        + WEIGHTS + ", " + BEST + " or " + OPTIMIZER + ")");
            }
        }
        if (weights.isEmpty()) {
            throw new SafetensorsException(file, WEIGHTS + "*", "no weights");
        }
        if ((bestEpoch == 0) != best.isEmpty() || (!best.isEmpty() && !best.keySet().equals(weights.keySet()))) {
            throw new SafetensorsException(file, BEST + "*", "best_epoch " + bestEpoch + " with best tensors "
                    + new TreeSet<>(best.keySet()) + ", expected " + (bestEpoch == 0 ? "none"
                    : new TreeSet<>(weights.keySet())));
        }
        Map<String, String> values = new LinkedHashMap<>();
        in.metadata().forEach((k, v) -> {
            if (k.startsWith(OPTIMIZER)) {
                values.put(k.substring(OPTIMIZER.length()), v);
            }
        });
        return new Checkpoint(recipe, epoch, stepsPerEpoch, trainImages, validationImages, weights,
                f.text("optimizer"), new Optimizer.State(arrays, values), bestEpoch, bestAccuracy, best, history,
                skipped, f.text("kernels"));
    }

    /** Reads metadata entries, failing with the file and the key. */
    private record Fields(Path file, Map<String, String> metadata) {
        String text(String key) throws SafetensorsException {
            String v = metadata.get(key);
            if (v == null) {
                throw new SafetensorsException(file, "__metadata__." + key, "missing");
            }
            return v;
        }

        long longInteger(String key, long min) throws SafetensorsException {
            String v = text(key);
            try {
                long n = Long.parseLong(v);
                if (n >= min) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new SafetensorsException(file, "__metadata__." + key, "'" + v + "', expected an integer >= " + min);
        }

        int integer(String key, int min) throws SafetensorsException {
            long n = longInteger(key, min);
            if (n > Integer.MAX_VALUE) {
                throw new SafetensorsException(file, "__metadata__." + key, n + " is too large");
            }
            return (int) n;
        }

        double number(String key) throws SafetensorsException {
            String v = text(key);
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new SafetensorsException(file, "__metadata__." + key, "'" + v + "', expected a number");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The checksum

    /** SHA-256 of the content as described in the class comment, in lower-case hex. */
    static String contentHash(Safetensors st) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java platform has SHA-256", e);
        }
        md.update(FORMAT.getBytes(StandardCharsets.UTF_8));
        Map<String, String> metadata = new TreeMap<>(st.metadata());
        metadata.remove(SHA256);
        update(md, metadata.size());
        metadata.forEach((k, v) -> {
            update(md, k);
            update(md, v);
        });
        List<String> names = new ArrayList<>(st.names());
        names.sort(null);
        update(md, names.size());
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (String name : names) {
            update(md, name);
            update(md, st.dtype(name).name());
            int[] shape = st.shape(name);
            update(md, shape.length);
            for (int d : shape) {
                update(md, d);
            }
            if (st.dtype(name) == Safetensors.DType.F32) {
                float[] v = st.tensor(name).data();
                for (int from = 0; from < v.length; from += chunk.capacity() / 4) {
                    int n = Math.min(v.length - from, chunk.capacity() / 4);
                    chunk.clear();
                    chunk.asFloatBuffer().put(v, from, n);
                    md.update(chunk.array(), 0, n * 4);
                }
            } else {
                long[] v = st.longs(name);
                for (int from = 0; from < v.length; from += chunk.capacity() / 8) {
                    int n = Math.min(v.length - from, chunk.capacity() / 8);
                    chunk.clear();
                    chunk.asLongBuffer().put(v, from, n);
                    md.update(chunk.array(), 0, n * 8);
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void update(MessageDigest md, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        update(md, bytes.length);
        md.update(bytes);
    }

    private static void update(MessageDigest md, int n) {
        md.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    }
}
