package jcnn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jcnn.core.Engine;
import jcnn.core.Tensor;
import jcnn.kernels.KernelProvider;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;
import jcnn.training.optim.Optimizer;
import jcnn.training.optim.Optimizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Atomic saving under fire: a child JVM writes checkpoints of the seed CNN (weights, best weights, momentum
 * buffers: 2.5 MB each) in a loop and is killed with SIGKILL at a random moment, 50 times; after every kill the
 * checkpoint on disk must load, pass its checksum and be one the child completed.
 */
class CheckpointKillTest {

    private static final int KILLS = 50;

    @TempDir
    Path dir;

    @Test
    void aKilledWriterAlwaysLeavesAVerifiableCheckpoint() throws Exception {
        Path file = dir.resolve(Checkpoint.FILE_NAME);
        SplittableRandom rng = new SplittableRandom(20261126);
        int verified = 0, midWrite = 0, lastEpoch = 0;
        long started = System.nanoTime();
        for (int kill = 1; kill <= KILLS; kill++) {
            Process child = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    "-cp", System.getProperty("java.class.path"),
                    Writer.class.getName(), file.toString(), String.valueOf(lastEpoch)))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                // Wait until it has saved once (so every round exercises a replace, not a first write), then
                // let it run on for a random time: the kill lands anywhere in the write-force-rename cycle.
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8));
                String line = out.readLine();
                if (line == null || !line.startsWith("saved ")) {
                    fail("the writer did not start: " + line + ", exit " + child.waitFor());
                }
                Thread.sleep(rng.nextInt(150));
            } finally {
                child.destroyForcibly();   // SIGKILL on Linux: no shutdown hooks, no finally blocks
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not die");
            }
            // The killed writer's temporary file (".checkpoint.safetensors.PID-N.tmp") shows a kill mid-write;
            // the next writer removes it, since its process is gone.
            try (var temps = Files.list(dir)) {
                if (temps.anyMatch(p -> p.getFileName().toString().endsWith(".tmp"))) {
                    midWrite++;
                }
            }
            Checkpoint c = Checkpoint.load(file);   // throws, naming the file and field, if it is broken
            float marker = c.weights().get("fc2.bias").data()[0];
            assertEquals(c.epoch(), marker, "a checkpoint the child completed");
            assertTrue(c.epoch() > lastEpoch, "the child saved at least once this round");
            lastEpoch = c.epoch();
            verified++;
        }
        System.out.printf("checkpoint kill test: %d/%d verified (%d kills during a write, %d checkpoints"
                + " written, %.1f s)%n", verified, KILLS, midWrite, lastEpoch, (System.nanoTime() - started) / 1e9);
        assertEquals(KILLS, verified);
    }

    /**
     * The child: writes checkpoints of the seed CNN to {@code args[0]} forever, numbered from {@code args[1]} + 1;
     * each one's fc2.bias[0] is its number, so the parent can tell which one survived. Prints {@code saved N}
     * after the first.
     */
    public static final class Writer {
        @SuppressWarnings("try")   // the kernels scope is used for its effect
        public static void main(String[] args) throws IOException {
            Path file = Path.of(args[0]);
            int epoch = Integer.parseInt(args[1]);
            Recipe r = Recipe.defaults();
            Sequential model = SeedCnn.create(new SplittableRandom(r.seed()));
            Optimizer sgd = Optimizers.fromRecipe(r, model.parameters());
            model.parameters().forEach(p -> Arrays.fill(p.grad(), 0.01f));
            try (Engine.Scope scalar = Engine.using(KernelProvider.scalar())) {
                sgd.step();                                      // the momentum buffers exist from here on
            }
            List<EpochMetrics> history = new ArrayList<>();
            for (int e = 1; e <= epoch; e++) {
                history.add(metrics(e));
            }
            Tensor marker = model.namedParameters().get("fc2.bias");
            while (true) {
                epoch++;
                history.add(metrics(epoch));
                marker.data()[0] = epoch;
                new Checkpoint(r, epoch, 938, 60_000, 0, model.state(), "Sgd", sgd.state(), epoch, Double.NaN,
                        model.state(), history, 0, "scalar").save(file);
                if (history.size() == 1 || epoch == Integer.parseInt(args[1]) + 1) {
                    System.out.println("saved " + epoch);
                    System.out.flush();
                }
            }
        }

        private static EpochMetrics metrics(int e) {
            return new EpochMetrics(e, Integer.MAX_VALUE, 0.5, 0.8, Double.NaN, Double.NaN, 0.05, 60_000, 10, 11,
                    true);
        }
    }
}
