package jcnn.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportWriterTest {

    private static RunReport report;
    private static String html;

    @BeforeAll
    static void render() {
        report = SyntheticRun.report(2_000, 6);
        html = HtmlReportWriter.toHtml(report);
    }

    @Test
    void writesThePageAndTheFiguresAndNothingElse(@TempDir Path dir) throws IOException {
        Path runDir = dir.resolve("runs/2026-11-26-101530");
        Path page = HtmlReportWriter.write(report, runDir);
        assertEquals(runDir.resolve("report.html"), page);
        assertEquals(List.of("confusion-matrix.png", "learning-rate-and-time.png", "report.html", "roc-curves.png",
                "training-curves.png"), names(runDir), "no temporary files may be left behind");
        // Writing again over the same run replaces the files and still leaves nothing else.
        HtmlReportWriter.write(report, runDir);
        assertEquals(5, names(runDir).size());

        // The figures in the page are the files beside it, and they decode; the gallery's tiles are only in the page.
        String written = Files.readString(page);
        List<byte[]> embedded = embeddedImages(written);
        Gallery g = report.test().gallery();
        assertEquals(4 + g.correct().size() + g.confused().stream().mapToInt(p -> p.samples().size()).sum(),
                embedded.size());
        for (String file : List.of("training-curves.png", "learning-rate-and-time.png", "confusion-matrix.png",
                "roc-curves.png")) {
            byte[] png = Files.readAllBytes(runDir.resolve(file));
            assertTrue(embedded.stream().anyMatch(e -> Arrays.equals(e, png)), file + " not embedded");
            assertTrue(ImageIO.read(new ByteArrayInputStream(png)) != null, file + " does not decode");
        }
    }

    @Test
    void showsTheTestAccuracyFirstAndBig() {
        String accuracy = Html.percent(report.test().accuracy(), 2);
        assertTrue(html.contains("<div id=\"test-accuracy\" class=\"hero-value\">" + accuracy + "</div>"),
                "accuracy element with " + accuracy);
        assertTrue(html.indexOf("id=\"test-accuracy\"") < html.indexOf("id=\"training\""));
    }

    @Test
    void hasEverySection() {
        for (String id : List.of("summary", "training", "per-class", "confusion", "roc", "extra-1", "extra-2",
                "recipe", "machine")) {
            assertTrue(html.contains("<section id=\"" + id + "\""), "section " + id);
            assertTrue(id.equals("summary") || html.contains("<a href=\"#" + id + "\">"), "contents link to " + id);
        }
        for (String text : List.of("Scalar vs vector kernels", "vector-512", "Intel(R) Xeon(R) Platinum 8375C",
                "Eclipse Adoptium", "weightDecay", "0.0005", "cosine", "Hand &amp; Till", "T-shirt/top",
                "Ankle boot", "macro avg", "learning rate", "max |logit difference| = 3.8e-6")) {
            assertTrue(html.contains(text), "page should contain '" + text + "'");
        }
        // The classification report is shown exactly as scikit-learn prints it.
        assertTrue(html.contains(Html.escape(report.test().classificationReport())));
        assertEquals(6, count(section("training"), "<tr><td>"), "one row per epoch");
        assertEquals(10, count(section("per-class"), "<th scope=\"row\">"), "one row per class");
    }

    @Test
    void isSelfContained() {
        assertFalse(html.contains("<script"), "no scripts");
        assertFalse(html.toLowerCase().contains("http:") || html.toLowerCase().contains("https:"), "no URLs");
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
        while (m.find()) {
            String ref = m.group(1);
            assertTrue(ref.startsWith("data:image/png;base64,") || ref.startsWith("#"), "external reference " + ref);
        }
        assertTrue(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;"));
    }

    @Test
    void tagsAreBalanced() {
        assertBalanced(html);
        assertTrue(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">"));
    }

    @Test
    void escapesEveryTextItShows() {
        String evil = "<b>Tom & \"Jerry\"</b>";
        String[] names = {evil, "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Boot"};
        SyntheticRun run = new SyntheticRun(500, 3, names);
        Map<String, Object> recipe = new LinkedHashMap<>();
        recipe.put("<key>", "</td><script>alert('recipe')</script>");
        RunReport r = new RunReport("Title <i>&</i>", report.created(), recipe,
                new Machine("17", "<vendor>", "os", "cpu & co", 2, "scalar", 0, 1), SyntheticRun.epochs(2),
                run.testResults(), List.of(
                        new ExtraSection.Text("</pre>", "</pre><script>alert(1)</script>"),
                        new ExtraSection.Table("t<", List.of("<th>"), List.of(List.of("<td>&amp;")), "n<o>te")));
        String page = HtmlReportWriter.toHtml(r);

        assertFalse(page.contains(evil));
        assertFalse(page.contains("<script"));
        assertFalse(page.contains("<i>&</i>"));
        assertTrue(page.contains("<title>Title &lt;i&gt;&amp;&lt;/i&gt;</title>"));
        assertTrue(page.contains("&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;"), "class name in the tables");
        assertTrue(page.contains("&lt;/td&gt;&lt;script&gt;alert(&#39;recipe&#39;)&lt;/script&gt;"));
        assertTrue(page.contains("&lt;td&gt;&amp;amp;"), "an entity in the input is shown, not decoded");
        assertTrue(page.contains("cpu &amp; co"));
        assertBalanced(page);
    }

    @Test
    void aRunWithoutTrainingSaysSoAndHasNoTrainingFigure(@TempDir Path dir) throws IOException {
        RunReport r = new RunReport("Seed weights", report.created(), Map.of(), report.machine(), List.of(),
                report.test(), List.of());
        HtmlReportWriter.write(r, dir);
        assertEquals(List.of("confusion-matrix.png", "report.html", "roc-curves.png"), names(dir));
        String page = Files.readString(dir.resolve("report.html"));
        assertTrue(page.contains("trained for no epochs"));
        assertTrue(page.contains("No settings were recorded"));
        assertFalse(page.contains("extra-1"));
        assertBalanced(page);
    }

    @Test
    void aFigureThatCannotBeDrawnIsReportedInThePageInsteadOfLosingTheReport() {
        HtmlReportWriter.Figure failed = HtmlReportWriter.draw("roc-curves.png", () -> {
            throw new IllegalStateException("no fonts <here>");
        }, "alt", "caption");
        assertFalse(failed.drawn());
        List<HtmlReportWriter.Figure> figures = new ArrayList<>(HtmlReportWriter.figures(report));
        figures.replaceAll(f -> f.file().equals("roc-curves.png") ? failed : f);
        String page = HtmlReportWriter.html(report, figures);
        assertTrue(page.contains(
                "This figure could not be drawn: java.lang.IllegalStateException: no fonts &lt;here&gt;"));
        Gallery g = report.test().gallery();
        int tiles = g.correct().size() + g.confused().stream().mapToInt(p -> p.samples().size()).sum();
        // training curves, learning rate and time, confusion matrix, and the gallery's images; not the ROC figure
        assertEquals(3 + tiles, embeddedImages(page).size());
        assertBalanced(page);
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The markup of one section of the page, from its opening tag to its closing tag. */
    private static String section(String id) {
        int from = html.indexOf("<section id=\"" + id + "\"");
        return html.substring(from, html.indexOf("</section>", from));
    }

    private static List<byte[]> embeddedImages(String page) {
        Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(page);
        List<byte[]> images = new ArrayList<>();
        while (m.find()) {
            images.add(Base64.getDecoder().decode(m.group(1)));
        }
        return images;
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static final Set<String> VOID = Set.of("meta", "img", "br", "hr", "link", "input", "wbr", "source");

    /**
     * Every element the writer opens is closed, in order. Not a full HTML5 validator, but it catches the mistakes
     * hand-built markup makes: a forgotten or misplaced closing tag, or text that was not escaped and became a tag.
     */
    static void assertBalanced(String page) {
        String body = page.replaceAll("(?s)<style>.*?</style>", "<style></style>");
        Matcher m = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>").matcher(body);
        Deque<String> open = new ArrayDeque<>();
        while (m.find()) {
            String name = m.group(2).toLowerCase();
            if (VOID.contains(name)) {
                continue;
            }
            if (m.group(1).isEmpty()) {
                open.push(name);
            } else if (open.isEmpty() || !open.pop().equals(name)) {
                fail("unexpected </" + name + "> at offset " + m.start() + ": "
                        + body.substring(Math.max(0, m.start() - 80), m.start() + 10));
            }
        }
        assertTrue(open.isEmpty(), "never closed: " + open);
    }

    /** File names in a folder, sorted; temporary files would show up here as ".report.html.123.tmp". */
    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
