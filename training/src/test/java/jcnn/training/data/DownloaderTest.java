package jcnn.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The download path against a local HTTP server: a good file is verified and used; a truncated body, a wrong
 * checksum, an HTTP error or a file with no pinned checksum all fail with a clear error and leave nothing behind
 * in the cache folder, neither the temporary file nor a final one.
 */
class DownloaderTest {

    private static final List<String> TEST_FILES =
            List.of(DatasetSpec.Part.TEST.imagesFile(), DatasetSpec.Part.TEST.labelsFile());
    private static final byte[] IMAGES = IdxFiles.images(3, 28, 28);
    private static final byte[] LABELS = IdxFiles.labels(1, 5, 9);

    @TempDir
    Path root;

    private HttpServer server;
    private URI base;
    /** Requests per path, to show what was fetched and what came from the cache. */
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    /**
     * /good/NAME: the synthetic file; /fashion/NAME: the real bundled file; /truncated/NAME: Content-Length of
     * the whole file, then half of it and a closed connection; /short/NAME: half the file as a complete chunked
     * response; /other/NAME: a valid file with other content; anything else: 404.
     */
    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
        String[] parts = path.split("/");
        String mode = parts.length == 3 ? parts[1] : "";
        String name = parts.length == 3 ? parts[2] : "";
        byte[] body = switch (mode) {
            case "good", "truncated", "short" -> IdxFiles.gzip(name.contains("images") ? IMAGES : LABELS);
            case "other" -> IdxFiles.gzip(name.contains("images") ? IdxFiles.images(4, 28, 28) : IdxFiles.labels(2, 2));
            case "fashion" -> Files.readAllBytes(IdxFiles.bundledFashionMnist().resolve(name));
            default -> null;
        };
        try (exchange) {
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else if (mode.equals("truncated")) {
                exchange.sendResponseHeaders(200, body.length);
                OutputStream out = exchange.getResponseBody();
                out.write(body, 0, body.length / 2);
                out.flush();
                // Closing now, short of Content-Length, makes the server drop the connection mid-body.
            } else if (mode.equals("short")) {
                exchange.sendResponseHeaders(200, 0); // chunked: the client cannot know the body is short
                exchange.getResponseBody().write(Arrays.copyOf(body, body.length / 2));
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        }
    }

    private static DatasetSpec synthetic(URI base) {
        return new DatasetSpec("synthetic", base, 28, 28, 10, Map.of(
                "t10k-images-idx3-ubyte.gz", Checksum.sha256OfContent(IdxFiles.sha256(IMAGES)),
                "t10k-labels-idx1-ubyte.gz", Checksum.sha256OfContent(IdxFiles.sha256(LABELS))));
    }

