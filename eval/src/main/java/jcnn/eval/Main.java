package jcnn.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import jcnn.training.RunFolder;
import jcnn.training.data.MemoryBudget;

/**
 * The main job: train the seed CNN on Fashion-MNIST (or load given weights), evaluate it on the official test set,
 * print the seed study's report and end with {@code test accuracy: 0.XXXX}.
 *
 * <pre>
 * mvn exec:java -Dkernel=vector                      train with the default recipe, then evaluate
 * mvn exec:java -Dweights=FILE                       evaluate weights (.h5 as saved by the seed, or .safetensors)
 * mvn exec:java -Dgrid=true -Depochs=3               the seed's grid search, then the best point
 * mvn exec:java -Dcompare=true                       the same recipe on scalar and vector kernels, side by side
 * </pre>
 * Every setting is a system property ({@code -Dname=value}, how {@code mvn exec:java} passes them) or a
 * command-line argument ({@code --name value}, how {@code java -jar jcnn.jar} takes them); {@link Setting#ALL}
 * lists them, and {@code --help} prints that list. They are parsed once, into {@link Settings}, which picks
 * the one {@link Mode} to run ({@link TrainMode}, {@link EvaluateMode}, {@link GridMode}, {@link CompareMode}):
 * this class only dispatches. Every value is checked before anything runs or is written: a bad one prints one
 * line and exits with status 2, never a stack trace. Each run writes a folder
 * ({@code runs/<timestamp>/} by default): the weights as safetensors, per-epoch metrics as JSON lines, the report,
 * and the checkpoint of the last finished epoch, from which {@code -Dresume=DIR} continues an interrupted run.
 */
public final class Main {

    private final Properties settings;
    private final List<String> args;
    private final PrintStream out;

    Main(Properties settings, PrintStream out) {
        this(settings, List.of(), out);
    }

    Main(Properties settings, List<String> args, PrintStream out) {
        this.settings = settings;
        this.args = List.copyOf(args);
        this.out = out;
    }

    public static void main(String[] args) {
        String bits = widthArgument(args);
        boolean otherWidth = bits != null && List.of("128", "256", "512").contains(bits)
                && !bits.equals(System.getProperty(VECTOR_BITS, "").trim());
        if ((ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty() || otherWidth)
                && System.getenv(RELAUNCHED) == null) {
            Integer status = relaunch(args, otherWidth ? bits : null);
            if (status != null) {
                System.exit(status);
            }
        }
        try {
            new Main(System.getProperties(), List.of(args), System.out).run();
        } catch (IllegalArgumentException | IOException | UncheckedIOException | TrainingStopped e) {
            // A bad setting, missing data, a corrupt file or a run that stopped on a non-finite number: one line,
            // no stack trace, non-zero exit.
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        } catch (OutOfMemoryError e) {
            // What was estimated beforehand is refused with its figure (MemoryBudget); this is what was not.
            // One line, no stack trace: printing a trace would itself need memory, and it would not help.
            System.err.println("error: out of memory (heap " + MemoryBudget.size(Runtime.getRuntime().maxMemory())
                    + "): " + MemoryBudget.MORE_HEAP + ", or when training lower batch");
            System.exit(2);
        }
    }

    /** The incubator module the vector kernels need; the JVM resolves it only when told to. */
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    /** Set in the environment of a relaunched JVM, so that it never relaunches again. */
    static final String RELAUNCHED = "JCNN_RELAUNCHED";

    /** The one setting a JVM reads when it starts ({@code VectorWidth}), so an argument needs a JVM of its own. */
    static final String VECTOR_BITS = "vector.bits";

    /**
     * The value of a {@code --vector.bits N} argument, or null when there is none or the arguments do not parse
     * (then {@link Settings#parse} says why, in this JVM).
     */
    static String widthArgument(String[] args) {
        try {
            String v = Settings.arguments(List.of(args)).get(VECTOR_BITS);
            return v == null ? null : v.trim();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Runs this program again in a JVM that has the Vector API: the same java, {@code --add-modules
     * jdk.incubator.vector}, the same JVM options and system properties, class path and arguments, with its
     * standard streams; returns its exit status, or null when it could not be started (then this JVM runs the job
     * itself, on the scalar kernels if it must). With {@code bits} (a {@code --vector.bits} argument) the new JVM
     * also gets {@code -Dvector.bits=bits}: the vector width is fixed per JVM when it starts, so an argument that
     * asks for another one is only honoured by a JVM started with it.
     *
     * <p>Why: {@code java -jar jcnn.jar} should not need a flag typed, and a jar's manifest cannot add a module.
     * JDK 17 and 25 read {@code Main-Class}, {@code Class-Path}, {@code Add-Opens}, {@code Add-Exports},
     * {@code Launcher-Agent-Class} (and on 22+ {@code Enable-Native-Access}) from it, but no {@code Add-Modules};
     * an agent's {@code Instrumentation.redefineModule} can only change modules already in the boot layer, and an
     * incubator module is in it only with {@code --add-modules}. So the launcher is the program itself.
     */
    static Integer relaunch(String[] args, String bits) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add(VECTOR_MODULE);
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        if (bits != null) {
            command.add("-D" + VECTOR_BITS + "=" + bits);   // after the JVM's own options: the last -D wins
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put(RELAUNCHED, "1");
        Process child;
        try {
            child = builder.start();
        } catch (IOException e) {
            return null;
        }
        // A signal to this JVM (kill PID, a scheduler's stop) reaches the job too: without this the relaunched
        // JVM went on training alone, an orphan holding the run folder's lock. Ctrl-C signals both anyway.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(child), "jcnn-stop-relaunched"));
        try {
            return child.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(child);
            return 130;
        }
    }

    /** Asks a relaunched JVM to stop (SIGTERM: its own shutdown runs), and gives it 30 s before it is killed. */
    private static void stop(Process child) {
        if (!child.isAlive()) {
            return;
        }
        child.destroy();
        try {
            if (!child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
        }
    }

    /** Runs the job; a bad setting or input throws before the run folder is created. */
    void run() throws IOException {
        Settings parsed = Settings.parse(settings, args);
        if (parsed.help()) {
            out.print(Setting.help());
            return;
        }
        if (!parsed.mode().usesRunFolder()) {
            parsed.mode().run(parsed, out);
            return;
        }
        try (RunFolder folder = parsed.claimRunFolder()) {   // locked until the job ends; an unused one is removed
            parsed.mode().run(parsed.in(folder.dir()), out);
        }
    }

    /** The runnable jar this program runs from; null when it runs from class folders (mvn exec:java, tests). */
    static String runningJar() {
        try {
            Path p = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return p.toString().endsWith(".jar") ? p.toString() : null;
        } catch (java.net.URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
    }

    /** Training stopped on a non-finite loss, gradient or weight; its message names the step and the layer. */
    static final class TrainingStopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TrainingStopped(String message) {
            super(message);
        }
    }
}
