package jcnn.training.optim;

import java.util.List;
import jcnn.core.Tensor;
import jcnn.training.Recipe;

/**
 * Builds the optimizer a {@link Recipe} names, with the recipe's settings. Which settings each one reads:
 * <ul>
 *   <li>{@code sgd}: lr, momentum, nesterov, weightDecay ({@link Sgd}).</li>
 *   <li>{@code seed}: lr and rho only, the seed notebook's optimizer ({@link SeedOptimizer}).</li>
 *   <li>{@code sam}: rho, around an {@link Sgd} built from lr, momentum, nesterov and weightDecay ({@link Sam}).</li>
 *   <li>{@code adam}, {@code adamw}: lr and weightDecay, PyTorch's default betas and eps ({@link Adam},
 *       {@link AdamW}).</li>
 * </ul>
 */
public final class Optimizers {

    private Optimizers() {
    }

    /** The optimizer {@code recipe.optimizer()} names, over {@code params} (a model's {@code parameters()}). */
    public static Optimizer fromRecipe(Recipe recipe, List<Tensor> params) {
        switch (recipe.optimizer()) {
            case "sgd":
                return sgd(recipe, params);
            case "seed":
                return new SeedOptimizer(params, recipe.scaledLr(), recipe.rho());
            case "sam":
                return new Sam(sgd(recipe, params), recipe.rho());
            case "adam":
                return new Adam(params, recipe.scaledLr(), recipe.weightDecay());
            case "adamw":
                return new AdamW(params, recipe.scaledLr(), recipe.weightDecay());
            default:
                // Recipe validates the name, so this is a new name added there and not here.
                throw new IllegalArgumentException("no optimizer for '" + recipe.optimizer() + "'");
        }
    }

    private static Sgd sgd(Recipe r, List<Tensor> params) {
        return new Sgd(params, r.scaledLr(), r.momentum(), r.nesterov(), r.weightDecay());
    }
}
