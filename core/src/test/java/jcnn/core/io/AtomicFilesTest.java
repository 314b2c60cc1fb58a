package jcnn.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesANewFileAndCreatesItsFolder() throws IOException {
        Path target = dir.resolve("run-1/report.html");
        AtomicFiles.write(target, bytes("first"));
        assertEquals("first", Files.readString(target));
        assertEquals(List.of("report.html"), names(target.getParent()));
    }

    @Test
    void replacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("report.html");
        AtomicFiles.write(target, bytes("old"));
        AtomicFiles.write(target, bytes("new, and longer than the old content"));
        assertEquals("new, and longer than the old content", Files.readString(target));
        assertEquals(List.of("report.html"), names(dir));
    }

    @Test
    void aFailedMoveLeavesTheTargetAsItWasAndCleansUp() throws IOException {
        // A non-empty directory cannot be replaced by a file: the rename fails after the temporary file is written.
        Path target = dir.resolve("report.html");
        Files.createDirectories(target);
        Files.writeString(target.resolve("keep.txt"), "kept");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, bytes("new")));
        assertEquals("kept", Files.readString(target.resolve("keep.txt")));
        assertEquals(List.of("report.html"), names(dir), "the temporary file must be deleted");
    }

    @Test
    void newFilesAreReadableByOthersAndReplacedFilesKeepTheirPermissions() throws IOException {
        Path target = dir.resolve("fig.png");
        AtomicFiles.write(target, new byte[] {1, 2, 3});
        if (!Files.getFileStore(target).supportsFileAttributeView("posix")) {
            return;   // nothing to check on such a file system
        }
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw----"));
        AtomicFiles.write(target, new byte[] {4, 5});
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(target));
    }

    @Test
    void contentThatFailsLeavesTheTargetAsItWasAndCleansUp() throws IOException {
        Path target = dir.resolve("checkpoint.safetensors");
        AtomicFiles.write(target, bytes("good"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.replace(target, temp -> {
            Files.writeString(temp, "half");
            throw new IOException("disk full");
        }));
        // The error names the file: "No space left on device" alone does not say which of a run's files failed.
        assertEquals(target + ": cannot write: disk full", e.getMessage());
        assertEquals("good", Files.readString(target));
        assertEquals(List.of("checkpoint.safetensors"), names(dir), "the temporary file must be deleted");
    }

    @Test
    void writesEmptyContent() throws IOException {
        Path target = dir.resolve("empty.txt");
        AtomicFiles.write(target, new byte[0]);
        assertTrue(Files.exists(target));
        assertEquals(0, Files.size(target));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** File names in a folder, sorted; temporary files would show up here as ".report.html.123.tmp". */
    static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
