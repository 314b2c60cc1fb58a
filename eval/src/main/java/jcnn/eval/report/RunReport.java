package jcnn.eval.report;

import jcnn.training.EpochMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One run, as the report shows it: what was asked for (the recipe), where it ran (the machine), how training went
 * (per-epoch metrics), how the result scores on the test set, and any sections added by the caller.
 *
 * <p>Plain data: building one does no I/O and computes nothing beyond copying, so the main program can assemble it
 * from whatever it has and a test can assemble it from made-up numbers.
 *
 * @param title the page heading, e.g. "Fashion-MNIST CNN, vector-512, 15 epochs"
 * @param created when the run finished (or the report was made); shown in UTC
 * @param recipe the run's settings in the order they should be shown; values are printed with their
 *     {@code toString}, doubles without exponent or trailing zeros
 * @param machine where it ran
 * @param epochs one entry per training epoch, in order; empty when the run only evaluated saved weights
 * @param test the test-set results
 * @param extraSections shown after the built-in sections, in order
 */
public record RunReport(
        String title,
        Instant created,
        Map<String, Object> recipe,
        Machine machine,
        List<EpochMetrics> epochs,
        TestResults test,
        List<ExtraSection> extraSections) {

    public RunReport {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(test, "test");
        // LinkedHashMap keeps the caller's order, and unlike Map.copyOf it does not forget it.
        recipe = Collections.unmodifiableMap(new LinkedHashMap<>(recipe));
        epochs = List.copyOf(epochs);
        extraSections = List.copyOf(extraSections);
    }

    /** This report with one more section at the end: how a later step (the kernel comparison) adds its results. */
    public RunReport withSection(ExtraSection section) {
        List<ExtraSection> more = new ArrayList<>(extraSections);
        more.add(section);
        return new RunReport(title, created, recipe, machine, epochs, test, more);
    }

    /** Total training time over all epochs, in seconds. */
    public double trainingSeconds() {
        return epochs.stream().mapToDouble(EpochMetrics::seconds).sum();
    }
}
