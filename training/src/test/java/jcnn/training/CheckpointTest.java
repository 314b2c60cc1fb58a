package jcnn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import jcnn.core.Tensor;
import jcnn.core.io.Safetensors;
import jcnn.core.io.SafetensorsException;
import jcnn.core.testing.ScalarEngineExtension;
import jcnn.training.data.Dataset;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;
import jcnn.training.nn.Weights;
import jcnn.training.optim.Optimizer;
import jcnn.training.optim.Optimizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints: a run resumed after an epoch ends bit-identical to an uninterrupted one, whatever the optimizer
 * keeps; a damaged or foreign file fails to load with its name and the field; a checkpoint that does not fit the
 * run is refused before anything changes. (That a killed writer never leaves a broken file: CheckpointKillTest.)
 */
@ExtendWith(ScalarEngineExtension.class)
class CheckpointTest {

    @TempDir
    Path dir;

    /** Trains {@code r} with checkpoints; copies the checkpoint of epoch {@code keep} to {@code copy}. */
    private static Trainer runKeeping(Recipe r, Path file, int keep, Path copy) {
        Dataset.Split split = TinyRuns.split(r);
        Trainer trainer = new Trainer(TinyRuns.model(r), r).showProgress(false).checkpointTo(file);
        trainer.addListener(m -> {
            if (m.epoch() == keep) {
                try {
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        trainer.fit(split.train(), split.validation());
        return trainer;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sgd", "adam", "sam"})
    void resumingAfterAnEpochGivesBitIdenticalWeights(String optimizer) throws IOException {
        // SGD with Nesterov momentum and weight decay, Adam (moments and step count) and SAM over SGD (the state
        // of a wrapped optimizer); the cosine schedule, so the resumed run must also find its place in it.
        Recipe r = TinyRuns.recipe("epochs=3", "batch=32", "limit=160", "optimizer=" + optimizer,
                "lr=" + (optimizer.equals("adam") ? "0.002" : "0.05"));
        Path whole = dir.resolve("whole.safetensors"), afterOne = dir.resolve("after-1.safetensors");
        Trainer uninterrupted = runKeeping(r, whole, 1, afterOne);
        History full = new History(Checkpoint.load(whole).history(), uninterrupted.bestEpoch());

        Checkpoint c = Checkpoint.load(afterOne);
        assertEquals(1, c.epoch());
        assertEquals(4, c.stepsPerEpoch());
        assertEquals(4, c.step());
        assertEquals(r, c.recipe());

        // A model with other initial weights: everything must come from the checkpoint.
        Sequential other = SeedCnn.create(new SplittableRandom(r.seed() + 1));
        Dataset.Split split = TinyRuns.split(r);
        Path resumedFile = dir.resolve("resumed.safetensors");
        Trainer resumed = new Trainer(other, r).showProgress(false).checkpointTo(resumedFile)
                .resume(c, afterOne.toString());
        History h = resumed.fit(split.train(), split.validation());

        String expected = TinyRuns.weightsHash(uninterrupted.model()), actual = TinyRuns.weightsHash(other);
        System.out.printf("resume after epoch 1 of 3 (%s): weights sha256 uninterrupted %s, resumed %s%n",
                optimizer, expected.substring(0, 16), actual.substring(0, 16));
        assertEquals(expected, actual, optimizer + ": the resumed run's weights differ");
        uninterrupted.model().namedParameters().forEach((name, p) ->
                assertArrayEquals(p.data(), other.namedParameters().get(name).data(), name));

        // The same best epoch and best weights, and the same figures for every epoch (timings aside).
        assertEquals(uninterrupted.bestEpoch(), resumed.bestEpoch());
        Map<String, Tensor> bestA = uninterrupted.bestState(), bestB = resumed.bestState();
        bestA.forEach((name, t) -> assertArrayEquals(t.data(), bestB.get(name).data(), "best " + name));
        assertEquals(3, h.epochs().size());
        for (int e = 0; e < 3; e++) {
            EpochMetrics a = full.epochs().get(e), b = h.epochs().get(e);
            assertEquals(a.trainLoss(), b.trainLoss(), "train loss of epoch " + (e + 1));
            assertEquals(a.validationAccuracy(), b.validationAccuracy(), "val acc of epoch " + (e + 1));
            assertEquals(a.learningRate(), b.learningRate(), "lr of epoch " + (e + 1));
            assertEquals(a.best(), b.best());
        }
        // And the two final checkpoints hold the same optimizer state.
        Optimizer.State sa = Checkpoint.load(whole).optimizerState(), sb = Checkpoint.load(resumedFile)
                .optimizerState();
        assertEquals(sa.values(), sb.values());
        assertEquals(sa.arrays().keySet(), sb.arrays().keySet());
        sa.arrays().forEach((k, v) -> assertArrayEquals(v, sb.arrays().get(k), k));
        assertFalse(sa.arrays().isEmpty(), optimizer + " keeps state");
    }

    /** A checkpoint made by hand, without training: epoch 1 of the default recipe with an SGD that stepped once. */
    private static Checkpoint handMade() {
        Recipe r = TinyRuns.recipe("epochs=3", "limit=160");
        Sequential model = TinyRuns.model(r);
        Optimizer sgd = Optimizers.fromRecipe(r, model.parameters());
        model.parameters().forEach(p -> java.util.Arrays.fill(p.grad(), 0.25f));
        sgd.step();
        EpochMetrics m = new EpochMetrics(1, 3, 2.1, 0.3, 2.0, Double.NaN, 0.05, 128, 1.5, 1.7, true);
        return new Checkpoint(r, 1, 4, 128, 32, model.state(), "Sgd", sgd.state(), 1, Double.NaN, model.state(),
                List.of(m), 2, "scalar");
    }

    @Test
    void aCheckpointRoundTripsExactly() throws IOException {
        Checkpoint c = handMade();
        Path file = dir.resolve(Checkpoint.FILE_NAME);
        c.save(file);
        Checkpoint back = Checkpoint.load(file);
        assertEquals(c.recipe(), back.recipe());
        assertEquals(c.history(), back.history());   // NaN included: records compare doubles bit for bit
        assertEquals(c.optimizerState().values(), back.optimizerState().values());
        c.optimizerState().arrays().forEach((k, v) -> assertArrayEquals(v, back.optimizerState().arrays().get(k)));
        c.weights().forEach((k, t) -> {
            assertArrayEquals(t.data(), back.weights().get(k).data());
            assertArrayEquals(t.shape(), back.weights().get(k).shape());
        });
        assertEquals(2, back.skippedBatches());
        assertTrue(Double.isNaN(back.bestAccuracy()));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList(), "no temporary file is left");
        }
        // Any safetensors reader can look inside: the weights are plain tensors with their PyTorch names.
        Safetensors raw = Safetensors.read(file);
        assertTrue(raw.names().contains("weights.fc1.weight"), raw.names().toString());
        assertTrue(raw.names().contains("optimizer.momentum_buffer.0"), raw.names().toString());
        assertEquals("1", raw.metadata().get("epoch"));
        assertEquals(64, raw.metadata().get("sha256").length());
    }

    @Test
    void aFlippedBitFailsTheChecksumNamingTheFile() throws IOException {
        Path file = dir.resolve("damaged.safetensors");
        handMade().save(file);
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int flips = 0;
        SplittableRandom rng = new SplittableRandom(5);
        for (int trial = 0; trial < 20; trial++) {
            byte[] copy = bytes.clone();
            int at = 8 + (int) headerLength + rng.nextInt(bytes.length - 8 - (int) headerLength);
            copy[at] ^= (byte) (1 << rng.nextInt(8));
            Files.write(file, copy);
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> Checkpoint.load(file));
            assertEquals("sha256", e.field(), e.getMessage());
            assertTrue(e.getMessage().startsWith(file + ": sha256: "), e.getMessage());
            flips++;
        }
        System.out.println("checkpoint checksum: " + flips + "/20 single-bit flips in the data detected");

        // A changed metadata value (same length, so the header still parses) fails the checksum too.
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\"skipped_batches\":\"2\"");
        assertTrue(at > 0);
        byte[] copy = bytes.clone();
        copy[at + "\"skipped_batches\":\"".length()] = '7';
        Files.write(file, copy);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Checkpoint.load(file));
        assertEquals("sha256", e.field(), e.getMessage());

        // A truncated file fails in the reader, still naming the file.
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        e = assertThrows(SafetensorsException.class, () -> Checkpoint.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void aWeightsFileOrAMissingFieldIsNamed() throws IOException {
        Path weights = dir.resolve("weights.safetensors");
        Weights.save(TinyRuns.model(TinyRuns.recipe()), weights);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Checkpoint.load(weights));
        assertEquals(weights + ": __metadata__.format: missing", e.getMessage());

        // A well-formed checkpoint without its history (with a correct checksum, so the check is the field's).
        Path file = dir.resolve("partial.safetensors");
        handMade().save(file);
        Safetensors in = Safetensors.read(file);
        Safetensors out = new Safetensors();
        in.names().forEach(n -> out.put(n, in.tensor(n)));
        in.metadata().forEach((k, v) -> {
            if (!k.equals("history") && !k.equals("sha256")) {
                out.putMetadata(k, v);
            }
        });
        out.putMetadata("sha256", Checkpoint.contentHash(out));
        out.write(file);
        e = assertThrows(SafetensorsException.class, () -> Checkpoint.load(file));
        assertEquals(file + ": __metadata__.history: missing", e.getMessage());
    }

    @Test
    void aCheckpointThatDoesNotFitTheRunIsRefusedBeforeAnythingChanges() throws IOException {
        Checkpoint c = handMade();
        Recipe other = TinyRuns.recipe("epochs=4", "limit=160");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(TinyRuns.model(other), other).resume(c, "ckpt"));
        assertEquals("cannot resume from ckpt: the recipe differs: epochs=4 (checkpoint: 3)", e.getMessage());

        Recipe adam = TinyRuns.recipe("epochs=3", "limit=160", "optimizer=adam");
        e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(TinyRuns.model(adam), adam).resume(c, "ckpt"));
        assertTrue(e.getMessage().startsWith("cannot resume from ckpt: the recipe differs: optimizer=adam"),
                e.getMessage());

        // Other data: refused when fit starts, with the model untouched.
        Sequential model = TinyRuns.model(c.recipe());
        String before = TinyRuns.weightsHash(model);
        Trainer t = new Trainer(model, c.recipe()).showProgress(false).resume(c, "ckpt");
        Dataset.Split split = Trainer.split(TinyRuns.fashion().limit(320), c.recipe());
        e = assertThrows(IllegalArgumentException.class, () -> t.fit(split.train(), split.validation()));
        assertTrue(e.getMessage().startsWith("cannot resume from ckpt: it trained on 128 images"), e.getMessage());
        assertEquals(before, TinyRuns.weightsHash(model));
    }
}
