package jcnn.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Every setting of a training run, read from system properties ({@code -Depochs=15 -Dbatch=64 ...}) with defaults
 * that reach 92% test accuracy on Fashion-MNIST, and validated before anything runs or is written.
 *
 * <p>A bad value gives an {@link IllegalArgumentException} whose one-line message names the setting, the value and
 * what was expected, so the main program can print it and exit without a stack trace.
 */
public record Recipe(
        int epochs,
        int batch,
        double lr,
        String optimizer,
        double momentum,
        boolean nesterov,
        double weightDecay,
        double rho,
        String schedule,
        int warmupEpochs,
        long seed,
        int limit,
        double validationFraction) {

    /** The optimizers {@code -Doptimizer} accepts. */
    public static final List<String> OPTIMIZERS = List.of("sgd", "seed", "sam", "adam", "adamw");

    /** The schedules {@code -Dschedule} accepts. */
    public static final List<String> SCHEDULES = List.of("constant", "step", "cosine");

    /** The property names this record reads. */
    public static final Set<String> KEYS = Set.of("epochs", "batch", "lr", "optimizer", "momentum", "nesterov",
            "weightDecay", "rho", "schedule", "warmup", "seed", "limit", "validation");

    public Recipe {
        require(epochs >= 1, "epochs", epochs, "an integer >= 1");
        require(batch >= 1, "batch", batch, "an integer >= 1");
        require(lr > 0 && Double.isFinite(lr), "lr", lr, "a positive number");
        require(OPTIMIZERS.contains(optimizer), "optimizer", optimizer, "one of " + OPTIMIZERS);
        require(momentum >= 0 && momentum < 1, "momentum", momentum, "a number in [0, 1)");
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weightDecay", weightDecay, "a number >= 0");
        require(rho >= 0 && Double.isFinite(rho), "rho", rho, "a number >= 0");
        require(SCHEDULES.contains(schedule), "schedule", schedule, "one of " + SCHEDULES);
        require(warmupEpochs >= 0 && warmupEpochs < epochs, "warmup", warmupEpochs, "an integer in [0, epochs)");
        require(limit >= 0, "limit", limit, "an integer >= 0 (0 = all images)");
        require(validationFraction >= 0 && validationFraction < 1, "validation", validationFraction,
                "a fraction in [0, 1)");
        require(!nesterov || momentum > 0, "nesterov", nesterov, "momentum > 0 as well");
    }

    /** The default recipe: SGD with Nesterov momentum, cosine schedule, batch 64. */
    public static Recipe defaults() {
        return fromProperties(new Properties());
    }

    /** Reads the recipe from {@code properties}, falling back to the defaults for absent keys. */
    public static Recipe fromProperties(Properties properties) {
        Map<String, String> p = new LinkedHashMap<>();
        for (String key : KEYS) {
            String value = properties.getProperty(key);
            if (value != null) {
                p.put(key, value.trim());
            }
        }
        return new Recipe(
                parseInt(p, "epochs", 15),
                parseInt(p, "batch", 64),
                parseDouble(p, "lr", 0.05),
                p.getOrDefault("optimizer", "sgd").toLowerCase(Locale.ROOT),
                parseDouble(p, "momentum", 0.9),
                parseBoolean(p, "nesterov", true),
                parseDouble(p, "weightDecay", 5e-4),
                parseDouble(p, "rho", 0.05),
                p.getOrDefault("schedule", "cosine").toLowerCase(Locale.ROOT),
                parseInt(p, "warmup", 0),
                parseLong(p, "seed", 20261126L),
                parseInt(p, "limit", 0),
                parseDouble(p, "validation", 0.2));
    }

    /** The settings as ordered name/value pairs, for reports and checkpoints. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", epochs);
        m.put("batch", batch);
        m.put("lr", lr);
        m.put("optimizer", optimizer);
        m.put("momentum", momentum);
        m.put("nesterov", nesterov);
        m.put("weightDecay", weightDecay);
        m.put("rho", rho);
        m.put("schedule", schedule);
        m.put("warmup", warmupEpochs);
        m.put("seed", seed);
        m.put("limit", limit);
        m.put("validation", validationFraction);
        return m;
    }

    /** A copy with another batch size, learning rate and rho: one point of the seed's grid search. */
    public Recipe withGridPoint(int batch, double lr, double rho) {
        return new Recipe(epochs, batch, lr, optimizer, momentum, nesterov, weightDecay, rho, schedule, warmupEpochs,
                seed, limit, validationFraction);
    }

    /** One line: {@code optimizer=sgd lr=0.05 ...}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        asMap().forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(" ", parts);
    }

    private static void require(boolean ok, String key, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("invalid " + key + "=" + value + ": expected " + expected);
        }
    }

    private static int parseInt(Map<String, String> p, String key, int fallback) {
        String v = p.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid " + key + "=" + v + ": expected an integer");
        }
    }

    private static long parseLong(Map<String, String> p, String key, long fallback) {
        String v = p.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid " + key + "=" + v + ": expected an integer");
        }
    }

    private static double parseDouble(Map<String, String> p, String key, double fallback) {
        String v = p.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid " + key + "=" + v + ": expected a number");
        }
    }

    private static boolean parseBoolean(Map<String, String> p, String key, boolean fallback) {
        String v = p.get(key);
        if (v == null) {
            return fallback;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException("invalid " + key + "=" + v + ": expected true or false");
    }
}
