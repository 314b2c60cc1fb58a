package jcnn.eval.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a file so that a reader (or a crash) sees either the old content or the new, never a mix or a stub.
 *
 * <p>How: write the bytes to a temporary file in the target's own folder (a rename is only atomic within one file
 * system), force them to disk, then rename the temporary file over the target. Where the file system cannot rename
 * atomically, fall back to a plain replacing move: still never a truncated target, only no guarantee against a
 * concurrent reader. If anything fails, the temporary file is deleted and the old target is left untouched.
 *
 * <p>Not for: big streams (the content is one byte array) or keeping the old version as a backup.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Writes {@code bytes} to {@code target}, replacing it atomically; creates the parent folders. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // A dot-name with a random part: concurrent writers do not collide, and a listing shows it is not a result.
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                // Without this, a power cut after the rename can leave the new name pointing at empty blocks.
                out.force(true);
            }
            keepOrOpenPermissions(temp, target);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (IOException e) {
            // "No space left on device" alone does not say which of a run's files failed.
            String message = String.valueOf(e.getMessage());
            throw message.contains(target.getFileName().toString()) ? e
                    : new IOException(target + ": cannot write: " + message, e);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Temporary files are created owner-only (rw-------); a report should stay as readable as the file it replaces,
     * or be rw-r--r-- like any other new file. No-op on file systems without POSIX permissions.
     */
    private static void keepOrOpenPermissions(Path temp, Path target) throws IOException {
        if (!Files.getFileStore(temp).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.exists(target)
                ? Files.getPosixFilePermissions(target)
                : PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(temp, permissions);
    }
}
