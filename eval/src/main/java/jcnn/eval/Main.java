package jcnn.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The main job: train the seed CNN on Fashion-MNIST (or load given weights), evaluate it on the official test set,
 * print the seed study's report and end with {@code test accuracy: 0.XXXX}.
 *
 * <pre>
 * mvn exec:java -Dkernel=vector                      train with the default recipe, then evaluate
 * mvn exec:java -Dweights=FILE                       evaluate weights (.h5 as saved by the seed, or .safetensors)
 * mvn exec:java -Dgrid=true -Depochs=3               the seed's grid search, then the best point
 * mvn exec:java -Dcompare=true                       the same recipe on scalar and vector kernels, side by side
 * </pre>
 * Every setting is a system property; see {@link #USAGE}. They are parsed once, into {@link Settings}, which picks
 * the one {@link Mode} to run ({@link TrainMode}, {@link EvaluateMode}, {@link GridMode}, {@link CompareMode}):
 * this class only dispatches. Every value is checked before anything runs or is written: a bad one prints one
 * line and exits with status 2, never a stack trace. Each run writes a folder
 * ({@code runs/<timestamp>/} by default): the weights as safetensors, per-epoch metrics as JSON lines, the report,
 * and the checkpoint of the last finished epoch, from which {@code -Dresume=DIR} continues an interrupted run.
 */
public final class Main {

    static final String USAGE = String.join("\n",
            "settings (-Dname=value):",
            "  kernel=scalar|vector  vector.bits=0|128|256|512  threads=N",
            "  epochs  batch  lr  optimizer=sgd|seed|sam|adam|adamw  momentum  nesterov  weightDecay  rho",
            "  schedule=constant|step|cosine  warmup  seed  limit (first N training images)  validation (fraction)",
            "  data=DIR  out=DIR  weights=FILE (.h5 or .safetensors: evaluate instead of training)  grid=true",
            "  compare=true (the recipe on scalar and vector kernels, side by side)  testLimit (first N test images)",
            "  resume=DIR (continue the run in DIR from its checkpoint)  nanPolicy=stop|skip (non-finite loss or"
                    + " gradient)");

    private final Properties settings;
    private final PrintStream out;

    Main(Properties settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public static void main(String[] args) {
        try {
            new Main(System.getProperties(), System.out).run();
        } catch (IllegalArgumentException | IOException | UncheckedIOException | TrainingStopped e) {
            // A bad setting, missing data, a corrupt file or a run that stopped on a non-finite number: one line,
            // no stack trace, non-zero exit.
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Runs the job; a bad setting or input throws before the run folder is created. */
    void run() throws IOException {
        Settings parsed = Settings.parse(settings);
        if (parsed.help()) {
            out.println(USAGE);
            return;
        }
        parsed.mode().run(parsed, out);
    }

    /** Training stopped on a non-finite loss, gradient or weight; its message names the step and the layer. */
    static final class TrainingStopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TrainingStopped(String message) {
            super(message);
        }
    }
}
