package jcnn.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a reader sees it: opened from disk in headless Chromium, it must load without a single console
 * message and show the test accuracy, and its gallery must show images with their labels.
 *
 * <p>Why no console message at all, not just no errors: the page has no scripts, so the only things that can log
 * are failures, and under the page's Content-Security-Policy every attempt to load something from outside (a
 * stylesheet, an image by URL) is blocked and logged. The second test proves the detection works, with a page that
 * logs an error and tries a forbidden load: if Chromium ever changes how it logs, that test fails instead of this
 * one passing blindly.
 *
 * <p>Needs Chromium: skipped where it is missing, failed where it is missing under CI. Set
 * {@code -Dreport.screenshot=/path/shot.png} to keep a screenshot of the page for a look.
 */
class ReportBrowserTest {

    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void theReportLoadsCleanlyAndShowsTheTestAccuracy() throws IOException, InterruptedException {
        HeadlessChromium chromium = HeadlessChromium.require(dir, LIMIT);
        RunReport report = SyntheticRun.report(2_000, 8);
        Path page = HtmlReportWriter.write(report, dir.resolve("run"));

        HeadlessChromium.Result result = chromium.dumpDom(page);

        assertEquals(List.of(), result.consoleMessages(), "console messages while loading the report");
        String accuracy = Html.percent(report.test().accuracy(), 2);
        Matcher shown = Pattern.compile("id=\"test-accuracy\"[^>]*>([^<]*)<").matcher(result.dom());
        assertTrue(shown.find(), "no element with id test-accuracy in the loaded page");
        assertEquals(accuracy, shown.group(1).trim());
        assertTrue(result.dom().contains("<h2>ROC curves</h2>"), "the page loaded as a whole");
        galleryShowsImagesWithTheirLabels(report, result.dom());

        String screenshot = System.getProperty("report.screenshot");
        if (screenshot != null && !screenshot.isBlank()) {
            HeadlessChromium.Result shot = chromium.screenshot(page, Path.of(screenshot), 1400, 4600);
            assertEquals(List.of(), shot.consoleMessages());
        }
    }

    /**
     * The gallery as the browser built it: every tile is a decodable 28x28 image whose alt text and caption name
     * its true class and, for a mistake, the predicted class; the most confused pair comes first.
     */
    private static void galleryShowsImagesWithTheirLabels(RunReport report, String dom) throws IOException {
        assertTrue(dom.contains("<section id=\"gallery\">"), "no gallery section in the loaded page");
        Gallery gallery = report.test().gallery();
        List<String> names = report.test().classNames();
        Matcher tile = Pattern.compile("<figure class=\"sample (right|wrong)\"><img src=\"data:image/png;base64,"
                + "([A-Za-z0-9+/=]+)\"[^>]*alt=\"test image (\\d+): ([^\"]+), predicted ([^\"]+)\"[^>]*>"
                + "<figcaption>(.*?)</figcaption>").matcher(dom);
        int tiles = 0;
        int wrong = 0;
        while (tile.find()) {
            tiles++;
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(
                    new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(tile.group(2))));
            assertTrue(img != null && img.getWidth() == 28 && img.getHeight() == 28, "tile " + tiles
                    + " is not a 28x28 image");
            String trueName = unescape(tile.group(4));
            String predicted = unescape(tile.group(5));
            String caption = unescape(tile.group(6).replaceAll("<[^>]+>", " "));
            assertTrue(names.contains(trueName) && names.contains(predicted), tile.group(0));
            assertTrue(caption.contains(trueName) && caption.contains("p = "), "caption without its label: " + caption);
            if (tile.group(1).equals("wrong")) {
                wrong++;
                assertTrue(!trueName.equals(predicted) && caption.contains("as " + predicted), caption);
            } else {
                assertEquals(trueName, predicted, caption);
            }
        }
        int expectedWrong = gallery.confused().stream().mapToInt(p -> p.samples().size()).sum();
        assertEquals(expectedWrong + gallery.correct().size(), tiles, "gallery tiles in the page");
        assertEquals(expectedWrong, wrong);
        assertTrue(wrong > 0 && gallery.correct().size() == 3 * names.size(), "mistakes and 3 correct per class");
        Gallery.Pair first = gallery.confused().get(0);
        String heading = Html.escape(names.get(first.trueClass())) + " predicted as "
                + Html.escape(names.get(first.predicted()));
        assertTrue(dom.indexOf("<h3>" + heading) > dom.indexOf("<section id=\"gallery\">"), heading);
        for (Gallery.Pair pair : gallery.confused()) {
            assertTrue(pair.count() <= first.count(), "the most confused pair comes first");
        }
    }

    private static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&").replaceAll("\\s+", " ");
    }

    @Test
    void consoleErrorsAndBlockedLoadsAreDetected() throws IOException, InterruptedException {
        HeadlessChromium chromium = HeadlessChromium.require(dir, LIMIT);
        Path page = dir.resolve("broken.html");
        Files.writeString(page, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\""
                + Html.escape(HtmlReportWriter.CONTENT_SECURITY_POLICY) + "\"><title>broken</title></head><body>"
                + "<p id=\"test-accuracy\">1.00%</p><img src=\"elsewhere.png\" alt=\"\">"
                + "<script>console.error('deliberate console error');</script></body></html>\n");

        HeadlessChromium.Result result = chromium.dumpDom(page);

        List<String> messages = result.consoleMessages();
        // The script itself is refused by the policy (no script-src), and the refusal is what gets logged.
        assertTrue(messages.stream().anyMatch(m -> m.contains("Content Security Policy")),
                "a blocked load must appear as a console message; got " + messages + "\n" + result.log());
        assertTrue(messages.stream().anyMatch(m -> m.contains("elsewhere.png")), "blocked image: " + messages);
        assertTrue(result.dom().contains("1.00%"));
    }

    @Test
    void aConsoleErrorFromAScriptIsDetected() throws IOException, InterruptedException {
        HeadlessChromium chromium = HeadlessChromium.require(dir, LIMIT);
        Path page = dir.resolve("error.html");
        Files.writeString(page, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>e</title>"
                + "</head><body><script>console.error('deliberate console error');"
                + "undefinedFunction();</script></body></html>\n");

        List<String> messages = chromium.dumpDom(page).consoleMessages();

        assertTrue(messages.stream().anyMatch(m -> m.contains("deliberate console error")), "got " + messages);
        assertTrue(messages.stream().anyMatch(m -> m.contains("undefinedFunction")), "uncaught error: " + messages);
    }
}
