package jcnn.core.io;

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
 * The one way jcnn replaces a file (weights, checkpoints, reports, downloads): a reader, or a crash, sees either
 * the old content or the new, never a mix or a stub.
 *
 * <p>The policy, in full:
 * <ol>
 *   <li>The new content goes to a temporary file in the target's own folder (a rename is only atomic within one
 *       file system), named {@code .NAME.RANDOM.tmp}: a dot-name, so a listing shows it is not a result, with a
 *       random part, so two writers of the same target never write into each other's temporary file.</li>
 *   <li>It is forced to disk, given the target's permissions (or {@code rw-r--r--} for a new file: temporary
 *       files are created owner-only), and renamed over the target; then the folder is forced too where the
 *       platform allows it, so that after a power cut the name points at the old bytes or the new ones.</li>
 *   <li>Where the file system cannot rename atomically, a plain replacing move is used: still never a truncated
 *       target, only no guarantee against a concurrent reader.</li>
 *   <li>If anything fails, the temporary file is deleted, the target is left as it was, and the error names the
 *       target (a full disk's "No space left on device" alone does not say which file failed). A process killed in
 *       the middle can leave its temporary file behind (nothing runs after SIGKILL); the target is whole.</li>
 * </ol>
 * Non-goals: keeping the old version as a backup, locking against concurrent writers (the last rename wins).
 */
public final class AtomicFiles {

    /** Writes the new content into a fresh, empty temporary file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path temp) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Writes {@code bytes} to {@code target}, replacing it atomically; creates the parent folders. */
    public static void write(Path target, byte[] bytes) throws IOException {
        replace(target, temp -> {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
        });
    }

    /**
     * Replaces {@code target} with what {@code content} writes into a temporary file, by the policy above;
     * creates the parent folders. When {@code content} throws, the target is left as it was.
     */
    public static void replace(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            content.writeTo(temp);
            // Without this, a power cut after the rename can leave the new name pointing at unwritten blocks.
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            keepOrOpenPermissions(temp, target);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            forceFolder(dir);
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
     * Temporary files are created owner-only (rw-------); the new file should stay as readable as the file it
     * replaces, or be rw-r--r-- like any other new file. No-op on file systems without POSIX permissions.
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

    /**
     * Forces a folder's entries (the rename just made) to disk. Linux and macOS allow opening a folder for reading
     * and forcing it; where that fails (Windows), the rename is still atomic, only its durability is the OS's.
     */
    private static void forceFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not supported here: see above.
        }
    }
}
