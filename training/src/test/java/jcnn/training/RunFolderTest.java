package jcnn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 2: two runs into one folder. File locks are held per process, so the races are run between child
 * JVMs started with this test's class path: each child claims a folder, writes a result file, holds the folder for a
 * moment and prints what happened.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RunFolderTest {

    @TempDir
    Path tmp;

    @Test
    void aSecondProcessOnTheSameFolderIsRefusedInOneLineNamingIt() throws Exception {
        Path dir = tmp.resolve("run");
        Process first = child("create", dir, "3000");
        BufferedReader firstOut = reader(first);
        assertEquals("claimed " + dir, firstOut.readLine());

        Process second = child("create", dir, "0");
        String refusal = output(second);
        assertEquals(3, second.exitValue(), refusal);
        System.out.println("run folder, second run: " + refusal);
        assertTrue(refusal.startsWith(dir + ": another run is using this folder (pid " + first.pid() + " since "),
                refusal);
        assertFalse(refusal.contains("\n"), refusal);
        assertTrue(first.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, first.exitValue());
        assertEquals("written by " + first.pid(), Files.readString(dir.resolve("result.txt")).strip(),
                "the first run's result is whole");

        // After the first run ended its lock is gone, but its results are there: a new run is refused for that.
        Process third = child("create", dir, "0");
        String notEmpty = output(third);
        assertEquals(3, third.exitValue(), notEmpty);
        assertTrue(notEmpty.startsWith(dir + ": it already exists and is not an empty folder"), notEmpty);
    }

    @Test
    void ofEightProcessesStartedTogetherOnOneFolderExactlyOneRuns() throws Exception {
        Path dir = tmp.resolve("race");
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            children.add(child("create", dir, "1500"));
        }
        int claimed = 0, refused = 0;
        String winner = null;
        for (Process p : children) {
            String out = output(p);
            if (p.exitValue() == 0) {
                claimed++;
                winner = String.valueOf(p.pid());
            } else {
                assertEquals(3, p.exitValue(), out);
                assertTrue(out.startsWith(dir + ": "), out);
                refused++;
            }
        }
        System.out.printf("run folder race: %d of 8 claimed, %d refused%n", claimed, refused);
        assertEquals(1, claimed);
        assertEquals("written by " + winner, Files.readString(dir.resolve("result.txt")).strip());
    }

    @Test
    void processesStartedInTheSameSecondGetTheirOwnDefaultFolders() throws Exception {
        Path base = tmp.resolve("runs").resolve("20261201-225900");
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            children.add(child("unique", base, "1000"));
        }
        Set<String> folders = new HashSet<>();
        for (Process p : children) {
            String out = output(p);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.startsWith("claimed " + base), out);
            folders.add(out.substring("claimed ".length()));
        }
        assertEquals(6, folders.size(), folders.toString());
        assertTrue(folders.contains(base.toString()));
        assertTrue(folders.contains(base + "-6"), folders.toString());
        for (String f : folders) {
            assertTrue(Files.readString(Path.of(f).resolve("result.txt")).startsWith("written by "), f);
        }
    }

    @Test
    void aSecondClaimInTheSameJvmIsRefusedToo() throws IOException {
        Path dir = tmp.resolve("same-jvm");
        try (RunFolder first = RunFolder.create(dir)) {
            RunFolder.RunFolderException e = assertThrows(RunFolder.RunFolderException.class,
                    () -> RunFolder.create(dir));
            assertTrue(e.getMessage().startsWith(dir + ": another run is using this folder"), e.getMessage());
            assertThrows(RunFolder.RunFolderException.class, () -> RunFolder.resume(dir));
            Files.writeString(first.dir().resolve("metrics.jsonl"), "{}\n");
        }
        // Released: a resume may take it now, and only one at a time.
        try (RunFolder resumed = RunFolder.resume(dir)) {
            assertThrows(RunFolder.RunFolderException.class, () -> RunFolder.resume(dir));
        }
    }

    @Test
    void aRunThatWroteNothingLeavesNothing() throws IOException {
        Path dir = tmp.resolve("a").resolve("b");
        try (RunFolder folder = RunFolder.create(dir)) {
            assertTrue(Files.isRegularFile(dir.resolve(RunFolder.LOCK_FILE)));
        }
        assertFalse(Files.exists(dir), "an unused folder this run created is removed");

        // A folder the user made, empty or holding only a stale lock file, is accepted and kept.
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(RunFolder.LOCK_FILE), "pid 1 since then\n");
        try (RunFolder folder = RunFolder.create(dir)) {
            assertEquals(dir, folder.dir());
        }
        assertTrue(Files.isDirectory(dir));
    }

    @Test
    void aFileWhereTheFolderShouldBeIsRefusedNamingIt() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        RunFolder.RunFolderException e = assertThrows(RunFolder.RunFolderException.class,
                () -> RunFolder.create(file));
        assertEquals(file + ": it exists and is not a folder", e.getMessage());
        e = assertThrows(RunFolder.RunFolderException.class, () -> RunFolder.resume(tmp.resolve("missing")));
        assertEquals(tmp.resolve("missing") + ": no such folder", e.getMessage());
    }

    // ---------------------------------------------------------------------------------------------------------

    private static Process child(String mode, Path dir, String holdMillis) throws IOException {
        return new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                Claimer.class.getName(), mode, dir.toString(), holdMillis))
                .redirectErrorStream(true).start();
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    private static String output(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child did not exit");
        return out;
    }

    /**
     * The child: claims {@code args[1]} ({@code create}) or a unique folder named after it ({@code unique}), prints
     * {@code claimed DIR}, writes {@code result.txt} in two halves with a pause between (an interleaving writer
     * would show), holds the folder {@code args[2]} ms and exits 0; a refusal prints its message and exits 3.
     */
    public static final class Claimer {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[1]);
            RunFolder folder;
            try {
                folder = args[0].equals("unique") ? RunFolder.createUnique(dir) : RunFolder.create(dir);
            } catch (RunFolder.RunFolderException e) {
                System.out.println(e.getMessage());
                System.exit(3);
                return;
            }
            try (folder) {
                System.out.println("claimed " + folder.dir());
                System.out.flush();
                Path result = folder.dir().resolve("result.txt");
                Files.writeString(result, "written ");
                Thread.sleep(Long.parseLong(args[2]) / 2);
                Files.writeString(result, "written by " + ProcessHandle.current().pid() + "\n");
                Thread.sleep(Long.parseLong(args[2]) / 2);
            }
        }
    }
}
