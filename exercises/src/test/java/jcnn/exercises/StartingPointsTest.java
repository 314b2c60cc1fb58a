package jcnn.exercises;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "A student who deletes the solution sees a test that fails with a helpful message", checked literally: the
 * starting points in docs/exercises/start/ compile, and each exercise's check, run against its starting point
 * instead of the solution, fails with a message that names the exercise's page; a missing class does too.
 */
class StartingPointsTest {

    @TempDir
    Path tmp;

    @Test
    void aMissingSolutionFailsWithThePathOfTheStartingPoint() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Exercise.load(1, LeakyReluExerciseTest.PAGE, "NotWrittenYet"));
        assertTrue(e.getMessage().contains("docs/exercises/start/NotWrittenYet.java")
                && e.getMessage().contains(LeakyReluExerciseTest.PAGE), e.getMessage());
    }

    @Test
    void eachStartingPointCompilesAndFailsItsExerciseWithThePage() throws Exception {
        Path root = root();
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        List<Path> sources;
        try (Stream<Path> s = Files.list(root.resolve("docs/exercises/start"))) {
            sources = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "no system Java compiler: the tests need a JDK, not a JRE");
        StringWriter diagnostics = new StringWriter();
        boolean compiled = javac.getTask(diagnostics, null, null,
                List.of("--release", "17", "--add-modules", "jdk.incubator.vector", "-proc:none",
                        "-cp", System.getProperty("java.class.path"), "-d", classes.toString()),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
                        .getJavaFileObjects(sources.toArray(new Path[0]))).call();
        assertTrue(compiled, "a starting point does not compile:\n" + diagnostics);

        try (StartLoader loader = new StartLoader(classes.toUri().toURL(), getClass().getClassLoader())) {
            expectPointer(1, LeakyReluExerciseTest.PAGE, () -> LeakyReluExerciseTest.check(
                    Exercise.of(1, LeakyReluExerciseTest.PAGE, loader.loadClass("jcnn.exercises.LeakyRelu"))));
            expectPointer(2, VectorLeakyReluExerciseTest.PAGE, () -> VectorLeakyReluExerciseTest.check(
                    Exercise.of(2, VectorLeakyReluExerciseTest.PAGE,
                            loader.loadClass("jcnn.exercises.VectorLeakyRelu"))));
            expectPointer(3, BreakTheModelExerciseTest.PAGE, () -> BreakTheModelExerciseTest.check(
                    Exercise.of(3, BreakTheModelExerciseTest.PAGE, loader.loadClass("jcnn.exercises.BreakTheModel"))));
        }
    }

    interface Check {
        void run() throws Exception;
    }

    private static void expectPointer(int number, String page, Check check) {
        AssertionError e = assertThrows(AssertionError.class, check::run,
                "exercise " + number + "'s starting point passes its test: it gives the answer away");
        String m = e.getMessage();
        assertTrue(m.contains("exercise " + number) && m.contains("not written yet") && m.contains(page), m);
    }

    /** Loads the compiled starting points before the solutions of the same names on the class path. */
    private static final class StartLoader extends URLClassLoader {
        StartLoader(URL dir, ClassLoader parent) {
            super(new URL[] {dir}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && findResource(name.replace('.', '/') + ".class") != null) {
                    c = findClass(name);
                }
                if (c == null) {
                    return super.loadClass(name, resolve);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    /** The repository root: the nearest folder at or above the working directory that holds docs/exercises. */
    static Path root() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs").resolve("exercises"))) {
                return dir;
            }
        }
        throw new IOException("no docs/exercises at or above " + Path.of("").toAbsolutePath());
    }
}
