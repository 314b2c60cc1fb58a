package jcnn.training;

/**
 * Receives a training run's progress: once at the start, after every epoch, once at the end. The main program
 * logs with it; {@link JsonLinesWriter} writes the epochs to a file. Every method has an empty default, so a
 * listener implements only what it needs; a lambda is an epoch listener:
 * <pre>{@code trainer.addListener(m -> System.out.println(m.describe()));}</pre>
 * Listeners run on the training thread, between epochs: a slow one slows training but never disturbs its numbers.
 * A run resumed from a {@link Checkpoint} calls {@code onEpoch} for the checkpoint's epochs first, right after
 * {@code onStart}, so a log written from the listeners holds the whole run. The epoch's checkpoint is written
 * before the listeners hear of it: one that throws stops training but does not cost the epoch.
 */
@FunctionalInterface
public interface TrainingListener {

    /**
     * What a run is about to do.
     *
     * @param recipe           the settings
     * @param optimizer        the optimizer with its settings, {@code Optimizer.toString()}
     * @param kernels          the kernels' name, {@code Kernels.name()}
     * @param threads          the kernels' thread count
     * @param parameters       the model's trainable values
     * @param trainImages      images per training epoch
     * @param validationImages images in the validation set (0 when there is none)
     * @param stepsPerEpoch    optimizer steps per epoch
     */
    record Start(Recipe recipe, String optimizer, String kernels, int threads, long parameters, int trainImages,
                 int validationImages, int stepsPerEpoch) {
    }

    default void onStart(Start start) {
    }

    /** One epoch has finished (and, when it was the best so far, its weights have been kept). */
    void onEpoch(EpochMetrics metrics);

    default void onEnd(History history) {
    }
}
