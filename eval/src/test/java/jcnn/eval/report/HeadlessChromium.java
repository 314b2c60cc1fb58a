package jcnn.eval.report;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Opens a local page in headless Chromium from the command line and reports what the page logged to its console.
 *
 * <p>How console messages are seen: with {@code --enable-logging=stderr}, Chromium writes every console message of
 * the page (console.log/warn/error, uncaught exceptions, Content-Security-Policy violations) to stderr as a line
 * like {@code [pid:tid:time:INFO:CONSOLE:12] "message", source: file:///... (12)}. That needs no DevTools client
 * and no dependency. The format is Chromium's, not a contract, so a test that feeds Chromium a page with a
 * deliberate error keeps this parser honest (see {@code ReportBrowserTest}).
 *
 * <p>Each run gets a fresh profile folder (and config/cache folders) under the caller's temporary folder, so runs do
 * not share state or touch the user's home, and a time limit after which Chromium and its children are killed.
 */
final class HeadlessChromium {

    /** Where Debian's {@code chromium} package puts it; {@code -Dchromium=/path} or CHROMIUM=/path override. */
    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");

    /** Older builds write CONSOLE(12)], newer ones CONSOLE:12]. */
    private static final Pattern CONSOLE = Pattern.compile(":CONSOLE(?:\\(\\d+\\)|:\\d+)?\\]\\s*(.*)$");

    record Result(String dom, List<String> consoleMessages, String log) {
    }

    private final Path executable;
    private final Path workDir;
    private final Duration limit;

    private HeadlessChromium(Path executable, Path workDir, Duration limit) {
        this.executable = executable;
        this.workDir = workDir;
        this.limit = limit;
    }

    /**
     * Chromium, if installed. Where it is not: under CI (the CI variable is set, as CI runners do) the calling test
     * fails, because CI is meant to install it and a silent skip would hide that; elsewhere the test is skipped.
     */
    static HeadlessChromium require(Path workDir, Duration limit) {
        String configured = System.getProperty("chromium", System.getenv("CHROMIUM"));
        List<String> candidates = configured != null && !configured.isBlank() ? List.of(configured) : CANDIDATES;
        for (String candidate : candidates) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p)) {
                return new HeadlessChromium(p, workDir, limit);
            }
        }
        String message = "headless Chromium not found at " + candidates
                + "; install it with 'apt-get install -y chromium' or point -Dchromium=... at it";
        if (System.getenv("CI") != null) {
            fail(message + " (CI is set, so the browser test may not be skipped)");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /** Loads the page, waits until it has loaded, and returns the serialised DOM and the console messages. */
    Result dumpDom(Path page) throws IOException, InterruptedException {
        return run(page, "--dump-dom");
    }

    /** Loads the page in a window of the given size and saves a PNG of it. */
    Result screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        return run(page, "--hide-scrollbars", "--window-size=" + width + "," + height,
                "--screenshot=" + png.toAbsolutePath());
    }

    private Result run(Path page, String... action) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
        List<String> command = new ArrayList<>(List.of(executable.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"));
        command.addAll(List.of(action));
        command.add(page.toAbsolutePath().toUri().toString());

        Path out = profile.resolve("stdout.txt");
        Path err = profile.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(out.toFile())   // files, not pipes: a full pipe would stall Chromium
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> env = builder.environment();
        env.put("HOME", profile.toString());
        env.put("XDG_CONFIG_HOME", profile.resolve("config").toString());
        env.put("XDG_CACHE_HOME", profile.resolve("cache").toString());
        Process process = builder.start();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            fail("Chromium did not finish within " + limit + ": " + command + "\n" + tail(err));
        }
        String log = Files.readString(err, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            fail("Chromium exited with " + process.exitValue() + ": " + command + "\n" + tail(err));
        }
        List<String> console = new ArrayList<>();
        for (String line : log.split("\n")) {
            Matcher m = CONSOLE.matcher(line);
            if (m.find()) {
                console.add(m.group(1));
            }
        }
        return new Result(Files.readString(out, StandardCharsets.UTF_8), console, log);
    }

    private static String tail(Path file) throws IOException {
        String s = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }
}
