package jcnn.eval.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jcnn.training.nn.SeedCnn;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/autograd.md's graph honest: the committed figure is what the seed CNN's recorded graph gives today,
 * and the order the page quotes is the walk backward makes. A change to the model or to an op that changes the
 * graph fails here with the command that regenerates the figure.
 */
class AutogradFigureTest {

    private static final String SVG = "docs/images/autograd-graph.svg";
    private static final String DOC = "docs/autograd.md";

    @Test
    void theCommittedFigureIsUpToDate() throws IOException {
        String fresh = AutogradFigure.compute().svg();
        Path file = DocsFiles.root().resolve(SVG);
        if (DocsFiles.update()) {
            Files.writeString(file, fresh, StandardCharsets.UTF_8);
        }
        assertTrue(Files.isRegularFile(file), SVG + " is missing");
        assertEquals(fresh, Files.readString(file, StandardCharsets.UTF_8), SVG + " is out of date; regenerate it with"
                + " mvn -B -o -pl eval -am test -Dtest=AutogradFigureTest -Dsurefire.failIfNoSpecifiedTests=false"
                + " -D" + DocsFiles.UPDATE_PROPERTY + "=true");
    }

    @Test
    void theDocumentShowsTheFigureAndQuotesTheRecordedOrder() throws IOException {
        String doc = DocsFiles.read(DOC);
        assertTrue(doc.contains("images/autograd-graph.svg"), DOC + " does not show the figure");
        String order = AutogradFigure.compute().order();
        assertTrue(doc.contains(order), DOC + " no longer quotes the order backward walks; expected:\n" + order);
    }

    /** The walk is the real graph: every parameter of the model once, the batch, and the ops between them. */
    @Test
    void theGraphHoldsEveryParameterTheBatchAndTheLossLast() {
        AutogradFigure f = AutogradFigure.compute();
        List<AutogradFigure.Node> nodes = f.nodes();
        List<String> parameters = nodes.stream().filter(n -> n.kind() == AutogradFigure.Kind.PARAMETER)
                .map(AutogradFigure.Node::label).toList();
        assertEquals(SeedCnn.PARAMETER_NAMES, parameters);
        assertEquals(1, nodes.stream().filter(n -> n.kind() == AutogradFigure.Kind.DATA).count());
        AutogradFigure.Node loss = nodes.get(nodes.size() - 1);
        assertEquals("cross_entropy", loss.label());
        assertEquals("()", loss.tensor().shapeString());
        for (int i = 0; i < nodes.size(); i++) {   // each tensor after all of its inputs
            for (AutogradFigure.Node in : nodes.get(i).inputs()) {
                assertTrue(nodes.indexOf(in) < i, in.label() + " after " + nodes.get(i).label());
            }
        }
        String svg = f.svg();
        for (AutogradFigure.Node n : nodes) {
            assertTrue(svg.contains(n.label()), "the figure lacks " + n.label());
        }
        assertTrue(svg.contains("(" + AutogradFigure.BATCH + ",10)"), "the logits' shape");
    }
}
