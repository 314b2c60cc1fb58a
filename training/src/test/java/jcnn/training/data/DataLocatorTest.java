package jcnn.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order in which data folders are searched, on small synthetic sets laid out in temporary folders, and the
 * real bundled Fashion-MNIST found from the module folder Maven runs tests in.
 */
class DataLocatorTest {

    private static final List<String> TEST_FILES =
            List.of(DatasetSpec.Part.TEST.imagesFile(), DatasetSpec.Part.TEST.labelsFile());

    @TempDir
    Path root;

    /** A synthetic dataset named "synthetic" with 2 test images whose checksums the spec pins. */
    private static final byte[] IMAGES = IdxFiles.images(2, 28, 28);
    private static final byte[] LABELS = IdxFiles.labels(3, 4);
    private static final DatasetSpec SYNTHETIC = new DatasetSpec("synthetic",
            java.net.URI.create("http://localhost.invalid/"), 28, 28, 10, Map.of(
            "t10k-images-idx3-ubyte.gz", Checksum.sha256OfContent(IdxFiles.sha256(IMAGES)),
            "t10k-labels-idx1-ubyte.gz", Checksum.sha256OfContent(IdxFiles.sha256(LABELS))));

    private static Path populate(Path dir) throws Exception {
        IdxFiles.write(dir, "t10k-images-idx3-ubyte.gz", IdxFiles.gzip(IMAGES));
        IdxFiles.write(dir, "t10k-labels-idx1-ubyte.gz", IdxFiles.gzip(LABELS));
        return dir;
    }

    private DataLocator locator(Path dataDir, Path workingDir, List<Path> systemRoots) {
        return new DataLocator(dataDir, workingDir, root.resolve("cache"), systemRoots, null);
    }

    @Test
    void dataPropertyWinsOverEverythingElse() throws Exception {
        Path work = Files.createDirectories(root.resolve("work"));
        populate(work.resolve("data/synthetic"));
        populate(root.resolve("cache/synthetic"));
        Path named = populate(root.resolve("mine"));

        DataLocator.Located located = locator(named, work, List.of()).locate(SYNTHETIC, TEST_FILES);
        assertEquals(DataLocator.Source.DATA_PROPERTY, located.source());
        assertEquals(named, located.dir());
    }

    @Test
    void dataPropertyWithoutTheFilesIsAnErrorNotAFallback() throws Exception {
        Path work = Files.createDirectories(root.resolve("work"));
        populate(work.resolve("data/synthetic")); // a perfectly good bundled copy that must NOT be used
        Path empty = Files.createDirectories(root.resolve("empty"));
        IdxFiles.write(empty, "t10k-images-idx3-ubyte.gz", IdxFiles.gzip(IMAGES)); // labels missing

        DataFileException e = assertThrows(DataFileException.class,
                () -> locator(empty, work, List.of()).locate(SYNTHETIC, TEST_FILES));
        assertEquals("synthetic: -Ddata=" + empty + " lacks [t10k-labels-idx1-ubyte.gz] (each may also be stored"
                + " without .gz); with -Ddata no other place is searched. The files: http://localhost.invalid/.",
                e.getMessage());
    }

    @Test
    void relativeDataPropertyIsResolvedAgainstTheWorkingDirectory() throws Exception {
        Path work = Files.createDirectories(root.resolve("work"));
        populate(work.resolve("here"));
        DataLocator.Located located = locator(Path.of("here"), work, List.of()).locate(SYNTHETIC, TEST_FILES);
        assertEquals(work.resolve("here"), located.dir());
    }

    @Test
    void bundledFolderIsFoundFromASubfolderAndBeatsTheCache() throws Exception {
        Path repo = root.resolve("repo");
        populate(repo.resolve("data/synthetic"));
        populate(root.resolve("cache/synthetic"));
        Path module = Files.createDirectories(repo.resolve("training/target"));

        DataLocator.Located located = locator(null, module, List.of()).locate(SYNTHETIC, TEST_FILES);
        assertEquals(DataLocator.Source.BUNDLED, located.source());
        assertEquals(repo.resolve("data/synthetic"), located.dir());
    }

