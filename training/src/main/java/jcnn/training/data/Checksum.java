package jcnn.training.data;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A pinned checksum of a data file, and what exactly it covers.
 *
 * <p>Two kinds exist because the sources publish different things. For Fashion-MNIST we pin the sha256 of the
 * <em>uncompressed</em> IDX content: it holds for the official .gz, for Debian's repackaged copy (same content,
 * different gzip header) and for an uncompressed copy alike. For MNIST and KMNIST the best-known published values
 * are MD5s of the .gz files as served (the ones torchvision pins); those can only check a .gz file byte for byte.
 * MD5 is weak against a forger but fine for catching a truncated or wrong download, which is its job here.
 */
public record Checksum(String algorithm, Covers covers, String hex) {

    /** What bytes the digest is taken over. */
    public enum Covers {
        /** The IDX bytes after gunzip (or the file itself when it is stored uncompressed). */
        CONTENT("of the uncompressed content"),
        /** The .gz file exactly as published; cannot check an uncompressed copy. */
        GZIP_FILE("of the .gz file");

        private final String description;

        Covers(String description) {
            this.description = description;
        }
    }

    public Checksum {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(covers, "covers");
        hex = hex.toLowerCase(Locale.ROOT);
        int expectedLength = newDigest(algorithm).getDigestLength() * 2;
        if (hex.length() != expectedLength || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException(algorithm + " checksum must be " + expectedLength + " hex digits: " + hex);
        }
    }

    public static Checksum sha256OfContent(String hex) {
        return new Checksum("SHA-256", Covers.CONTENT, hex);
    }

    public static Checksum md5OfGzipFile(String hex) {
        return new Checksum("MD5", Covers.GZIP_FILE, hex);
    }

    /** A fresh digest for this checksum's algorithm. */
    public MessageDigest newDigest() {
        return newDigest(algorithm);
    }

    /** Throws naming the file when {@code digest} (a finished digest value) differs from the pinned one. */
    public void check(String file, byte[] digest) throws DataFileException {
        String actual = HexFormat.of().formatHex(digest);
        if (!actual.equals(hex)) {
            throw new DataFileException(file + ": " + describe() + " " + actual + ", expected " + hex
                    + " (corrupt, truncated or not the official file)", describe(), null);
        }
    }

    /** For messages: e.g. "SHA-256 of the uncompressed content". */
    public String describe() {
        return algorithm + " " + covers.description;
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            // SHA-256 and MD5 are required of every Java platform, so this is a broken runtime, not bad input.
            throw new IllegalStateException(e);
        }
    }
}
