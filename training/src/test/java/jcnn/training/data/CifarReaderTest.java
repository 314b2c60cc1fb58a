package jcnn.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import jcnn.training.nn.SeedCnn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CIFAR-10's binary format on small files written here in that format (the real archive cannot be downloaded on
 * these machines): the archive and the extracted batches, where the locator finds them, the download with its
 * pinned checksum, and a clear message for every kind of broken file.
 */
class CifarReaderTest {

    private static final URI NOWHERE = URI.create("http://localhost.invalid/");

    @TempDir
    Path root;

    private DataLocator locator(Path dataDir) {
        return new DataLocator(dataDir, root.resolve("work"), root.resolve("cache"), List.of(), null);
    }

    private Path writeArchive(Path dir, byte[] archive) throws IOException {
        Files.createDirectories(dir);
        return Files.write(dir.resolve(DatasetSpec.CIFAR10_ARCHIVE), archive);
    }

    /** Every pixel and label of a loaded part against what {@link CifarFiles} wrote, channel-major. */
    private static void assertPart(Dataset d, int... labels) {
        assertEquals(labels.length, d.size());
        assertEquals(3, d.channels());
        assertEquals(32, d.rows());
        assertEquals(32, d.cols());
        assertEquals(3 * 32 * 32, d.imageSize());
        assertEquals("Dataset[" + labels.length + " x 3 x 32 x 32]", d.toString());
        for (int i = 0; i < labels.length; i++) {
            assertEquals(labels[i], d.label(i), "label " + i);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        float expected = Dataset.normalise(CifarFiles.pixel(i, c, y, x));
                        float actual = d.images()[i * 3072 + c * 1024 + y * 32 + x];
                        if (expected != actual) {
                            throw new AssertionError("image " + i + " channel " + c + " (" + y + ", " + x + "): "
                                    + actual + ", expected " + expected);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theArchiveLoadsBothPartsWithItsPinnedChecksumChecked() throws Exception {
        byte[] archive = CifarFiles.archive(CifarFiles.members());
        DatasetSpec spec = CifarFiles.spec(archive, NOWHERE);
        Path dir = writeArchive(root.resolve("mine"), archive).getParent();
        Dataset train = locator(dir).load(spec, DatasetSpec.Part.TRAIN);
        assertPart(train, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);   // batches 1..5 in order
        Dataset test = locator(dir).load(spec, DatasetSpec.Part.TEST);
        assertPart(test, 3, 1, 4);
    }

    @Test
    void extractedBatchesAreFoundInTheFolderTheArchiveUnpacksTo() throws Exception {
        Path extracted = Files.createDirectories(root.resolve("cache/cifar-synthetic").resolve(
                DatasetSpec.CIFAR10_FOLDER));
        for (Map.Entry<String, byte[]> e : CifarFiles.members().entrySet()) {
            Files.write(extracted.resolve(e.getKey()), e.getValue());
        }
        DatasetSpec spec = CifarFiles.spec(new byte[0], NOWHERE);
        DataLocator.Located located = locator(null).locate(spec, DatasetSpec.Part.TEST);
        assertEquals(DataLocator.Source.CACHE, located.source());
        assertEquals(extracted, located.dir());
        assertPart(locator(null).load(spec, DatasetSpec.Part.TEST), 3, 1, 4);
        assertPart(locator(null).load(spec, DatasetSpec.Part.TRAIN), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void theArchiveIsDownloadedOnceIntoTheCacheAndVerified() throws Exception {
        byte[] archive = CifarFiles.archive(CifarFiles.members());
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                boolean ours = exchange.getRequestURI().getPath().equals("/kriz/" + DatasetSpec.CIFAR10_ARCHIVE);
                exchange.sendResponseHeaders(ours ? 200 : 404, ours ? archive.length : -1);
                if (ours) {
                    exchange.getResponseBody().write(archive);
                }
            }
        });
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/kriz/");
            DatasetSpec spec = CifarFiles.spec(archive, base);
            DataLocator locator = new DataLocator(null, root.resolve("work"), root.resolve("cache"), List.of(),
                    Downloader.standard().withProgress(DownloadProgress.lines(System.err, 25)));
            assertPart(locator.load(spec, DatasetSpec.Part.TEST), 3, 1, 4);
            assertPart(locator.load(spec, DatasetSpec.Part.TRAIN), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertEquals(1, requests.get(), "the second part came from the cache");
            assertEquals(DataLocator.Source.CACHE, locator.locate(spec, DatasetSpec.Part.TRAIN).source());

            // A server that serves another file: refused by the pinned MD5, nothing left in the cache.
            Path otherCache = root.resolve("other-cache");
            DatasetSpec wrong = spec.withChecksums(Map.of(DatasetSpec.CIFAR10_ARCHIVE,
                    Checksum.md5OfGzipFile("c32a1d4ab5d03f1284b67883e8d87530")));
            DataFileException e = assertThrows(DataFileException.class, () -> new DataLocator(null,
                    root.resolve("work"), otherCache, List.of(), Downloader.standard().withProgress(
                    DownloadProgress.lines(System.err, 25))).load(wrong, DatasetSpec.Part.TEST));
            assertTrue(e.getMessage().contains(DatasetSpec.CIFAR10_ARCHIVE + ": MD5 of the .gz file "
                    + CifarFiles.md5(archive) + ", expected c32a1d4ab5d03f1284b67883e8d87530"), e.getMessage());
            assertFalse(Files.exists(otherCache.resolve("cifar-synthetic").resolve(DatasetSpec.CIFAR10_ARCHIVE)));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aWrongOrTruncatedArchiveIsRefusedNamingIt() throws Exception {
        byte[] archive = CifarFiles.archive(CifarFiles.members());
        DatasetSpec spec = CifarFiles.spec(archive, NOWHERE);

        Path changed = root.resolve("changed");
        byte[] other = archive.clone();
        other[other.length - 1] ^= 1;   // the gzip trailer's size field: still a readable archive
        writeArchive(changed, other);
        DataFileException e = assertThrows(DataFileException.class,
                () -> locator(changed).load(spec, DatasetSpec.Part.TEST));
        assertTrue(e.getMessage().startsWith(DatasetSpec.CIFAR10_ARCHIVE + ": "), e.getMessage());

        Path truncated = root.resolve("truncated");
        writeArchive(truncated, Arrays.copyOf(archive, archive.length / 2));
        e = assertThrows(DataFileException.class, () -> locator(truncated).load(spec, DatasetSpec.Part.TEST));
        assertTrue(e.getMessage().startsWith(DatasetSpec.CIFAR10_ARCHIVE + ": truncated gzip data"),
                e.getMessage());

        Path garbage = root.resolve("garbage");
        writeArchive(garbage, "not an archive at all, neither gzip nor tar".getBytes());
        e = assertThrows(DataFileException.class, () -> locator(garbage).load(spec.withChecksums(Map.of()),
                DatasetSpec.Part.TEST));
        assertTrue(e.getMessage().startsWith(DatasetSpec.CIFAR10_ARCHIVE + ": "), e.getMessage());
    }

    /** An archive with one member replaced, loaded with its own (matching) checksum: the format check speaks. */
    private DataFileException broken(String member, byte[] content, DatasetSpec.Part part) throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>(CifarFiles.members());
        if (content == null) {
            members.remove(member);
        } else {
            members.put(member, content);
        }
        byte[] archive = CifarFiles.archive(members);
        Path dir = writeArchive(root.resolve("broken-" + member + "-" + (content == null ? "gone" : content.length)),
                archive).getParent();
        return assertThrows(DataFileException.class, () -> locator(dir).load(CifarFiles.spec(archive, NOWHERE),
                part));
    }

    @Test
    void aBrokenBatchIsRefusedNamingTheMemberTheFieldAndWhatWasExpected() throws Exception {
        byte[] batch = CifarFiles.batch(0, 3, 1, 4);
        String prefix = DatasetSpec.CIFAR10_ARCHIVE + ": " + DatasetSpec.CIFAR10_FOLDER + "/test_batch.bin: ";

        DataFileException e = broken("test_batch.bin", Arrays.copyOf(batch, batch.length - 100),
                DatasetSpec.Part.TEST);
        assertEquals(prefix + "size 9119 bytes, expected a whole, non-zero number of 3073-byte records (1 label"
                + " byte + 3*32*32 pixel bytes): 2 records and 2973 bytes more (truncated, or not a batch of"
                + " cifar-synthetic)", e.getMessage());
        assertEquals("size", e.field());

        byte[] badLabel = batch.clone();
        badLabel[CifarFiles.RECORD] = 10;
        e = broken("test_batch.bin", badLabel, DatasetSpec.Part.TEST);
        assertEquals(prefix + "label of record 1 10, expected 0..9", e.getMessage());

        e = broken("test_batch.bin", new byte[0], DatasetSpec.Part.TEST);
        assertTrue(e.getMessage().startsWith(prefix + "size 0 bytes, expected a whole, non-zero number"),
                e.getMessage());

        e = broken("data_batch_3.bin", null, DatasetSpec.Part.TRAIN);
        assertTrue(e.getMessage().startsWith(DatasetSpec.CIFAR10_ARCHIVE + ": member data_batch_3.bin missing"
                + " (the archive holds [batches.meta.txt, data_batch_1.bin, data_batch_2.bin, data_batch_4.bin,"
                + " data_batch_5.bin, readme.html, test_batch.bin]), expected cifar-10-batches-bin/data_batch_3.bin"),
                e.getMessage());

        List<String> names = new java.util.ArrayList<>(DatasetSpec.CIFAR_10.classNames());
        names.set(0, "aeroplane");
        e = broken(CifarReader.META, CifarFiles.meta(names), DatasetSpec.Part.TEST);
        assertTrue(e.getMessage().startsWith(DatasetSpec.CIFAR10_ARCHIVE + ": " + DatasetSpec.CIFAR10_FOLDER
                + "/batches.meta.txt: class names [aeroplane, automobile,"), e.getMessage());
    }

    @Test
    void aTruncatedExtractedBatchIsRefusedNamingTheFile() throws Exception {
        Path dir = Files.createDirectories(root.resolve("extracted"));
        Files.write(dir.resolve("test_batch.bin"), Arrays.copyOf(CifarFiles.batch(0, 1, 2), CifarFiles.RECORD + 5));
        DataFileException e = assertThrows(DataFileException.class,
                () -> locator(dir).load(CifarFiles.spec(new byte[0], NOWHERE), DatasetSpec.Part.TEST));
        assertTrue(e.getMessage().startsWith("test_batch.bin: size 3078 bytes, expected a whole, non-zero number"
                + " of 3073-byte records"), e.getMessage());
    }

    @Test
    void aFolderWithoutTheFilesSaysWhatItLacksAndWhereToGetThem() throws Exception {
        Path empty = Files.createDirectories(root.resolve("empty"));
        DataFileException e = assertThrows(DataFileException.class,
                () -> locator(empty).load(DatasetSpec.CIFAR_10, DatasetSpec.Part.TEST));
        assertEquals("cifar-10: -Ddata=" + empty + " lacks both the batches [test_batch.bin] (looked for in it and"
                + " in its cifar-10-batches-bin/) and cifar-10-binary.tar.gz; with -Ddata no other place is"
                + " searched. The file: https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz (the binary"
                + " version; its extracted cifar-10-batches-bin/ folder works too).", e.getMessage());
    }

    @Test
    void theKnownSetsAreNamedAndAnUnknownNameIsRefused() {
        assertEquals(DatasetSpec.CIFAR_10, DatasetSpec.named("CIFAR-10"));
        assertEquals(DatasetSpec.FASHION_MNIST, DatasetSpec.named("fashion-mnist"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetSpec.named("cifar"));
        assertEquals("unknown data set 'cifar': expected one of fashion-mnist, mnist, kmnist, cifar-10",
                e.getMessage());
        assertEquals(SeedCnn.CLASS_NAMES, DatasetSpec.FASHION_MNIST.classNames(), "one list of names, two places");
        assertEquals(3, DatasetSpec.CIFAR_10.channels());
        assertEquals("3x32x32", DatasetSpec.CIFAR_10.shapeName());
        assertEquals(List.of(DatasetSpec.CIFAR10_ARCHIVE), List.copyOf(DatasetSpec.CIFAR_10.checksums().keySet()));
    }
}
