package jcnn.kernels;

import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The property-test set-up every kernel property shares (QuickTheories, inside ordinary JUnit tests): one fixed
 * seed, printed with each property so that a failure can be replayed, and the generators of awkward sizes.
 *
 * <p>Replay or vary: {@code -Dproperties.seed=N} replaces the seed of every property, here and in every other
 * module (the same name and default as {@code jcnn.core.testing.PropertyCheck}, which kernels, below core, cannot
 * use).
 * A failure prints the shrunk case (a record, so every field is named), the seed, and, from {@link Compare}, the
 * index, expected, actual and the max absolute and relative errors.
 */
final class Theories {

    /**
     * The JUnit tag of the test classes that must run once per vector width (kernels/pom.xml forks a JVM for each
     * and keeps them out of the default run, also when {@code -Dtest=...} names them).
     */
    static final String PER_WIDTH = "per-vector-width";

    /** The system property that overrides the seed. */
    static final String SEED_PROPERTY = "properties.seed";
    /** The seed when {@value #SEED_PROPERTY} is not set. */
    static final long DEFAULT_SEED = 20_251_201L;
    /** The seed of this run. */
    static final long SEED = parseSeed(System.getProperty(SEED_PROPERTY));

    private Theories() {
    }

    /** The default when unset, a fresh seed for {@code random} (printed with each property), else the number. */
    private static long parseSeed(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_SEED;
        }
        if (value.trim().equals("random")) {
            return new java.util.Random().nextLong();
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED_PROPERTY + "=" + value + ": expected an integer or random");
        }
    }

    /** A theory with the run's seed and {@code examples} tries; prints both under the property's name. */
    static QuickTheory qt(String property, int examples) {
        System.out.printf("property %s: %d tries, seed %d (replay with -D%s=%d)%n",
                property, examples, SEED, SEED_PROPERTY, SEED);
        return QuickTheory.qt().withFixedSeed(SEED).withExamples(examples);
    }

    /** Integers in [lo, hi]; QuickTheories skews its draws towards the bounds, which are the edge cases. */
    static Gen<Integer> range(int lo, int hi) {
        return integers().between(lo, hi);
    }

    /** Sizes that stress the edges: 1, primes, just around 4, 16, 48 (one micro-tile at 512 bits), and more. */
    static Gen<Integer> awkwardSize() {
        return Generate.pick(List.of(1, 2, 3, 4, 5, 7, 11, 13, 15, 16, 17, 23, 31, 47, 48, 49, 53, 97))
                .mix(range(1, 150));
    }

    static Gen<Boolean> bools() {
        return booleans().all();
    }

    /** The seed of a case's random data: one long per case, so the shrunk case names the data exactly. */
    static Gen<Long> seeds() {
        return longs().all();
    }
}
