package jcnn.training.data;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What identifies one IDX dataset of the MNIST family: its folder name, where to download it, its image size and
 * class count, and the checksum pinned for each of its files.
 *
 * <p>All three known sets use the same four file names, so checksums are tied to a spec, never to a bare file name:
 * {@code train-images-idx3-ubyte.gz} is a different file in Fashion-MNIST and in MNIST. The base URL and the
 * checksum table can be replaced ({@link #withBaseUri}, {@link #withChecksums}) so tests can serve small synthetic
 * files from a local server; the real specs below always carry the real checksums.
 *
 * <h2>Where the pinned checksums come from</h2>
 * <ul>
 *   <li>Fashion-MNIST: sha256 of each uncompressed file, computed here with {@code gunzip -c | sha256sum} on files
 *       whose gz MD5s equal those in the upstream README (see {@code data/fashion-mnist/README.md}).</li>
 *   <li>MNIST: MD5 of each .gz file as published, the values torchvision pins in {@code MNIST.resources}
 *       (the same four values appear in many independent loaders). No sha256 of the content is pinned: none was
 *       checked here.</li>
 *   <li>KMNIST: MD5 of each .gz file, the values torchvision pins in {@code KMNIST.resources}; not checked against
 *       the files here (no copy of KMNIST was at hand).</li>
 * </ul>
 */
public record DatasetSpec(String name, URI baseUri, int rows, int cols, int classes, Map<String, Checksum> checksums) {

    /** The official split a file belongs to; the file names are the MNIST family's. */
    public enum Part {
        TRAIN("train"), TEST("t10k");

        private final String prefix;

        Part(String prefix) {
            this.prefix = prefix;
        }

        public String imagesFile() {
            return prefix + "-images-idx3-ubyte.gz";
        }

        public String labelsFile() {
            return prefix + "-labels-idx1-ubyte.gz";
        }
    }

    /**
     * Where Fashion-MNIST is fetched from: the {@code data/fashion} folder of Zalando Research's repository, over
     * https. The project's documented mirror, {@value #FASHION_MNIST_MIRROR}, serves the same files (same
     * content checksums) over plain http only, which the downloader refuses.
     */
    public static final String FASHION_MNIST_HTTPS =
            "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/";

    /** Fashion-MNIST's own download address, http only; named in messages for someone fetching by hand. */
    public static final String FASHION_MNIST_MIRROR = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";

    public static final DatasetSpec FASHION_MNIST = new DatasetSpec("fashion-mnist",
            URI.create(FASHION_MNIST_HTTPS), 28, 28, 10, Map.of(
            "train-images-idx3-ubyte.gz",
            Checksum.sha256OfContent("c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
            "train-labels-idx1-ubyte.gz",
            Checksum.sha256OfContent("bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
            "t10k-images-idx3-ubyte.gz",
            Checksum.sha256OfContent("5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
            "t10k-labels-idx1-ubyte.gz",
            Checksum.sha256OfContent("0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34")));

    /** torchvision's mirror: LeCun's own site no longer serves the files reliably. */
    public static final DatasetSpec MNIST = new DatasetSpec("mnist",
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"), 28, 28, 10, Map.of(
            "train-images-idx3-ubyte.gz", Checksum.md5OfGzipFile("f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            "train-labels-idx1-ubyte.gz", Checksum.md5OfGzipFile("d53e105ee54ea40749a09fcbcd1e9432"),
            "t10k-images-idx3-ubyte.gz", Checksum.md5OfGzipFile("9fb629c4189551a2d022fa330f9573f3"),
            "t10k-labels-idx1-ubyte.gz", Checksum.md5OfGzipFile("ec29112dd5afa0611ce80d1b7f02629c")));

    public static final DatasetSpec KMNIST = new DatasetSpec("kmnist",
            URI.create("https://codh.rois.ac.jp/kmnist/dataset/kmnist/"), 28, 28, 10, Map.of(
            "train-images-idx3-ubyte.gz", Checksum.md5OfGzipFile("bdb82020997e1d708af4cf47b453dcf7"),
            "train-labels-idx1-ubyte.gz", Checksum.md5OfGzipFile("e144d726b3acfaa3e44228e80efcd344"),
            "t10k-images-idx3-ubyte.gz", Checksum.md5OfGzipFile("5c965bf0a639b31b8f53240b1b52f4d7"),
            "t10k-labels-idx1-ubyte.gz", Checksum.md5OfGzipFile("7320c461ea6c1c855c0b718fb2a4b134")));

    public DatasetSpec {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("dataset name must be a plain folder name: " + name);
        }
        // URI.resolve drops the last path segment of a base without a trailing slash: demand the slash.
        if (!baseUri.getPath().endsWith("/")) {
            throw new IllegalArgumentException("base URI must end with '/': " + baseUri);
        }
        if (rows <= 0 || cols <= 0 || classes <= 0 || classes > 256) {
            throw new IllegalArgumentException("rows, cols and classes must be positive (classes <= 256)");
        }
        checksums = Map.copyOf(checksums);
    }

    /** The same dataset served from elsewhere (a mirror, or a test's local server). */
    public DatasetSpec withBaseUri(URI uri) {
        return new DatasetSpec(name, uri, rows, cols, classes, checksums);
    }

    /** The same dataset with another checksum table (tests serving synthetic files). */
    public DatasetSpec withChecksums(Map<String, Checksum> table) {
        return new DatasetSpec(name, baseUri, rows, cols, classes, table);
    }

    /** The checksum pinned for a file, by its published name (e.g. {@code t10k-images-idx3-ubyte.gz}). */
    public Optional<Checksum> checksum(String fileName) {
        return Optional.ofNullable(checksums.get(fileName));
    }

    /** Where the published file lives. */
    public URI uriOf(String fileName) {
        return baseUri.resolve(fileName);
    }
}
