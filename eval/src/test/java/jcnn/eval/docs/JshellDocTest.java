package jcnn.eval.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;
import org.junit.jupiter.api.Test;

/**
 * Runs docs/jshell.md: every {@code jshell>} line of its {@code ```jshell} blocks is evaluated in order by the
 * jdk.jshell API, with the imports of docs/examples/jshell-startup.jsh (what ./jshell.sh starts with), and what
 * JShell shows for it ({@code x ==> value}) must be the lines printed under it on the page. A snippet that does
 * not compile, throws, or shows something else fails the test with its text. Lines starting with {@code |} are
 * JShell's own messages and are not compared. {@code -Djcnn.docs.update=true} writes today's outputs into the page.
 *
 * <p>The snippets run in this JVM ("local" execution), whose class path and {@code --add-modules} are the ones
 * ./jshell.sh gives its remote VM; {@link #theScriptAddsTheModuleToBothJvms} checks the script says so.
 */
class JshellDocTest {

    private static final String DOC = "docs/jshell.md";
    private static final String STARTUP = "docs/examples/jshell-startup.jsh";
    private static final Pattern BLOCK = Pattern.compile("(?s)```jshell\n(.*?)```");
    private static final String PROMPT = "jshell> ";
    private static final String MORE = "   ...> ";

    /** One input of the page and the output it shows. */
    private record Entry(String source, List<String> expected) {
        String text() {
            String[] lines = source.split("\n", -1);
            StringBuilder sb = new StringBuilder(PROMPT).append(lines[0]).append('\n');
            for (int i = 1; i < lines.length; i++) {
                sb.append(MORE).append(lines[i]).append('\n');
            }
            return sb.toString();
        }
    }

    @Test
    void theSnippetsOfThePageRunAndShowWhatThePageSays() throws IOException {
        String doc = DocsFiles.read(DOC);
        Matcher m = BLOCK.matcher(doc);
        StringBuilder updated = new StringBuilder();
        int at = 0;
        int snippets = 0;
        List<String> differences = new ArrayList<>();
        try (JShell js = JShell.builder().executionEngine("local")
                .compilerOptions("--add-modules", "jdk.incubator.vector").build()) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                js.addToClasspath(entry);
            }
            for (String line : DocsFiles.read(STARTUP).split("\n")) {
                if (line.startsWith("import ")) {
                    run(js, line, STARTUP);
                }
            }
            while (m.find()) {
                StringBuilder block = new StringBuilder();
                for (Entry e : parse(m.group(1))) {
                    snippets++;
                    String shown = run(js, e.source(), e.text()).strip();
                    List<String> expected = e.expected().stream().filter(l -> !l.startsWith("|"))
                            .collect(Collectors.toList());
                    String want = String.join("\n", expected);
                    if (!normalise(want).equals(normalise(shown))) {
                        differences.add(DOC + ": the snippet\n" + e.text() + "shows\n" + shown + "\nbut the page says\n"
                                + want);
                    }
                    block.append(e.text());
                    if (!shown.isEmpty()) {
                        block.append(shown).append('\n');
                    }
                }
                updated.append(doc, at, m.start(1)).append(block);
                at = m.end(1);
            }
        }
        updated.append(doc.substring(at));
        assertTrue(snippets >= 8, DOC + " has only " + snippets + " jshell> snippets");
        if (DocsFiles.update()) {
            Files.writeString(DocsFiles.root().resolve(DOC), updated.toString(), StandardCharsets.UTF_8);
        } else if (!differences.isEmpty()) {
            fail(differences.get(0) + "\n(" + differences.size() + " snippet(s) differ; rewrite the outputs with -D"
                    + DocsFiles.UPDATE_PROPERTY + "=true if the new ones are right)");
        }
    }

    @Test
    void theScriptAddsTheModuleToBothJvms() throws IOException {
        String script = DocsFiles.read("jshell.sh");
        assertTrue(script.contains("--add-modules jdk.incubator.vector -R--add-modules=jdk.incubator.vector"), script);
        assertTrue(script.contains(STARTUP), "jshell.sh must start with " + STARTUP);
        assertTrue(DocsFiles.read(DOC).contains("./jshell.sh"), DOC + " must say how to start the session");
    }

    private static List<Entry> parse(String block) {
        List<Entry> entries = new ArrayList<>();
        StringBuilder source = null;
        List<String> expected = null;
        for (String line : block.split("\n")) {
            if (line.startsWith(PROMPT)) {
                if (source != null) {
                    entries.add(new Entry(source.toString(), expected));
                }
                source = new StringBuilder(line.substring(PROMPT.length()));
                expected = new ArrayList<>();
            } else if (line.startsWith(MORE) && source != null && expected.isEmpty()) {
                source.append('\n').append(line.substring(MORE.length()));
            } else if (source != null) {
                expected.add(line);
            } else {
                throw new AssertionError(DOC + ": a ```jshell block must start with '" + PROMPT + "', not: " + line);
            }
        }
        if (source != null) {
            entries.add(new Entry(source.toString(), expected));
        }
        return entries;
    }

    /** Evaluates one input (possibly several snippets) and returns what JShell shows for it. */
    private static String run(JShell js, String input, String where) {
        StringBuilder shown = new StringBuilder();
        String rest = input;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = js.sourceCodeAnalysis().analyzeCompletion(rest);
            if (info.completeness() != SourceCodeAnalysis.Completeness.COMPLETE
                    && info.completeness() != SourceCodeAnalysis.Completeness.COMPLETE_WITH_SEMI
                    && info.completeness() != SourceCodeAnalysis.Completeness.EMPTY) {
                fail(DOC + ": the snippet\n" + where + "is not complete (" + info.completeness() + ")");
            }
            if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                break;
            }
            for (SnippetEvent e : js.eval(info.source())) {
                if (e.causeSnippet() != null) {
                    continue;   // an update of an earlier snippet, not this one's result
                }
                if (e.exception() != null) {
                    fail(DOC + ": the snippet\n" + where + "threw " + e.exception(), e.exception());
                }
                if (e.status() == Snippet.Status.REJECTED) {
                    String diags = js.diagnostics(e.snippet())
                            .map(d -> d.getMessage(null)).collect(Collectors.joining("\n"));
                    fail(DOC + ": the snippet\n" + where + "does not compile:\n" + diags);
                }
                String value = e.value();
                if (value == null || e.snippet().kind() == Snippet.Kind.IMPORT) {
                    continue;
                }
                String name = switch (e.snippet().kind()) {
                    case VAR -> ((VarSnippet) e.snippet()).name();
                    case EXPRESSION -> ((jdk.jshell.ExpressionSnippet) e.snippet()).name();
                    default -> null;
                };
                if (name != null) {
                    shown.append(shown.length() > 0 ? "\n" : "").append(name).append(" ==> ").append(value);
                }
            }
            rest = info.remaining();
        }
        return shown.toString();
    }

    /** Temporary names ($1, $12) depend on how many snippets ran before; the page may show any number. */
    private static String normalise(String s) {
        return s.replaceAll("\\$\\d+ ==> ", "\\$N ==> ").strip();
    }
}
