package jcnn.training;

import com.google.gson.Gson;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one JSON object per epoch, one per line (the JSON Lines format), flushed at once so that a run that is
 * stopped keeps its log and a plot can follow it live:
 * <pre>
 * {"epoch":1,"epochs":15,"train_loss":0.512,"train_accuracy":0.81,"val_loss":0.401,"val_accuracy":0.853,
 *  "lr":0.0495,"seconds":21.4,"train_seconds":19.8,"images_per_second":2424.2,"best":true,
 *  "optimizer":"SGD(...)","kernels":"scalar","threads":1}
 * </pre>
 * Numbers that are not finite (the validation figures without a validation set, the loss of a diverged run) are
 * written as {@code null}, since JSON has no NaN. The run's constant facts, from {@link #onStart}, are repeated on
 * every line so that each line stands alone.
 */
public final class JsonLinesWriter implements TrainingListener, AutoCloseable {

    private static final Gson GSON = new Gson();

    private final Path file;   // null: writing to a given Writer
    private final String name;
    private Writer out;        // opened at the first epoch when writing to a file
    private Start start;

    /** Writes to {@code out}; closing this writer closes it. */
    public JsonLinesWriter(Writer out) {
        this.out = out;
        this.file = null;
        this.name = "the epoch log";
    }

    private JsonLinesWriter(Path file) {
        this.file = file;
        this.name = file.toString();
    }

    /**
     * Writes to {@code file}, which is created (or truncated), with its parent folders, when the first epoch
     * arrives: a run that fails before finishing an epoch leaves no empty log behind, so its folder stays empty
     * and a rerun or resume is not refused because of it.
     */
    public static JsonLinesWriter create(Path file) {
        return new JsonLinesWriter(file);
    }

    private Writer out() throws IOException {
        if (out == null) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        }
        return out;
    }

    @Override
    public void onStart(Start start) {
        this.start = start;
    }

    @Override
    public void onEpoch(EpochMetrics m) {
        JsonObject o = new JsonObject();
        o.addProperty("epoch", m.epoch());
        o.addProperty("epochs", m.epochs());
        put(o, "train_loss", m.trainLoss());
        put(o, "train_accuracy", m.trainAccuracy());
        put(o, "val_loss", m.validationLoss());
        put(o, "val_accuracy", m.validationAccuracy());
        put(o, "lr", m.learningRate());
        put(o, "seconds", m.seconds());
        put(o, "train_seconds", m.trainSeconds());
        put(o, "images_per_second", m.imagesPerSecond());
        o.addProperty("best", m.best());
        if (start != null) {
            o.addProperty("optimizer", start.optimizer());
            o.addProperty("kernels", start.kernels());
            o.addProperty("threads", start.threads());
            o.addProperty("batch", start.recipe().batch());
            o.addProperty("seed", start.recipe().seed());
        }
        try {
            Writer w = out();
            w.write(GSON.toJson(o));
            w.write('\n');
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + name + ": " + e.getMessage(), e);
        }
    }

    private static void put(JsonObject o, String key, double value) {
        o.add(key, Double.isFinite(value) ? new JsonPrimitive(value) : JsonNull.INSTANCE);
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
