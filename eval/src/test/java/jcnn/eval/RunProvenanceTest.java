package jcnn.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import jcnn.training.data.DataLocator;
import org.junit.jupiter.api.Test;

/** The recipe section's provenance: the command as typed, the commit, the version and the data's source. */
class RunProvenanceTest {

    @Test
    void theCommandIsRebuiltAsTheUserTypedIt() {
        assertEquals("mvn -q compile exec:java -Dkernel=vector", RunProvenance.command(
                "org.codehaus.plexus.classworlds.launcher.Launcher -q compile exec:java -Dkernel=vector"));
        assertEquals("java -jar eval/target/jcnn.jar --kernel vector --epochs 5",
                RunProvenance.command("eval/target/jcnn.jar --kernel vector --epochs 5"));
        assertEquals("java jcnn.eval.Main", RunProvenance.command("jcnn.eval.Main"));
        assertTrue(RunProvenance.command("").startsWith("unknown"));
    }

    @Test
    void theCommitVersionAndDataOfThisCheckoutAreFound() {
        Map<String, Object> m = RunProvenance.of(DataLocator.fromSystemProperties());
        assertEquals(java.util.List.of("command", "git commit", "jcnn version", "data"), java.util.List.copyOf(m.keySet()));
        String commit = m.get("git commit").toString();
        // a clone has git; an exported source tree says why it does not know
        assertTrue(commit.matches("[0-9a-f]{40}( \\(uncommitted changes\\))?") || commit.startsWith("unknown ("), commit);
        assertTrue(m.get("jcnn version").toString().matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), m.toString());
        assertTrue(m.get("data").toString().startsWith("Fashion-MNIST, "), m.toString());
        assertTrue(RunProvenance.gitCommit(Path.of("/")).startsWith("unknown ("));
        assertEquals("not recorded", RunProvenance.of(null).get("data"));
    }
}