    /**
     * A failed download, as the locator reports it: one message that names the places searched, -Ddata and the
     * cache folder; the downloader's own failure (returned) is its cause.
     */
    private DataFileException downloadFails(org.junit.jupiter.api.function.Executable locate) {
        DataFileException e = assertThrows(DataFileException.class, locate);
        assertTrue(e.getMessage().contains("and the download failed (" + e.getCause().getMessage() + ")"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Put the files in " + root.resolve("cache")), e.getMessage());
        assertTrue(e.getMessage().contains("pass -Ddata=DIR"), e.getMessage());
        return (DataFileException) e.getCause();
    }

    @Test
    void plainHttpIsRefusedBeforeAnyRequest() {
        DatasetSpec http = synthetic(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"));
        DataFileException e = downloadFails(() -> locator().locate(http, TEST_FILES));
        assertEquals("t10k-images-idx3-ubyte.gz: refusing to download from http://fashion-mnist.s3-website"
                + ".eu-central-1.amazonaws.com/t10k-images-idx3-ubyte.gz: downloads use https only", e.getMessage());
        assertTrue(Downloader.allowed(URI.create("https://example.org/x")));
        assertTrue(Downloader.allowed(base));   // a test's own server on the loopback
        assertTrue(!Downloader.allowed(URI.create("ftp://example.org/x")));
    }

    @Test
    void progressInALogIsAFewLinesPerFileNotAFlood() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream log = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        Downloader downloader = new Downloader(HttpClient.newHttpClient(), Duration.ofSeconds(20))
                .withProgress(DownloadProgress.lines(log, 25));
        DataLocator locator = new DataLocator(null, root.resolve("work"), root.resolve("cache"), List.of(),
                downloader);
        // The real 4.4 MB test images, in 64 kB reads: about 70 updates, shown as 5 lines.
        locator.locate(DatasetSpec.FASHION_MNIST.withBaseUri(base.resolve("/fashion/")), TEST_FILES);
        List<String> lines = bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        System.out.println("download progress in a log:\n" + String.join("\n", lines));
        List<String> images = lines.stream().filter(l -> l.contains("t10k-images")).toList();
        assertEquals(5, images.size(), String.join("\n", lines));
        assertTrue(images.get(0).startsWith("downloading t10k-images-idx3-ubyte.gz (4.4 MB) from " + base), images
                .get(0));
        for (int i = 1; i <= 3; i++) {
            assertTrue(images.get(i).matches("  t10k-images-idx3-ubyte.gz: " + 25 * i + "% \\(\\d\\.\\d MB\\)"),
                    images.get(i));
        }
        assertEquals("  t10k-images-idx3-ubyte.gz: 4.4 MB received", images.get(4));
        assertTrue(lines.size() <= 10, "two files, at most five lines each: " + lines);
    }

    private DataLocator locator() {
        Downloader downloader = new Downloader(HttpClient.newHttpClient(), Duration.ofSeconds(20));
        return new DataLocator(null, root.resolve("work"), root.resolve("cache"), List.of(), downloader);
    }

    /** Everything in the cache folder, hidden temporary files included. */
    private List<String> cacheContents(String dataset) throws IOException {
        Path dir = root.resolve("cache").resolve(dataset);
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void goodFileIsDownloadedVerifiedAndThenServedFromTheCache() throws Exception {
        DatasetSpec spec = synthetic(base.resolve("/good/"));
        Dataset d = locator().load(spec, DatasetSpec.Part.TEST);
        assertEquals(3, d.size());
        assertEquals(9, d.label(2));
        assertEquals(TEST_FILES.stream().sorted().toList(), cacheContents("synthetic"));

        DataLocator.Located again = locator().locate(spec, TEST_FILES);
        assertEquals(DataLocator.Source.CACHE, again.source());
        assertEquals(1, requests.get("/good/t10k-images-idx3-ubyte.gz").get(), "second run reads the cache");
    }

    @Test
    void onlyMissingFilesAreDownloaded() throws Exception {
        IdxFiles.write(root.resolve("cache/synthetic"), "t10k-labels-idx1-ubyte.gz", IdxFiles.gzip(LABELS));
        DataLocator.Located located = locator().locate(synthetic(base.resolve("/good/")), TEST_FILES);
        assertEquals(DataLocator.Source.DOWNLOADED, located.source());
        assertEquals(null, requests.get("/good/t10k-labels-idx1-ubyte.gz"));
        assertEquals(1, requests.get("/good/t10k-images-idx3-ubyte.gz").get());
    }

    @Test
    void truncatedDownloadFailsAndLeavesNothing() throws Exception {
        DataFileException e = downloadFails(
                () -> locator().locate(synthetic(base.resolve("/truncated/")), TEST_FILES));
        assertTrue(e.getMessage().startsWith("t10k-images-idx3-ubyte.gz: download from " + base
                + "truncated/t10k-images-idx3-ubyte.gz failed"), e.getMessage());
        assertEquals(List.of(), cacheContents("synthetic"));
    }

    @Test
    void shortBodyWithoutLengthFailsVerificationAndLeavesNothing() throws Exception {
        DataFileException e = downloadFails(
                () -> locator().locate(synthetic(base.resolve("/short/")), TEST_FILES));
        assertTrue(e.getMessage().startsWith("t10k-images-idx3-ubyte.gz: "), e.getMessage());
        assertEquals(List.of(), cacheContents("synthetic"));
    }

    @Test
    void wrongChecksumFailsAndLeavesNothing() throws Exception {
        DataFileException e = downloadFails(
                () -> locator().locate(synthetic(base.resolve("/other/")), TEST_FILES));
        assertTrue(e.getMessage().startsWith("t10k-images-idx3-ubyte.gz: SHA-256 of the uncompressed content "),
                e.getMessage());
        assertTrue(e.getMessage().endsWith(", expected " + IdxFiles.sha256(IMAGES)
                + " (corrupt, truncated or not the official file)"), e.getMessage());
        assertEquals(List.of(), cacheContents("synthetic"));
    }

    @Test
    void httpErrorFailsAndLeavesNothing() throws Exception {
        DataFileException e = downloadFails(
                () -> locator().locate(synthetic(base.resolve("/gone/")), TEST_FILES));
        assertEquals("t10k-images-idx3-ubyte.gz: HTTP status 404 from " + base
                + "gone/t10k-images-idx3-ubyte.gz, expected 200", e.getMessage());
        assertEquals(List.of(), cacheContents("synthetic"));
    }

    @Test
    void fileWithoutPinnedChecksumIsNeverDownloaded() throws Exception {
        DatasetSpec unpinned = synthetic(base.resolve("/good/")).withChecksums(Map.of());
        DataFileException e = downloadFails(() -> locator().locate(unpinned, TEST_FILES));
        assertTrue(e.getMessage().contains("no pinned checksum"), e.getMessage());
        assertTrue(requests.isEmpty(), "no request made: " + requests.keySet());
        assertEquals(List.of(), cacheContents("synthetic"));
    }

    @Test
    void realFashionMnistNamesUseTheRealChecksums() throws Exception {
        // The published table (data/fashion-mnist/README.md) and the spec must agree.
        Map<String, String> published = Map.of(
                "train-images-idx3-ubyte.gz", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                "train-labels-idx1-ubyte.gz", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                "t10k-images-idx3-ubyte.gz", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                "t10k-labels-idx1-ubyte.gz", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");
        published.forEach((name, sha) -> assertEquals(Checksum.sha256OfContent(sha),
                DatasetSpec.FASHION_MNIST.checksum(name).orElseThrow(), name));
        assertEquals(URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"
                + "t10k-images-idx3-ubyte.gz"), DatasetSpec.FASHION_MNIST.uriOf("t10k-images-idx3-ubyte.gz"));
        for (DatasetSpec spec : List.of(DatasetSpec.FASHION_MNIST, DatasetSpec.MNIST, DatasetSpec.KMNIST)) {
            assertEquals("https", spec.baseUri().getScheme(), spec.name());
        }

        // The official bytes, served locally under the real spec (only the base URL replaced), download and load.
        DatasetSpec mirrored = DatasetSpec.FASHION_MNIST.withBaseUri(base.resolve("/fashion/"));
        Dataset test = locator().load(mirrored, DatasetSpec.Part.TEST);
        assertEquals(10_000, test.size());
        assertEquals(9, test.label(0));
        assertEquals(TEST_FILES.stream().sorted().toList(), cacheContents("fashion-mnist"));

        // The same bytes under MNIST's names and checksums are refused: tables are per dataset, not per name.
        DatasetSpec wrongSet = DatasetSpec.MNIST.withBaseUri(base.resolve("/fashion/"));
        DataFileException e = downloadFails(() -> locator().locate(wrongSet, TEST_FILES));
        assertTrue(e.getMessage().startsWith("t10k-images-idx3-ubyte.gz: MD5 of the .gz file"), e.getMessage());
        assertEquals(List.of(), cacheContents("mnist"));
    }

    @Test
    void officialGzMd5sOfTheBundledFilesMatchTheUpstreamReadme() throws Exception {
        // The bundled files are the published ones byte for byte, so the .gz check works on them too.
        Map<String, String> md5 = Map.of(
                "train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
                "train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe",
                "t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79",
                "t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310");
        for (Map.Entry<String, String> e : md5.entrySet()) {
            Path file = IdxFiles.bundledFashionMnist().resolve(e.getKey());
            Downloader.verify(file, e.getKey(), Checksum.md5OfGzipFile(e.getValue()));
            Downloader.verify(file, e.getKey(), DatasetSpec.FASHION_MNIST.checksum(e.getKey()).orElseThrow());
        }
    }
}
