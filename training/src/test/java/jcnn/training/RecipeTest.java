package jcnn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The named recipes, the builder, overrides and the batch-scaled learning rate. */
class RecipeTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void theBuilderHoldsTheMainJobsDefaults() {
        Recipe r = Recipe.builder().build();
        assertEquals(Recipe.fromProperties(new Properties()), r);
        assertEquals(Recipe.defaults(), r);
        // The values the main job has always had: the default recipe must not move (its pinned hashes depend on it).
        assertEquals("recipe=default epochs=15 batch=64 lr=0.05 optimizer=sgd momentum=0.9 nesterov=true"
                + " weightDecay=5.0E-4 rho=0.05 schedule=cosine warmup=0 seed=20261126 limit=0 validation=0.2 crop=0"
                + " flip=false labelSmoothing=0.0 ema=0.0 lrScaling=none tta=false", r.describe());
        assertEquals(r.lr(), r.scaledLr());
        assertTrue(r.overrides().isEmpty());
    }

    @Test
    void theBuilderSetsByNameAndValidates() {
        Recipe r = Recipe.builder().epochs(5).batch(128).lr(0.1).seed(7).build();
        assertEquals(5, r.epochs());
        assertEquals(128, r.batch());
        assertEquals(Map.of("epochs", 5, "batch", 128, "lr", 0.1, "seed", 7L), r.overrides());
        assertEquals(r, r.toBuilder().build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recipe.builder().epochs(0).build());
        assertEquals("invalid epochs=0: expected an integer >= 1", e.getMessage());
    }

    @Test
    void theSeedRecipeIsTheStudysOptimizer() {
        // SEED.md: the notebook's "SAM" with lr 0.01, rho 0.001, batch 32, 100 epochs, no schedule.
        Recipe seed = Recipe.named("seed");
        assertEquals("seed", seed.optimizer());
        assertEquals(0.01, seed.lr());
        assertEquals(0.001, seed.rho());
        assertEquals(32, seed.batch());
        assertEquals(100, seed.epochs());
        assertEquals("constant", seed.schedule());
        assertEquals(0.2, seed.validationFraction());
        assertEquals(0.01, seed.scaledLr());
        assertFalse(seed.flip() || seed.cropPadding() > 0 || seed.ema() > 0 || seed.labelSmoothing() > 0);
    }

    @Test
    void theDeepRecipeIsTheDefaultsLongerWithFlipsOnEveryTrainingImageAndMirroredTests() {
        // docs/recipes.md: chosen on validation accuracy for model=deep, then trained on every training image; the
        // test classifies each image and its mirror image.
        Recipe deep = Recipe.named("deep");
        assertEquals("deep", deep.name());
        assertEquals(Recipe.defaults().toBuilder().name("deep").epochs(50).flip(true).validationFraction(0)
                .tta(true).build(), deep);
        assertEquals("deep", Recipe.modelFor("deep"));
        assertEquals("deep", Recipe.modelFor(" Deep "));
        for (String other : List.of("default", "fast", "best", "seed", "quick")) {
            assertEquals("seed", Recipe.modelFor(other), other);
        }
        String deepLine = "deep     default with epochs=50 validation=0.0 flip=true tta=true (model=deep)";
        assertTrue(Recipe.namedRecipesText().contains(deepLine), Recipe.namedRecipesText());
    }

    @Test
    void settingsOverrideTheNamedRecipeAndTheOverridesAreListed() {
        Recipe fast = Recipe.fromProperties(props("recipe", "fast"));
        assertEquals(Recipe.named("fast"), fast);
        assertTrue(fast.overrides().isEmpty());
        Recipe changed = Recipe.fromProperties(props("recipe", "best", "epochs", "2", "crop", "2"));
        assertEquals("best", changed.name());
        assertEquals(2, changed.epochs());
        assertEquals(Recipe.named("best").ema(), changed.ema());
        assertEquals(List.of("epochs", "crop"), List.copyOf(changed.overrides().keySet()));
        assertTrue(changed.describe().endsWith("(recipe best with epochs=2 crop=2)"), changed.describe());
        assertEquals("invalid recipe=quick: expected one of [default, fast, best, seed, deep]",
                assertThrows(IllegalArgumentException.class,
                        () -> Recipe.fromProperties(props("recipe", "quick"))).getMessage());
    }

    @Test
    void largerBatchesScaleTheLearningRate() {
        Recipe linear = Recipe.builder().lr(0.05).batch(256).lrScaling("linear").build();
        assertEquals(0.2, linear.scaledLr(), 1e-15);
        Recipe sqrt = linear.toBuilder().lrScaling("sqrt").build();
        assertEquals(0.1, sqrt.scaledLr(), 1e-15);
        Recipe none = linear.toBuilder().lrScaling("none").build();
        assertEquals(0.05, none.scaledLr());
        assertEquals(0.05, Recipe.builder().lr(0.05).batch(64).lrScaling("linear").build().scaledLr());
        // The optimizer starts at the scaled rate.
        assertEquals(0.2, jcnn.training.optim.Optimizers.fromRecipe(linear,
                List.of(jcnn.core.Tensor.zeros(2).requiresGrad(true))).learningRate(), 1e-15);
    }

    @Test
    void everyNamedRecipeIsValidAndRoundTripsThroughProperties() {
        for (String name : Recipe.NAMES) {
            Recipe r = Recipe.named(name);
            Properties p = new Properties();
            r.asMap().forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
            assertEquals(r, Recipe.fromProperties(p), name);
            assertEquals(Recipe.KEYS, r.asMap().keySet(), name);
        }
        assertTrue(Recipe.namedRecipesText().contains("seed     default with epochs=100 batch=32 lr=0.01"));
    }

    @Test
    void fastAndBestHaveTheValuesDocsRecipesMdMeasured() {
        // docs/recipes.md and the README's recipe table give these values and the runs behind them: a change here
        // needs new runs there.
        Recipe fast = Recipe.named("fast");
        assertEquals(List.of(4, 64, "onecycle", "linear"),
                List.of(fast.epochs(), fast.batch(), fast.schedule(), fast.lrScaling()));
        assertEquals(0.1, fast.scaledLr(), 1e-15);
        assertEquals(0.1, fast.labelSmoothing());
        assertFalse(fast.flip() || fast.cropPadding() > 0 || fast.ema() > 0);
        Recipe best = Recipe.named("best");
        assertEquals(List.of(20, 128, "onecycle", "linear"),
                List.of(best.epochs(), best.batch(), best.schedule(), best.lrScaling()));
        assertEquals(0.1, best.scaledLr(), 1e-15);
        assertEquals(0.1, best.labelSmoothing());
        assertEquals(0.998, best.ema());
        assertTrue(best.flip());
        assertEquals(0, best.cropPadding());
    }

    @Test
    void onecycleWarmsUpItselfSoItRefusesAWarmup() {
        assertEquals("invalid warmup=1: expected 0 with schedule=onecycle (it warms up itself)",
                assertThrows(IllegalArgumentException.class,
                        () -> Recipe.builder().schedule("onecycle").warmupEpochs(1).build()).getMessage());
    }
}
