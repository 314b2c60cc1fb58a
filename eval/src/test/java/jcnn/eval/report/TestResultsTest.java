package jcnn.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jcnn.eval.metrics.ClassificationMetrics;
import jcnn.eval.metrics.ClassificationReport;
import jcnn.eval.metrics.RocAuc;
import jcnn.eval.metrics.ScoreType;
import org.junit.jupiter.api.Test;

class TestResultsTest {

    @Test
    void computeAgreesWithTheMetricsPackage() {
        SyntheticRun run = SyntheticRun.fashion(2_000);
        TestResults t = run.testResults();
        int[] predicted = ClassificationMetrics.argmax(run.logits, 10);
        assertEquals(ClassificationMetrics.accuracy(run.labels, predicted), t.accuracy());
        assertEquals(List.of(1, 2, 3, 5), List.copyOf(t.topKAccuracy().keySet()));
        assertEquals(t.accuracy(), t.topKAccuracy().get(1));
        assertEquals(ClassificationReport.of(run.labels, predicted, 10).format(run.classNames, 2),
                t.classificationReport());
        assertEquals(RocAuc.oneVsRest(run.labels, run.logits, 10).macroAuc(), t.rocOneVsRest().macroAuc());
        assertEquals(RocAuc.oneVsOne(run.labels, run.logits, 10, ScoreType.SOFTMAX).macroAuc(), t.ovoMacroAuc());
        assertEquals(ScoreType.LOGITS, t.rocScores());
        assertEquals(ScoreType.SOFTMAX, t.ovoScores());
        assertTrue(t.meanIou() > 0 && t.meanIou() < 1);
    }

    @Test
    void topKStopsAtTheNumberOfClasses() {
        SyntheticRun run = new SyntheticRun(90, 1, new String[] {"a", "b", "c"});
        assertEquals(List.of(1, 2, 3), List.copyOf(run.testResults().topKAccuracy().keySet()));
    }

    @Test
    void mismatchedClassCountsAreRefused() {
        TestResults t = SyntheticRun.fashion(200).testResults();
        assertThrows(IllegalArgumentException.class, () -> new TestResults(List.of("just one"), t.accuracy(),
                t.topKAccuracy(), t.classificationReport(), t.confusion(), t.iou(), t.rocOneVsRest(), t.rocScores(),
                t.ovoMacroAuc(), t.ovoScores()));
    }
}
