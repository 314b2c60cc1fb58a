package jcnn.core.testing;

import java.util.function.Consumer;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;

/**
 * Runs a property on QuickTheories the one way every module does: a fixed seed, printed with the property's name
 * and the number of cases it ran, so that a failure can be replayed exactly with {@code -Dproperties.seed=N}.
 *
 * <pre>{@code
 * @Test
 * void linear() {
 *     PropertyCheck.forAll(100, linearCases(), c -> GradCheck.check(...));
 * }
 * }</pre>
 *
 * <p>A property is an ordinary JUnit test: one test per property, not one per case. The cases come from one
 * generator (a record of everything the property draws, so its {@code toString} is the case QuickTheories prints);
 * QuickTheories shrinks a failing case by shrinking the random draws it was built from, so composed generators
 * shrink too. On failure the assertion message holds the smallest failing case, the failure it raised (for a
 * gradient check: index, numeric and analytic value, max abs/rel error) and the seed.
 */
public final class PropertyCheck {

    /** The system property that sets the seed of every property in every module: a long, or {@code random}. */
    public static final String SEED_PROPERTY = "properties.seed";

    /**
     * The seed when {@link #SEED_PROPERTY} is not set. Fixed, so that every build tests the same cases and a red
     * build stays red until the code is fixed; set the property to explore other cases.
     */
    public static final long DEFAULT_SEED = 20_251_201L;

    /**
     * Shrink steps after a failure. QuickTheories' default is 100 per case asked, which for a 10,000-case fuzzer
     * whose failure is a 2-second timeout would shrink for weeks; a few hundred steps reach a small case.
     */
    private static final int SHRINK_CYCLES = 500;

    /**
     * Draws allowed per case to satisfy the generator's assumptions (QuickTheories' default is 10); the strictest
     * here, the small CNN's distance from ReLU and pooling kinks, keeps about one draw in ten.
     */
    private static final int GENERATE_ATTEMPTS = 1000;

    private static final long SEED = parseSeed(System.getProperty(SEED_PROPERTY));

    private PropertyCheck() {
    }

    /** The seed this JVM's properties run with. */
    public static long seed() {
        return SEED;
    }

    /** Checks {@code property} on at least {@code tries} distinct cases from {@code cases}; fails with the smallest. */
    public static <T> void forAll(int tries, Gen<T> cases, Consumer<T> property) {
        forAll(tries, SHRINK_CYCLES, cases, property);
    }

    /** As {@link #forAll(int, Gen, Consumer)}, with a bound on the shrink steps after a failure. */
    public static <T> void forAll(int tries, int shrinkCycles, Gen<T> cases, Consumer<T> property) {
        String name = caller();
        int[] runs = new int[1];
        try {
            QuickTheory.qt()
                    .withFixedSeed(SEED)
                    .withExamples(asked(tries))
                    .withShrinkCycles(shrinkCycles)
                    .withGenerateAttempts(GENERATE_ATTEMPTS)
                    .forAll(cases)
                    .checkAssert(c -> {
                        runs[0]++;
                        property.accept(c);
                    });
        } catch (AssertionError e) {
            AssertionError replay = new AssertionError(name + " failed with seed " + SEED + " (replay with -D"
                    + SEED_PROPERTY + "=" + SEED + "): " + e.getMessage());
            replay.setStackTrace(e.getStackTrace());
            throw replay;
        }
        if (runs[0] < tries) {
            throw new AssertionError(name + ": only " + runs[0] + " distinct cases of the " + tries
                    + " required (seed " + SEED + "): the generator draws too few different cases");
        }
        System.out.printf("%s: %d cases passed (at least %d required), seed %d%n", name, runs[0], tries, SEED);
    }

    /**
     * QuickTheories counts a case whose draws it has seen before (its first three cases are the generator's
     * boundaries, which can coincide; later repeats are 32-bit hash collisions) as an example without running it,
     * so a few more are asked for than must run.
     */
    private static int asked(int tries) {
        return tries + tries / 100 + 3;
    }

    static long parseSeed(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_SEED;
        }
        if (value.strip().equals("random")) {
            return System.nanoTime();
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED_PROPERTY + "=" + value
                    + ": expected a whole number (a long) or 'random'", e);
        }
    }

    /** "GradCheckProperties.conv2d": the test method that called forAll. */
    private static String caller() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().equals(PropertyCheck.class.getName()))
                .findFirst()
                .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName())
                .orElse("property"));
    }
}
