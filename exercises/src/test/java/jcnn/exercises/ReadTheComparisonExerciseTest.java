package jcnn.exercises;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Exercise 4 has no code: its reference answers quote the comparison report, and every figure they quote (in
 * backticks) must be in the report, so a regenerated report cannot leave the answers behind.
 */
class ReadTheComparisonExerciseTest {

    static final String PAGE = "docs/exercises/4-read-the-comparison.md";
    static final String REPORT = "docs/results/comparison-2026-11-26.md";

    @Test
    void everyFigureTheAnswersQuoteIsInTheReport() throws Exception {
        Path root = StartingPointsTest.root();
        String page = Files.readString(root.resolve(PAGE), StandardCharsets.UTF_8);
        String report = Files.readString(root.resolve(REPORT), StandardCharsets.UTF_8);
        String answers = page.substring(page.indexOf("## Reference answers"));
        Matcher m = Pattern.compile("`([0-9][0-9.e+-]*%?)`").matcher(answers);
        List<String> missing = new ArrayList<>();
        int quoted = 0;
        while (m.find()) {
            quoted++;
            if (!report.contains(m.group(1))) {
                missing.add(m.group(1));
            }
        }
        assertTrue(quoted >= 15, PAGE + " quotes only " + quoted + " figures of the report");
        assertTrue(missing.isEmpty(), PAGE + " quotes figures that " + REPORT + " does not contain: " + missing);
        assertTrue(page.contains("(1 thread), vector side vector-512") && report.contains(
                "scalar side scalar (1 thread), vector side vector-512 (2 threads)"), "the header line the answer to"
                + " question 3 quotes");
    }
}
