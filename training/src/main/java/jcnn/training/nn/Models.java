package jcnn.training.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The models the main program can train and evaluate, by the name {@code -Dmodel=NAME} gives: {@code seed} (the
 * seed study's CNN, {@link SeedCnn}, the default) and {@code deep} ({@link DeepCnn}). Each takes 28x28 grayscale
 * images and gives 10 logits.
 */
public final class Models {

    /** The default model's name. */
    public static final String DEFAULT = "seed";

    private static final Map<String, Function<RandomGenerator, Sequential>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("seed", SeedCnn::create);
        ALL.put("deep", DeepCnn::create);
    }

    private Models() {
    }

    /** The names, the default first. */
    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    /**
     * A fresh model of that name, initialised from {@code rng}.
     *
     * @throws IllegalArgumentException naming the known models when there is none of that name
     */
    public static Sequential create(String name, RandomGenerator rng) {
        Function<RandomGenerator, Sequential> factory = ALL.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("invalid model=" + name + ": expected one of "
                    + String.join(", ", ALL.keySet()));
        }
        return factory.apply(rng);
    }
}
