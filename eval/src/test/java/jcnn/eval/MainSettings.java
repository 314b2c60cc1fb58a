package jcnn.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Settings for Main in tests: isolated from the user's home and cache, no download, no progress bar. */
final class MainSettings {

    private MainSettings() {
    }

    /** The isolated base settings, then {@code keyValues} as name, value pairs. */
    static Properties of(Path tmp, String... keyValues) {
        Properties p = new Properties();
        p.setProperty("user.dir", System.getProperty("user.dir"));
        p.setProperty("user.home", tmp.toString());
        p.setProperty("jcnn.download", "false");
        p.setProperty("progress", "false");
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    /** As {@link #of}, writing to {@code tmp/run} unless {@code keyValues} name another {@code out}. */
    static Properties inRunFolder(Path tmp, String... keyValues) {
        Properties p = of(tmp, "out", tmp.resolve("run").toString());
        p.putAll(of(tmp, keyValues));
        return p;
    }

    /** The bundled Fashion-MNIST folder, found from the module folder Maven runs tests in. */
    static Path dataDir() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path data = d.resolve("data").resolve("fashion-mnist");
            if (Files.isDirectory(data)) {
                return data;
            }
        }
        throw new IllegalStateException("no data/fashion-mnist above " + Path.of("").toAbsolutePath());
    }

    /** One of the seed study's weight files in the test resources, as an absolute path (for child JVMs). */
    static Path seedWeights(String name) {
        return Path.of("src/test/resources/seed", name).toAbsolutePath();
    }
}
