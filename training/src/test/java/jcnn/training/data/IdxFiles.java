package jcnn.training.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/** Builds small synthetic IDX files for tests: valid ones, and each way of being broken. */
final class IdxFiles {

    private IdxFiles() {
    }

    /** An images file: header (magic, count, rows, cols) then pixel i = (i * 7 + 3) mod 256. */
    static byte[] images(int count, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
        b.putInt(IdxReader.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < count * rows * cols; i++) {
            b.put((byte) (i * 7 + 3));
        }
        return b.array();
    }

    /** A header only, claiming whatever it is told (for corrupt-header tests). */
    static byte[] imagesHeader(int magic, int count, int rows, int cols) {
        return ByteBuffer.allocate(16).putInt(magic).putInt(count).putInt(rows).putInt(cols).array();
    }

    /** A labels file with the given labels. */
    static byte[] labels(int... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(IdxReader.LABELS_MAGIC).putInt(labels.length);
        for (int label : labels) {
            b.put((byte) label);
        }
        return b.array();
    }

    /** Labels 0..9 repeating, {@code count} of them. */
    static byte[] labelsCycling(int count) {
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 10;
        }
        return labels(labels);
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Files.createDirectories(dir);
        return Files.write(dir.resolve(name), bytes);
    }

    static String sha256(byte[] content) {
        return digest("SHA-256", content);
    }

    static String md5(byte[] content) {
        return digest("MD5", content);
    }

    private static String digest(String algorithm, byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The repository's bundled Fashion-MNIST folder, found from the module folder Maven runs tests in. */
    static Path bundledFashionMnist() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("data").resolve("fashion-mnist");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("data/fashion-mnist not found above " + Path.of("").toAbsolutePath());
    }
}
