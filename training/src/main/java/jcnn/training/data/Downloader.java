package jcnn.training.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.function.Supplier;
import jcnn.core.io.AtomicFiles;

/**
 * Fetches one published data file into a folder, and lets it appear there only once its pinned checksum matched.
 *
 * <p>The file is streamed to a temporary name in the target folder, verified, then renamed into place atomically
 * ({@link AtomicFiles}). On any failure (HTTP error, short body, size cap, checksum mismatch) the
 * temporary file is deleted and nothing is left behind, so a later run can never pick up a half or wrong file. A
 * file without a pinned checksum is not downloaded at all, and nothing is fetched but over https. Progress goes to
 * standard error ({@link DownloadProgress}). Uses the JDK's {@link HttpClient}: no extra dependency.
 * Non-goals: resuming, parallel downloads, proxies beyond the JDK's defaults.
 */
public final class Downloader {

    /**
     * Refuse bodies larger than this: the biggest file we fetch is CIFAR-10's archive, about 170 MB (the IDX files
     * are at most ~26 MB); a runaway server must not fill the disk.
     */
    public static final long MAX_DOWNLOAD_BYTES = 512L << 20;

    private final Supplier<HttpClient> clientFactory;
    private final Duration timeout;
    private final DownloadProgress progress;
    private HttpClient client;

    /** A downloader using {@code client}, each request limited to {@code timeout}, showing lines on stderr. */
    public Downloader(HttpClient client, Duration timeout) {
        this(() -> client, timeout, DownloadProgress.lines(System.err, 25));
    }

    private Downloader(Supplier<HttpClient> clientFactory, Duration timeout, DownloadProgress progress) {
        this.clientFactory = clientFactory;
        this.timeout = timeout;
        this.progress = progress;
    }

    /** This downloader, showing its progress with {@code progress}. */
    public Downloader withProgress(DownloadProgress progress) {
        return new Downloader(clientFactory, timeout, java.util.Objects.requireNonNull(progress, "progress"));
    }

    /**
     * A downloader with a 30 s connect timeout and a 10 minute limit per file, showing its progress as
     * {@link DownloadProgress#forConsole} does by default. Its client (and the selector thread that comes with one)
     * is only built on the first download: most runs find their data locally.
     */
    public static Downloader standard() {
        return new Downloader(() -> HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL) // never https -> http
                .build(), Duration.ofMinutes(10), DownloadProgress.forConsole(null));
    }

    /**
     * Whether {@code uri} may be fetched: https, or plain http to this machine's loopback address only (a test's
     * local server). A file fetched over plain http from elsewhere could be replaced on the way; the pinned
     * checksum would catch that, but the request itself would still tell the network what is being fetched.
     */
    static boolean allowed(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost();
        return scheme.equals("https") || (scheme.equals("http")
                && (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]")));
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = clientFactory.get();
        }
        return client;
    }

    /**
     * Downloads {@code uri} to {@code dir/fileName}, replacing nothing until the body matched {@code expected}.
     * Returns the final path.
     */
    public Path download(URI uri, Path dir, String fileName, Checksum expected) throws IOException {
        if (expected == null) {
            throw new DataFileException(fileName + ": no pinned checksum, so a download from " + uri
                    + " could not be verified; refusing it. Put the file in place by hand (see -Ddata).");
        }
        if (!allowed(uri)) {
            throw new DataFileException(fileName + ": refusing to download from " + uri
                    + ": downloads use https only");
        }
        Path target = dir.resolve(fileName);
        // AtomicFiles' temporary file is a dot-name with a random part: concurrent runs do not collide, and the
        // locator never mistakes it for a finished file.
        AtomicFiles.replace(target, temp -> {
            fetch(uri, temp, fileName, expected);
            verify(temp, fileName, expected);
        });
        return target;
    }

    private void fetch(URI uri, Path temp, String fileName, Checksum expected) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download of " + uri + " interrupted");
        } catch (IOException e) {
            throw new DataFileException(fileName + ": download from " + uri + " failed: " + e, e);
        }
        try (InputStream body = response.body(); OutputStream out = Files.newOutputStream(temp)) {
            if (response.statusCode() != 200) {
                throw DataFileException.field(fileName, "HTTP status", response.statusCode() + " from " + uri,
                        "200");
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            long copied;
            try (DownloadProgress.Task task = progress.start(fileName, uri, declared)) {
                copied = copyCapped(body, out, fileName, uri, task);
            }
            if (declared >= 0 && copied != declared) {
                throw DataFileException.field(fileName, "downloaded size", copied + " bytes",
                        declared + " (Content-Length; truncated download)");
            }
        } catch (DataFileException e) {
            throw e;
        } catch (IOException e) {
            // HttpClient reports a connection closed before Content-Length bytes as a plain IOException.
            throw new DataFileException(fileName + ": download from " + uri + " failed (truncated?): " + e, e);
        }
    }

    private static long copyCapped(InputStream in, OutputStream out, String fileName, URI uri,
                                   DownloadProgress.Task task) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            total += n;
            if (total > MAX_DOWNLOAD_BYTES) {
                throw DataFileException.field(fileName, "downloaded size", "more than " + MAX_DOWNLOAD_BYTES
                        + " bytes from " + uri, "a data file of at most that size");
            }
            out.write(buffer, 0, n);
            task.advance(n);
        }
        return total;
    }

    /**
     * Checks a finished download against its checksum: over the file's bytes for a .gz checksum, over the
     * decompressed bytes for a content checksum.
     */
    static void verify(Path file, String fileName, Checksum expected) throws IOException {
        MessageDigest digest = expected.newDigest();
        boolean gzip = IdxReader.isGzip(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             InputStream in = expected.covers() == Checksum.Covers.CONTENT && gzip
                     ? IdxReader.gunzip(raw) : raw;
             OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            in.transferTo(sink);
        } catch (IOException e) {
            throw new DataFileException(fileName + ": downloaded file is not valid gzip: " + e.getMessage(), e);
        }
        expected.check(fileName, digest.digest());
    }
}