    @Test
    void incompleteBundledFolderIsSkipped() throws Exception {
        Path repo = root.resolve("repo");
        IdxFiles.write(repo.resolve("data/synthetic"), "t10k-images-idx3-ubyte.gz", IdxFiles.gzip(IMAGES));
        populate(root.resolve("cache/synthetic"));

        DataLocator.Located located = locator(null, repo, List.of()).locate(SYNTHETIC, TEST_FILES);
        assertEquals(DataLocator.Source.CACHE, located.source());
    }

    @Test
    void cacheBeatsTheSystemFolder() throws Exception {
        Path work = Files.createDirectories(root.resolve("work"));
        populate(root.resolve("cache/synthetic"));
        populate(root.resolve("usr-share-datasets/synthetic"));

        DataLocator.Located located = locator(null, work, List.of(root.resolve("usr-share-datasets")))
                .locate(SYNTHETIC, TEST_FILES);
        assertEquals(DataLocator.Source.CACHE, located.source());
        assertEquals(root.resolve("cache/synthetic"), located.dir());
    }

    @Test
    void systemFolderWithDebianStyleUncompressedNamesIsUsedAndVerified() throws Exception {
        Path work = Files.createDirectories(root.resolve("work"));
        Path system = root.resolve("usr-share-datasets/synthetic");
        IdxFiles.write(system, "t10k-images-idx3-ubyte", IMAGES);
        IdxFiles.write(system, "t10k-labels-idx1-ubyte.gz", IdxFiles.gzip(LABELS)); // mixed forms are fine

        DataLocator locator = locator(null, work, List.of(root.resolve("usr-share-datasets")));
        DataLocator.Located located = locator.locate(SYNTHETIC, TEST_FILES);
        assertEquals(DataLocator.Source.SYSTEM, located.source());
        assertEquals(system.resolve("t10k-images-idx3-ubyte"), located.file("t10k-images-idx3-ubyte.gz"));

        // The content checksum holds for the uncompressed copy too, so loading checks it.
        Dataset d = locator.load(SYNTHETIC, DatasetSpec.Part.TEST);
        assertEquals(2, d.size());
        assertEquals(4, d.label(1));
    }

    @Test
    void nothingFoundAndNoDownloadsSaysWhereItLooked() throws Exception {
        Path work = Files.createDirectories(root.resolve("work"));
        DataFileException e = assertThrows(DataFileException.class,
                () -> locator(null, work, List.of(root.resolve("sys"))).locate(SYNTHETIC, TEST_FILES));
        String m = e.getMessage();
        assertTrue(m.startsWith("synthetic: no folder holds all of [t10k-images-idx3-ubyte.gz,"), m);
        assertTrue(m.contains("data/synthetic in " + work + " and its parents"), m);
        assertTrue(m.contains(root.resolve("cache/synthetic").toString()), m);
        assertTrue(m.contains(root.resolve("sys/synthetic").toString()), m);
        assertTrue(m.contains("-Djcnn.download=false"), m);
        assertTrue(m.contains("Put the files in " + root.resolve("cache/synthetic") + " or pass -Ddata=DIR"), m);
    }

    @Test
    void missingFashionMnistSaysWhereToGetIt() throws Exception {
        // Issue 14: the message names -Ddata, the cache folder, Debian's package and the official addresses.
        Path work = Files.createDirectories(root.resolve("work"));
        DataFileException e = assertThrows(DataFileException.class,
                () -> locator(null, work, List.of(root.resolve("sys"))).locate(DatasetSpec.FASHION_MNIST, TEST_FILES));
        String m = e.getMessage();
        System.out.println("missing Fashion-MNIST: " + m);
        assertTrue(m.contains("Put the files in " + root.resolve("cache/fashion-mnist") + " or pass -Ddata=DIR"), m);
        assertTrue(m.contains("Debian's package dataset-fashion-mnist (apt install dataset-fashion-mnist; found in"
                + " /usr/share/datasets/fashion-mnist without -Ddata)"), m);
        assertTrue(m.contains(DatasetSpec.FASHION_MNIST_HTTPS) && m.contains(DatasetSpec.FASHION_MNIST_MIRROR), m);
        assertFalse(m.contains("\n"), m);
    }

