package jcnn.training.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads CIFAR-10's "binary version": batches of fixed-size records, each one label byte followed by the image's
 * channels one after another (for CIFAR-10 1,024 red, then 1,024 green, then 1,024 blue bytes, each plane 32x32
 * row-major). That is already the (channels, rows, cols) layout of a tensor, so a record's pixels are copied as
 * they are.
 *
 * <p>Two sources: the published archive {@value DatasetSpec#CIFAR10_ARCHIVE} itself (read as a stream, nothing is
 * unpacked to disk; its pinned checksum is taken over the very bytes read), or a folder of the extracted
 * {@code .bin} files, which have no published checksum and are checked by format only. Either way a batch must be a
 * whole, non-zero number of records and every label a class of the spec, and {@code batches.meta.txt}, when there,
 * must name the spec's classes; a message names the file (and the archive member) and what was expected. Non-goals:
 * CIFAR-100's two-label records, the Python pickles.
 */
public final class CifarReader {

    /** The archive's member that lists the class names, one a line. */
    public static final String META = "batches.meta.txt";

    private static final System.Logger LOG = System.getLogger(CifarReader.class.getName());

    private CifarReader() {
    }

    /** One batch: {@code labels} unsigned bytes, {@code pixels} (count, channels, rows, cols) unsigned bytes. */
    record Batch(byte[] labels, byte[] pixels) {
    }

    /** Bytes per record of {@code spec}: the label byte and the pixels. */
    public static int recordBytes(DatasetSpec spec) {
        return 1 + spec.channels() * spec.rows() * spec.cols();
    }

    /**
     * Reads the batches named {@code batches} (e.g. {@code data_batch_1.bin} .. {@code data_batch_5.bin}, in that
     * order) out of the archive {@code archive} (a .tar.gz, or an uncompressed .tar), checking {@code expected}
     * over the archive's bytes when it is not null.
     */
    public static Dataset readArchive(Path archive, List<String> batches, DatasetSpec spec, Checksum expected)
            throws IOException {
        String name = IdxReader.nameOf(archive);
        MessageDigest digest = expected != null && expected.covers() == Checksum.Covers.GZIP_FILE
                ? expected.newDigest() : null;
        Map<String, Batch> found = new LinkedHashMap<>();
        List<String> meta = null;
        TreeSet<String> members = new TreeSet<>();
        InputStream raw = Files.newInputStream(archive);
        // The digest sits directly on the file, below the buffer: the gzip decoder pushes bytes back into the
        // buffer, which a digest above it would count twice.
        try (InputStream buffered = new BufferedInputStream(digest == null ? raw : new DigestInputStream(raw, digest),
                1 << 16)) {
            buffered.mark(2);
            boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
            buffered.reset();
            if (digest != null && !gzip) {
                digest = null;
                LOG.log(Level.WARNING, "{0}: stored uncompressed, so its pinned {1} cannot be checked; only its"
                        + " format is validated", name, expected.describe());
            }
            try {
                TarArchiveInputStream tar = new TarArchiveInputStream(gzip ? IdxReader.gunzip(buffered) : buffered);
                for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                    if (!entry.isFile()) {
                        continue;
                    }
                    String member = entry.getName();
                    String file = member.substring(member.lastIndexOf('/') + 1);
                    members.add(file);
                    if (batches.contains(file) && !found.containsKey(file)) {
                        found.put(file, readBatch(tar, name + ": " + member, entry.getSize(), spec));
                    } else if (file.equals(META) && meta == null) {
                        meta = classNames(new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                        checkClassNames(name + ": " + member, meta, spec);
                    }
                }
                if (digest != null) {
                    buffered.transferTo(OutputStream.nullOutputStream());   // the checksum covers every byte
                }
            } catch (DataFileException e) {
                throw e;
            } catch (EOFException e) {
                throw new DataFileException(name + ": truncated " + (gzip ? "gzip data" : "tar archive")
                        + ": the file ends before its last member does (" + Files.size(archive) + " bytes);"
                        + " download or copy it again", "archive", e);
            } catch (IOException e) {
                String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
                throw new DataFileException(name + ": corrupt " + (gzip ? "tar.gz" : "tar") + " archive: " + why,
                        "archive", e);
            }
        }
        if (digest != null) {
            expected.check(name, digest.digest());
        }
        List<Batch> parts = new ArrayList<>();
        for (String batch : batches) {
            Batch b = found.get(batch);
            if (b == null) {
                throw DataFileException.field(name, "member " + batch, "missing (the archive holds " + members
                        + ")", DatasetSpec.CIFAR10_FOLDER + "/" + batch + " (the binary version of "
                        + spec.name() + ")");
            }
            parts.add(b);
        }
        return dataset(parts, spec, name);
    }

