package jcnn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import jcnn.training.data.Dataset;
import jcnn.training.nn.Sequential;
import org.junit.jupiter.api.Test;

/**
 * Every ingredient of the named recipes is seeded: a run with all of them gives bit-identical weights twice, each
 * ingredient changes the weights (so it is really in the loop), and the default recipe is untouched by their
 * existence (its pinned hashes are in {@link ReproducibilityTest}).
 */
class IngredientsReproducibilityTest {

    private static final Recipe BASE = TinyRuns.recipe("epochs=2", "batch=32", "limit=160");

    private static String train(Recipe r) {
        Dataset.Split split = TinyRuns.split(r);
        Sequential model = TinyRuns.model(r);
        new Trainer(model, r).showProgress(false).fit(split.train(), split.validation());
        return TinyRuns.weightsHash(model);
    }

    @Test
    void allIngredientsTogetherAreBitIdenticalOnARerun() {
        Recipe all = BASE.toBuilder().cropPadding(2).flip(true).labelSmoothing(0.1).ema(0.99)
                .schedule("onecycle").lrScaling("linear").batch(64).build();
        assertEquals(train(all), train(all));
    }

    @Test
    void eachIngredientChangesTheTrainedWeights() {
        String plain = train(BASE);
        assertEquals(ReproducibilityTest.SGD_WEIGHTS_SHA256.length(), plain.length());
        for (Recipe r : new Recipe[] {
                BASE.toBuilder().cropPadding(2).build(),
                BASE.toBuilder().flip(true).build(),
                BASE.toBuilder().labelSmoothing(0.1).build(),
                BASE.toBuilder().schedule("onecycle").build(),
                BASE.toBuilder().lrScaling("linear").build()}) {   // batch 32: lr halved
            assertNotEquals(plain, train(r), r.describe());
        }
    }
}
