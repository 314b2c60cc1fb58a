package jcnn.eval;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jcnn.training.data.DataLocator;
import jcnn.training.data.DatasetSpec;

/**
 * Where a run came from, for the recipe section of its report: the command that started it, the git commit of the
 * code, the jcnn version and the data's source, so that a reader can run it again. Each is best effort and says
 * "unknown" with the reason rather than failing a run that is already done.
 */
final class RunProvenance {

    private RunProvenance() {
    }

    /** {@link #of(DataLocator, DatasetSpec)} for Fashion-MNIST. */
    static Map<String, Object> of(DataLocator data) {
        return of(data, DatasetSpec.FASHION_MNIST);
    }

    /** The four entries, in the order the report shows them; {@code data} may be null (not recorded). */
    static Map<String, Object> of(DataLocator data, DatasetSpec dataset) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", command(System.getProperty("sun.java.command", "")));
        m.put("git commit", gitCommit(Path.of("").toAbsolutePath()));
        m.put("jcnn version", version());
        m.put("data", data == null ? "not recorded" : dataSource(data, dataset));
        return m;
    }

    /**
     * The command as the user typed it, rebuilt from the JVM's main class and arguments: Maven's launcher becomes
     * {@code mvn ...}, a jar {@code java -jar ...}, anything else {@code java MainClass ...}.
     */
    static String command(String javaCommand) {
        if (javaCommand.isBlank()) {
            return "unknown (the JVM did not say)";
        }
        String launcher = "org.codehaus.plexus.classworlds.launcher.Launcher";
        if (javaCommand.startsWith(launcher)) {
            return ("mvn" + javaCommand.substring(launcher.length())).strip();
        }
        String first = javaCommand.split(" ", 2)[0];
        return (first.endsWith(".jar") ? "java -jar " : "java ") + javaCommand;
    }

    /** {@code git rev-parse HEAD}, with "(uncommitted changes)" when tracked files differ from it. */
    static String gitCommit(Path dir) {
        try {
            String head = git(dir, "rev-parse", "HEAD");
            if (head == null || !head.matches("[0-9a-f]{40}")) {
                return "unknown (not a git checkout, or no git)";
            }
            String status = git(dir, "status", "--porcelain", "--untracked-files=no");
            return head + (status == null ? "" : status.isBlank() ? "" : " (uncommitted changes)");
        } catch (IOException e) {
            return "unknown (no git: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        }
    }

    private static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.exitValue() == 0 ? out : null;
    }

    /** The Maven version: from the jar's pom.properties, else from the checkout's parent pom.xml. */
    static String version() {
        try (InputStream in = RunProvenance.class.getResourceAsStream(
                "/META-INF/maven/io.github.jcnn/jcnn-eval/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through to the checkout
        }
        Pattern parentVersion = Pattern.compile(
                "<artifactId>jcnn-parent</artifactId>\\s*<version>([^<]+)</version>");
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom)) {
                try {
                    Matcher m = parentVersion.matcher(Files.readString(pom, StandardCharsets.UTF_8));
                    if (m.find()) {
                        return m.group(1);
                    }
                } catch (IOException e) {
                    break;
                }
            }
        }
        return "unknown (neither a jcnn jar nor a checkout)";
    }

    /** Which files of the data set the run read: where they were found, and that their checksums were checked. */
    static String dataSource(DataLocator data, DatasetSpec dataset) {
        String title = dataset.title();
        try {
            DataLocator.Located located = data.locate(dataset, DatasetSpec.Part.TEST);
            String where = switch (located.source()) {
                case DATA_PROPERTY -> "the data setting";
                case BUNDLED -> "bundled with the repository";
                case CACHE -> "the download cache";
                case SYSTEM -> "the system's datasets";
                case DOWNLOADED -> "downloaded";
            };
            boolean pinned = located.files().keySet().stream().allMatch(f -> dataset.checksum(f).isPresent());
            return title + ", " + where + ": " + located.dir() + (pinned
                    ? " (every file checked against its pinned checksum)"
                    : " (extracted files without a published checksum: checked by format only)");
        } catch (IOException | RuntimeException e) {
            return title + " (" + e.getMessage() + ")";
        }
    }
}