    /**
     * Reads extracted batch files, in the order given; {@code meta}, when not null, is a {@value #META} whose
     * class names must be the spec's. No checksum: none is published for the extracted files.
     */
    public static Dataset readFiles(List<Path> files, Path meta, DatasetSpec spec) throws IOException {
        if (meta != null) {
            checkClassNames(IdxReader.nameOf(meta), classNames(Files.readString(meta, StandardCharsets.UTF_8)), spec);
        }
        List<Batch> parts = new ArrayList<>();
        for (Path file : files) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                parts.add(readBatch(in, IdxReader.nameOf(file), Files.size(file), spec));
            }
        }
        return dataset(parts, spec, IdxReader.nameOf(files.get(0)));
    }

    /** Reads one batch of {@code size} bytes from {@code in}, record by record, checking every label. */
    static Batch readBatch(InputStream in, String name, long size, DatasetSpec spec) throws IOException {
        int record = recordBytes(spec);
        String layout = record + "-byte records (1 label byte + " + spec.channels() + "*" + spec.rows() + "*"
                + spec.cols() + " pixel bytes)";
        if (size <= 0 || size % record != 0) {
            throw DataFileException.field(name, "size", size + " bytes", "a whole, non-zero number of " + layout
                    + (size > 0 ? ": " + size / record + " records and " + size % record + " bytes more"
                    + " (truncated, or not a batch of " + spec.name() + ")" : ""));
        }
        if (size > IdxReader.MAX_DATA_BYTES) {
            throw DataFileException.field(name, "size", size + " bytes", "at most " + IdxReader.MAX_DATA_BYTES);
        }
        int count = (int) (size / record);
        int pixelsPerImage = record - 1;
        MemoryBudget.require(size, name + " (" + count + " " + layout + ")", MemoryBudget.MORE_HEAP);
        byte[] labels = new byte[count];
        byte[] pixels = new byte[count * pixelsPerImage];
        for (int i = 0; i < count; i++) {
            int label = in.read();
            int got = label < 0 ? 0 : 1 + in.readNBytes(pixels, i * pixelsPerImage, pixelsPerImage);
            if (got < record) {
                throw DataFileException.field(name, "record " + i, "ends after " + got + " of its " + record
                        + " bytes", "the " + count + " records that its size says (truncated)");
            }
            if (label >= spec.classes()) {
                throw DataFileException.field(name, "label of record " + i, label, "0.." + (spec.classes() - 1));
            }
            labels[i] = (byte) label;
        }
        return new Batch(labels, pixels);
    }

    /** The class names of a {@value #META}: one a line, blank lines (the file ends with some) left out. */
    static List<String> classNames(String text) {
        List<String> names = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            if (!line.isBlank()) {
                names.add(line.trim());
            }
        }
        return names;
    }

    private static void checkClassNames(String name, List<String> names, DatasetSpec spec) throws DataFileException {
        if (!names.equals(spec.classNames())) {
            throw DataFileException.field(name, "class names", names, spec.classNames() + " (" + spec.name() + ")");
        }
    }

    private static Dataset dataset(List<Batch> parts, DatasetSpec spec, String name) {
        int count = 0;
        for (Batch b : parts) {
            count = Math.addExact(count, b.labels.length);
        }
        if (parts.size() == 1) {
            return Dataset.of(parts.get(0).pixels, parts.get(0).labels, spec.channels(), spec.rows(), spec.cols(),
                    name);
        }
        int pixelsPerImage = recordBytes(spec) - 1;
        MemoryBudget.require((long) count * (pixelsPerImage + 1), "the " + count + " images of " + name,
                MemoryBudget.MORE_HEAP);
        byte[] labels = new byte[count];
        byte[] pixels = new byte[Math.multiplyExact(count, pixelsPerImage)];
        int at = 0;
        for (Batch b : parts) {
            System.arraycopy(b.labels, 0, labels, at, b.labels.length);
            System.arraycopy(b.pixels, 0, pixels, at * pixelsPerImage, b.pixels.length);
            at += b.labels.length;
        }
        return Dataset.of(pixels, labels, spec.channels(), spec.rows(), spec.cols(), name);
    }
}
