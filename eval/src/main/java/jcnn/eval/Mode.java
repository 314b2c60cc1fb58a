package jcnn.eval;

import java.io.IOException;
import java.io.PrintStream;

/**
 * One thing the main program can do, with the settings that only it uses: train ({@link TrainMode}, also resuming),
 * evaluate given weights ({@link EvaluateMode}), compare the two kernel paths ({@link CompareMode}), or the seed's
 * grid search ({@link GridMode}). {@link Settings#parse} picks exactly one.
 */
sealed interface Mode permits TrainMode, EvaluateMode, CompareMode, GridMode {

    /** Runs, printing to {@code out}; the settings were checked, the run folder is not created yet. */
    void run(Settings settings, PrintStream out) throws IOException;

    /** Whether the mode writes a run folder; one that only prints ({@code grid.list}) claims none. */
    default boolean usesRunFolder() {
        return true;
    }
}
