package jcnn.training;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A run's ownership of its folder: from {@link #create} or {@link #resume} until {@link #close}, no other run, in
 * this JVM or another, can write there.
 *
 * <p>Why: two runs given the same {@code -Dout} (or two runs started in the same second, which got the same
 * timestamped default name) used to interleave in one folder, both exit 0, and one run's weights, checkpoint and
 * report were lost while metrics.jsonl held a broken line. The emptiness check ran before the folder was created,
 * nothing locked it, and both runs used one temporary-file name.
 *
 * <p>How:
 * <ul>
 *   <li>The folder is created with one {@link Files#createDirectory} call, which fails if the name exists: of two
 *       runs racing for a name, exactly one creates it.</li>
 *   <li>The run then holds an exclusive {@link FileLock} on {@value #LOCK_FILE} inside the folder for its whole
 *       life. The operating system releases it when the process ends, however it ends (kill -9 included), so a
 *       crashed run never leaves a folder locked. A second run fails {@code tryLock} and refuses with one line
 *       naming the folder and the process that holds it.</li>
 *   <li>Default names ({@link #createUnique}) get a suffix {@code -2}, {@code -3}, ... when the timestamp is
 *       taken, instead of sharing the folder.</li>
 *   <li>A folder is accepted for a new run when it holds nothing but a lock file (a run that failed before writing
 *       anything leaves such a folder, and a rerun may use it). A folder this run created and left that empty is
 *       removed again on close.</li>
 * </ul>
 * A file lock is held per JVM: a second claim in the same JVM is refused the same way (Java reports it as an
 * {@link OverlappingFileLockException}).
 *
 * <p>Not a goal: locking against programs that ignore the lock (an editor, {@code rm}), or network file systems
 * whose locks are not reliable.
 */
public final class RunFolder implements AutoCloseable {

    /** The lock file inside every run folder; hidden, so a listing of results does not show it. */
    public static final String LOCK_FILE = ".lock";

    /** How default names are made: {@code runs/20261201-225900}, then {@code -2}, {@code -3}, ... if taken. */
    public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** More same-second runs than this on one machine means something else is wrong. */
    private static final int MAX_SUFFIX = 10_000;

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean created;

    private RunFolder(Path dir, FileChannel channel, FileLock lock, boolean created) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
        this.created = created;
    }

    /**
     * Claims {@code dir} for a new run: creates it (and its parents) if missing, locks it, and refuses a folder
     * that holds anything but a lock file, or that another run holds.
     *
     * @throws RunFolderException naming the folder, when it is in use, not empty or not a folder
     */
    public static RunFolder create(Path dir) throws IOException {
        for (int attempt = 0; ; attempt++) {
            boolean created = makeFolder(dir);
            try {
                RunFolder folder = lock(dir, created);
                if (!isUnused(dir)) {
                    folder.close();
                    throw new RunFolderException(dir, dir + ": it already exists and is not an empty folder"
                            + " (a run never overwrites another run's results)");
                }
                return folder;
            } catch (NoSuchFileException e) {
                // A run that found the folder unused removed it between our mkdir and our lock: try again.
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    /**
     * Claims a new folder named {@code base} or, when that name is taken, the first free one of {@code base-2},
     * {@code base-3}, ...; each attempt creates the folder atomically, so two runs never get the same one.
     */
    public static RunFolder createUnique(Path base) throws IOException {
        Path parent = base.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        for (int n = 1; n <= MAX_SUFFIX; n++) {
            Path dir = n == 1 ? base : base.resolveSibling(base.getFileName() + "-" + n);
            try {
                Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                continue;
            }
            return lock(dir, true);
        }
        throw new RunFolderException(base, base + ": " + MAX_SUFFIX + " folders of that name exist already");
    }

    /** The default run folder's name for a run started at {@code now}: {@code runs/20261201-225900}. */
    public static Path defaultPath(LocalDateTime now) {
        return Path.of("runs", now.format(TIMESTAMP));
    }

    /** Claims an existing run folder to continue the run in it ({@code -Dresume}): it must exist; it is locked. */
    public static RunFolder resume(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new RunFolderException(dir, dir + ": " + (Files.exists(dir) ? "not a folder" : "no such folder"));
        }
        return lock(dir, false);
    }

    /**
     * True when {@code dir} is missing, or a folder with nothing in it but a lock file: a new run may use it. An
     * unreadable folder counts as used.
     */
    public static boolean isUnused(Path dir) {
        if (!Files.exists(dir)) {
            return true;
        }
        try (var entries = Files.list(dir)) {
            return entries.allMatch(p -> p.getFileName().toString().equals(LOCK_FILE));
        } catch (IOException e) {
            return false;
        }
    }

    /** The folder this run owns. */
    public Path dir() {
        return dir;
    }

    /**
     * Releases the folder. If this run created it and wrote nothing into it (it failed before its first file),
     * the folder is removed, so a failed run leaves nothing behind.
     */
    @Override
    public void close() throws IOException {
        try {
            if (created && isUnused(dir)) {
                // Deleted while still locked: a run that opens the lock file now fails its tryLock, and one that
                // comes after the rmdir finds no folder and starts afresh.
                Files.deleteIfExists(dir.resolve(LOCK_FILE));
                try {
                    Files.deleteIfExists(dir);
                } catch (DirectoryNotEmptyException e) {
                    // Another run created its lock file in between: the folder is its now.
                }
            }
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    /** Creates {@code dir} (parents first); true when this call created it, false when it existed. */
    private static boolean makeFolder(Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(dir);
            return true;
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new RunFolderException(dir, dir + ": it exists and is not a folder");
            }
            return false;
        }
    }

    private static RunFolder lock(Path dir, boolean created) throws IOException {
        Path lockFile = dir.resolve(LOCK_FILE);
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;   // this JVM holds it already: another run in the same process
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new RunFolderException(dir, dir + ": another run is using this folder" + holder
                    + "; wait for it to finish or choose another folder");
        }
        try {
            if (!Files.exists(lockFile)) {
                // Locked a file that an unused folder's owner just removed along with the folder.
                throw new NoSuchFileException(lockFile.toString());
            }
            // Who holds it, for the message of a run that is refused: "pid 1234 since 2026-12-01T22:59:00Z".
            byte[] me = ("pid " + ProcessHandle.current().pid() + " since " + Instant.now() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(me), 0);
            return new RunFolder(dir, channel, lock, created);
        } catch (IOException | RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    /** " (pid 1234 since ...)" from the lock file, or "" when it says nothing readable. */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(200);
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
            return text.startsWith("pid ") && text.length() < 100 ? " (" + text + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * A run folder that cannot be claimed; the message is one line that names the folder. An {@link IOException},
     * so a main program that reports I/O failures in one line needs nothing new.
     */
    public static final class RunFolderException extends IOException {
        private static final long serialVersionUID = 1L;

        private final transient Path dir;

        RunFolderException(Path dir, String message) {
            super(message);
            this.dir = dir;
        }

        /** The folder at fault. */
        public Path dir() {
            return dir;
        }
    }
}
