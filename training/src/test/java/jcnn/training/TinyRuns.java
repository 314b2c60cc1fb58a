package jcnn.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;
import java.util.SplittableRandom;
import jcnn.core.Tensor;
import jcnn.training.data.DataLocator;
import jcnn.training.data.Dataset;
import jcnn.training.data.DatasetSpec;
import jcnn.training.nn.Module;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;

/** Small real training runs for the reliability tests: the first images of Fashion-MNIST, recipes from text. */
final class TinyRuns {

    private static Dataset fashion;

    private TinyRuns() {
    }

    /** The first 1024 training images of Fashion-MNIST, loaded once per JVM. */
    static synchronized Dataset fashion() {
        if (fashion == null) {
            try {
                fashion = DataLocator.fromSystemProperties().load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TRAIN)
                        .limit(1024);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return fashion;
    }

    /** A recipe from the defaults and {@code key=value} overrides. */
    static Recipe recipe(String... settings) {
        Properties p = new Properties();
        for (String s : settings) {
            String[] kv = s.split("=", 2);
            p.setProperty(kv[0], kv[1]);
        }
        return Recipe.fromProperties(p);
    }

    /** The seed CNN initialised from the recipe's seed. */
    static Sequential model(Recipe r) {
        return SeedCnn.create(new SplittableRandom(r.seed()));
    }

    /** The recipe's split of {@link #fashion()}. */
    static Dataset.Split split(Recipe r) {
        return Trainer.split(fashion(), r);
    }

    /**
     * SHA-256 over every parameter's name and little-endian float bits, in parameter order: one short string that
     * is equal exactly when the weights are bit-identical.
     */
    static String weightsHash(Module model) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        for (var e : model.namedParameters().entrySet()) {
            md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Tensor t = e.getValue();
            ByteBuffer b = ByteBuffer.allocate(t.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(t.data());
            md.update(b.array());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