    @Test
    void corruptFileFoundInTheCacheFailsTheLoadByChecksum() throws Exception {
        Path work = Files.createDirectories(root.resolve("work"));
        Path cache = populate(root.resolve("cache/synthetic"));
        byte[] tampered = IMAGES.clone();
        tampered[100] ^= 1;
        IdxFiles.write(cache, "t10k-images-idx3-ubyte.gz", IdxFiles.gzip(tampered));

        DataFileException e = assertThrows(DataFileException.class,
                () -> locator(null, work, List.of()).load(SYNTHETIC, DatasetSpec.Part.TEST));
        assertTrue(e.getMessage().startsWith("t10k-images-idx3-ubyte.gz: SHA-256 of the uncompressed content"),
                e.getMessage());
    }

    @Test
    void systemPropertiesConfigureTheLocator() throws Exception {
        Path work = Files.createDirectories(root.resolve("work"));
        populate(root.resolve("mycache/synthetic"));
        Properties p = new Properties();
        p.setProperty("user.dir", work.toString());
        p.setProperty("user.home", root.resolve("home").toString());
        p.setProperty(DataLocator.CACHE_PROPERTY, root.resolve("mycache").toString());
        p.setProperty(DataLocator.DOWNLOAD_PROPERTY, "false");
        DataLocator.Located located = DataLocator.fromProperties(p).locate(SYNTHETIC, TEST_FILES);
        assertEquals(DataLocator.Source.CACHE, located.source());

        p.setProperty(DataLocator.DATA_PROPERTY, root.resolve("nowhere").toString());
        assertThrows(DataFileException.class, () -> DataLocator.fromProperties(p).locate(SYNTHETIC, TEST_FILES));

        // Without jcnn.cache the cache is ~/.cache/jcnn/<name>.
        Properties q = new Properties();
        q.setProperty("user.dir", work.toString());
        q.setProperty("user.home", root.resolve("home").toString());
        q.setProperty(DataLocator.DOWNLOAD_PROPERTY, "false");
        populate(root.resolve("home/.cache/jcnn/synthetic"));
        assertEquals(root.resolve("home/.cache/jcnn/synthetic"),
                DataLocator.fromProperties(q).locate(SYNTHETIC, TEST_FILES).dir());
    }

    @Test
    void bundledFashionMnistLoadsFromTheModuleFolder() throws Exception {
        // Maven runs tests in training/; the locator must walk up to the repository's data/fashion-mnist.
        DataLocator locator = new DataLocator(null, Path.of(""), root.resolve("cache"), List.of(), null);
        DataLocator.Located located = locator.locate(DatasetSpec.FASHION_MNIST, TEST_FILES);
        assertEquals(DataLocator.Source.BUNDLED, located.source());
        assertEquals(IdxFiles.bundledFashionMnist(), located.dir());

        Dataset test = locator.load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TEST);
        assertEquals(10_000, test.size());
        assertEquals(9, test.label(0), "the first test image is an ankle boot");
        assertEquals(784, test.imageSize());
        assertEquals(-1f, test.images()[0], "top-left pixel of the first image is background (0)");
    }

    /** Performance and correctness on the big file: 60,000 images, checksum checked, well under a second or two. */
    @Test
    void loadsTheFullTrainingSetQuickly() throws Exception {
        DataLocator locator = new DataLocator(null, Path.of(""), root.resolve("cache"), List.of(), null);
        locator.load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TEST); // warm up the code paths
        long start = System.nanoTime();
        Dataset train = locator.load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TRAIN);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("Fashion-MNIST train: %d images loaded, verified and normalised in %.3f s%n",
                train.size(), seconds);

        assertEquals(60_000, train.size());
        assertEquals(60_000 * 784, train.images().length);
        int[] first = {9, 0, 0, 3, 0, 2, 7, 2, 5, 5};
        for (int i = 0; i < first.length; i++) {
            assertEquals(first[i], train.label(i), "train label " + i);
        }
        double sum = 0;
        for (int i = 0; i < 784; i++) {
            sum += train.images()[i];
        }
        // Python: the first training image's raw pixel sum is 76247 -> normalised sum 2*76247/255 - 784.
        assertEquals(2 * 76247 / 255.0 - 784, sum, 1e-3);
        // Generous bound: this machine is shared with other builds; the figure printed above is the real one.
        assertTrue(seconds < 5, "loading took " + seconds + " s");
    }
}
