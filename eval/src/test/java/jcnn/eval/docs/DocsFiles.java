package jcnn.eval.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The teaching guide's files, found from wherever the tests run (Maven runs them in the module folder). */
final class DocsFiles {

    /** Set to true ({@code -Djcnn.docs.update=true}) to rewrite a generated file instead of failing on a stale one. */
    static final String UPDATE_PROPERTY = "jcnn.docs.update";

    private DocsFiles() {
    }

    /** The repository root: the nearest folder at or above the working directory that holds docs/ARCHITECTURE.md. */
    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs").resolve("ARCHITECTURE.md"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no docs/ARCHITECTURE.md at or above " + Path.of("").toAbsolutePath());
    }

    static String read(String relative) throws IOException {
        return Files.readString(root().resolve(relative), StandardCharsets.UTF_8);
    }

    static boolean update() {
        return Boolean.getBoolean(UPDATE_PROPERTY);
    }
}
