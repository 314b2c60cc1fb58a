package jcnn.training.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Small files in CIFAR-10's binary format, written by the tests: CIFAR-10 itself cannot be downloaded on the
 * machines these tests run on, so the loader is tested on files laid out exactly as the published ones are.
 */
final class CifarFiles {

    /** The channel-major image size and record size of CIFAR-10. */
    static final int PLANE = 32 * 32, PIXELS = 3 * PLANE, RECORD = 1 + PIXELS;

    private CifarFiles() {
    }

    /**
     * The pixel byte of image {@code image} (0-based, counted over the whole part), channel {@code c}, at
     * {@code (y, x)}: red, green and blue follow different patterns, so a mixed-up channel order shows.
     */
    static int pixel(int image, int c, int y, int x) {
        return switch (c) {
            case 0 -> (8 * x + image) & 0xFF;   // red grows left to right
            case 1 -> (8 * y + 3 * image) & 0xFF;   // green top to bottom
            default -> (x * y + 7 * image) & 0xFF;   // blue
        };
    }

    /** A batch of {@code labels.length} records; the images are numbered from {@code first}. */
    static byte[] batch(int first, int... labels) {
        byte[] b = new byte[labels.length * RECORD];
        for (int i = 0; i < labels.length; i++) {
            int at = i * RECORD;
            b[at] = (byte) labels[i];
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        b[at + 1 + c * PLANE + y * 32 + x] = (byte) pixel(first + i, c, y, x);
                    }
                }
            }
        }
        return b;
    }

    /** batches.meta.txt as published: the ten names, one a line, then blank lines. */
    static byte[] meta(List<String> names) {
        return (String.join("\n", names) + "\n\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The members of a small archive: five training batches of two images each (labels 0..9 in order), a test
     * batch of three (labels 3, 1, 4) and the meta file, under cifar-10-batches-bin/ as in the published one.
     */
    static Map<String, byte[]> members() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put(CifarReader.META, meta(DatasetSpec.CIFAR_10.classNames()));
        for (int i = 1; i <= 5; i++) {
            m.put("data_batch_" + i + ".bin", batch(2 * (i - 1), 2 * (i - 1), 2 * (i - 1) + 1));
        }
        m.put("readme.html", "<p>not a batch</p>".getBytes(StandardCharsets.US_ASCII));
        m.put("test_batch.bin", batch(0, 3, 1, 4));
        return m;
    }

    /** A .tar.gz of {@code members}, each under cifar-10-batches-bin/. */
    static byte[] archive(Map<String, byte[]> members) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
                TarArchiveEntry dir = new TarArchiveEntry(DatasetSpec.CIFAR10_FOLDER + "/");
                tar.putArchiveEntry(dir);
                tar.closeArchiveEntry();
                for (Map.Entry<String, byte[]> e : members.entrySet()) {
                    TarArchiveEntry entry = new TarArchiveEntry(DatasetSpec.CIFAR10_FOLDER + "/" + e.getKey());
                    entry.setSize(e.getValue().length);
                    tar.putArchiveEntry(entry);
                    tar.write(e.getValue());
                    tar.closeArchiveEntry();
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** CIFAR-10's spec under the folder name "cifar-synthetic", pinning the MD5 of {@code archive}. */
    static DatasetSpec spec(byte[] archive, java.net.URI base) {
        return DatasetSpec.CIFAR_10.withName("cifar-synthetic").withBaseUri(base)
                .withChecksums(Map.of(DatasetSpec.CIFAR10_ARCHIVE, Checksum.md5OfGzipFile(md5(archive))));
    }
}
