package jcnn.training;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import jcnn.core.io.AtomicFiles;

/**
 * One point of the seed's grid search run on its own ({@code grid.point=K}), as its folder's {@value #FILE_NAME}
 * records it: the point, the run's full recipe and its best validation accuracy. A merge step ({@code grid.merge})
 * reads the eight files, ranks them exactly as the in-process {@link GridSearch} does (by best validation
 * accuracy, the first of equals in grid order, a run that diverged last) and trains the best point.
 *
 * @param index          the point's position in {@link GridSearch#SEED_GRID}
 * @param point          its batch, lr and rho
 * @param recipe         the whole recipe the point trained with
 * @param bestAccuracy   its best validation accuracy; NaN when it diverged before one
 * @param bestEpoch      the epoch of that accuracy; 0 for none
 * @param stopReason     why it stopped early, or null when it ran every epoch
 */
public record GridPointResult(int index, GridSearch.Point point, Recipe recipe, double bestAccuracy, int bestEpoch,
                              String stopReason) {

    /** The file a point's run writes into its folder. */
    public static final String FILE_NAME = "grid-point.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    public GridPointResult {
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(recipe, "recipe");
    }

    /** The record of run {@code history} of point {@code index}. */
    public static GridPointResult of(int index, Recipe recipe, History history) {
        return new GridPointResult(index, GridSearch.SEED_GRID.get(index), recipe, history.bestValidationAccuracy(),
                history.bestEpoch(), history.stopReason());
    }

    /** The in-process search's ranking: best validation accuracy; negative infinity when there is none. */
    public double score() {
        return Double.isNaN(bestAccuracy) ? Double.NEGATIVE_INFINITY : bestAccuracy;
    }

    /** The same line as {@link GridSearch.Run#describe()}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s: best val acc %.4f at epoch %d%s", point, bestAccuracy, bestEpoch,
                stopReason != null ? " (diverged)" : "");
    }

    /** Writes {@value #FILE_NAME} into {@code dir}, atomically. */
    public void write(Path dir) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("batch", point.batch());
        m.put("lr", point.lr());
        m.put("rho", point.rho());
        m.put("bestValidationAccuracy", Double.isNaN(bestAccuracy) ? null : bestAccuracy);   // null: none
        m.put("bestEpoch", bestEpoch);
        m.put("stopReason", stopReason);
        Map<String, String> r = new LinkedHashMap<>();
        recipe.asMap().forEach((k, v) -> r.put(k, String.valueOf(v)));
        m.put("recipe", r);
        AtomicFiles.write(dir.resolve(FILE_NAME), (GSON.toJson(m) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a point's file, checking that it is one of the seed grid's points and that its recipe is valid.
     *
     * @throws IllegalArgumentException naming the file and the field at fault
     */
    public static GridPointResult read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        FileFields f;
        try {
            f = GSON.fromJson(text, FileFields.class);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(file + ": not a grid point file (" + e.getMessage() + ")");
        }
        if (f == null || f.index == null || f.recipe == null || f.bestEpoch == null) {
            throw new IllegalArgumentException(file + ": not a grid point file (index, recipe or bestEpoch missing)");
        }
        int n = GridSearch.SEED_GRID.size();
        if (f.index < 0 || f.index >= n) {
            throw new IllegalArgumentException(file + ": index " + f.index + " is not a point of the seed's grid"
                    + " (0 .. " + (n - 1) + ")");
        }
        Properties p = new Properties();
        f.recipe.forEach(p::setProperty);
        Recipe recipe;
        try {
            recipe = Recipe.fromProperties(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": recipe: " + e.getMessage());
        }
        GridSearch.Point expected = GridSearch.SEED_GRID.get(f.index);
        if (recipe.batch() != expected.batch() || recipe.lr() != expected.lr() || recipe.rho() != expected.rho()) {
            throw new IllegalArgumentException(file + ": point " + f.index + " of the seed's grid is " + expected
                    + " but its recipe has batch=" + recipe.batch() + " lr=" + recipe.lr() + " rho=" + recipe.rho());
        }
        double accuracy = f.bestValidationAccuracy == null ? Double.NaN : f.bestValidationAccuracy;
        return new GridPointResult(f.index, expected, recipe, accuracy, f.bestEpoch, f.stopReason);
    }

    /** The file's fields as Gson reads them; boxed, so that a missing one is null. */
    private static final class FileFields {
        Integer index;
        Double bestValidationAccuracy;
        Integer bestEpoch;
        String stopReason;
        Map<String, String> recipe;
    }
}
