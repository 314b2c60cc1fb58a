package jcnn.training.data;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What identifies one data set: its folder name, where to download it, the format of its files, its image size
 * (channels, rows, cols), its classes, and the checksum pinned for each file that is downloaded.
 *
 * <p>Two formats: {@link Format#IDX}, the MNIST family's four IDX files, and {@link Format#CIFAR_BINARY}, the
 * "binary version" of CIFAR-10: one archive, {@value #CIFAR10_ARCHIVE}, holding {@code data_batch_1.bin} ..
 * {@code data_batch_5.bin} (training) and {@code test_batch.bin}, each a run of 3,073-byte records (a label byte,
 * then 1,024 red, 1,024 green and 1,024 blue bytes of a 32x32 image, row-major), and {@code batches.meta.txt} with
 * the class names ({@link CifarReader}).
 *
 * <p>All three IDX sets use the same four file names, so checksums are tied to a spec, never to a bare file name:
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
 *   <li>CIFAR-10: the MD5 of {@value #CIFAR10_ARCHIVE} that the data set's page
 *       (https://www.cs.toronto.edu/~kriz/cifar.html) publishes, {@code c32a1d4ab5d03f1284b67883e8d87530}. It was
 *       <em>not</em> checked here: these machines cannot reach that site, so no copy of the archive was at hand,
 *       and no SHA-256 is pinned because none is published and none could be computed. The extracted
 *       {@code .bin} files have no published checksum at all: a folder of them is checked by format only.</li>
 * </ul>
 *
 * @param name       the folder name, and the value of the {@code dataset} setting
 * @param channels   1 for grey images, 3 for colour
 * @param classNames one name per class, by label
 */
public record DatasetSpec(String name, URI baseUri, Format format, int channels, int rows, int cols, int classes,
                          List<String> classNames, Map<String, Checksum> checksums) {

    /** How a data set's files are laid out. */
    public enum Format {
        /** Four IDX files, images and labels of each part ({@link IdxReader}). */
        IDX,
        /** CIFAR's binary batches: label byte + channel-major pixels per record ({@link CifarReader}). */
        CIFAR_BINARY
    }

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
            URI.create(FASHION_MNIST_HTTPS), Format.IDX, 1, 28, 28, 10, List.of("T-shirt/top", "Trouser",
            "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"), Map.of(
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
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"), Format.IDX, 1, 28, 28, 10,
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), Map.of(
            "train-images-idx3-ubyte.gz", Checksum.md5OfGzipFile("f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            "train-labels-idx1-ubyte.gz", Checksum.md5OfGzipFile("d53e105ee54ea40749a09fcbcd1e9432"),
            "t10k-images-idx3-ubyte.gz", Checksum.md5OfGzipFile("9fb629c4189551a2d022fa330f9573f3"),
            "t10k-labels-idx1-ubyte.gz", Checksum.md5OfGzipFile("ec29112dd5afa0611ce80d1b7f02629c")));

    public static final DatasetSpec KMNIST = new DatasetSpec("kmnist",
            URI.create("https://codh.rois.ac.jp/kmnist/dataset/kmnist/"), Format.IDX, 1, 28, 28, 10,
            List.of("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"), Map.of(
            "train-images-idx3-ubyte.gz", Checksum.md5OfGzipFile("bdb82020997e1d708af4cf47b453dcf7"),
            "train-labels-idx1-ubyte.gz", Checksum.md5OfGzipFile("e144d726b3acfaa3e44228e80efcd344"),
            "t10k-images-idx3-ubyte.gz", Checksum.md5OfGzipFile("5c965bf0a639b31b8f53240b1b52f4d7"),
            "t10k-labels-idx1-ubyte.gz", Checksum.md5OfGzipFile("7320c461ea6c1c855c0b718fb2a4b134")));

    /** The one file CIFAR-10's binary version is published as. */
    public static final String CIFAR10_ARCHIVE = "cifar-10-binary.tar.gz";

    /** The folder the archive unpacks to; its members are {@code cifar-10-batches-bin/data_batch_1.bin}, ... */
    public static final String CIFAR10_FOLDER = "cifar-10-batches-bin";

    /**
     * CIFAR-10, binary version, from its authors' site. Pinned: the archive's published MD5, unchecked here (see
     * above); the download is refused unless the archive matches it.
     */
    public static final DatasetSpec CIFAR_10 = new DatasetSpec("cifar-10",
            URI.create("https://www.cs.toronto.edu/~kriz/"), Format.CIFAR_BINARY, 3, 32, 32, 10,
            List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
            Map.of(CIFAR10_ARCHIVE, Checksum.md5OfGzipFile("c32a1d4ab5d03f1284b67883e8d87530")));

    /** Every data set the {@code dataset} setting can name, by {@link #name}. */
    public static final List<DatasetSpec> KNOWN = List.of(FASHION_MNIST, MNIST, KMNIST, CIFAR_10);

    /**
     * A grey IDX data set of the MNIST family whose classes are named by their label numbers (tests, and sets
     * defined before channels and formats were a spec's).
     */
    public DatasetSpec(String name, URI baseUri, int rows, int cols, int classes, Map<String, Checksum> checksums) {
        this(name, baseUri, Format.IDX, 1, rows, cols, classes, numbers(classes), checksums);
    }

    /**
     * The known data set called {@code name} ({@code fashion-mnist}, {@code mnist}, {@code kmnist},
     * {@code cifar-10}; case does not matter).
     *
     * @throws IllegalArgumentException naming the known sets
     */
    public static DatasetSpec named(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (DatasetSpec spec : KNOWN) {
            if (spec.name.equals(wanted)) {
                return spec;
            }
        }
        throw new IllegalArgumentException("unknown data set '" + name.trim() + "': expected one of "
                + String.join(", ", KNOWN.stream().map(DatasetSpec::name).toList()));
    }

    public DatasetSpec {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("dataset name must be a plain folder name: " + name);
        }
        // URI.resolve drops the last path segment of a base without a trailing slash: demand the slash.
        if (!baseUri.getPath().endsWith("/")) {
            throw new IllegalArgumentException("base URI must end with '/': " + baseUri);
        }
        Objects.requireNonNull(format, "format");
        if (channels <= 0 || rows <= 0 || cols <= 0 || classes <= 0 || classes > 256) {
            throw new IllegalArgumentException("channels, rows, cols and classes must be positive (classes <= 256)");
        }
        classNames = List.copyOf(classNames);
        if (classNames.size() != classes) {
            throw new IllegalArgumentException(name + ": " + classNames.size() + " class names for " + classes
                    + " classes");
        }
        checksums = Map.copyOf(checksums);
    }

    /** The same dataset served from elsewhere (a mirror, or a test's local server). */
    public DatasetSpec withBaseUri(URI uri) {
        return new DatasetSpec(name, uri, format, channels, rows, cols, classes, classNames, checksums);
    }

    /** The same dataset with another checksum table (tests serving synthetic files). */
    public DatasetSpec withChecksums(Map<String, Checksum> table) {
        return new DatasetSpec(name, baseUri, format, channels, rows, cols, classes, classNames, table);
    }

    /** The same dataset under another folder name (tests: a synthetic CIFAR-10 apart from any real one). */
    public DatasetSpec withName(String folder) {
        return new DatasetSpec(folder, baseUri, format, channels, rows, cols, classes, classNames, checksums);
    }

    /**
     * The files that hold one part: for IDX the images and the labels file, for CIFAR-10 the batches
     * ({@code data_batch_1.bin} .. {@code data_batch_5.bin}, or {@code test_batch.bin}), in the order their
     * images are read.
     */
    public List<String> files(Part part) {
        if (format == Format.IDX) {
            return List.of(part.imagesFile(), part.labelsFile());
        }
        if (part == Part.TEST) {
            return List.of("test_batch.bin");
        }
        List<String> batches = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            batches.add("data_batch_" + i + ".bin");
        }
        return List.copyOf(batches);
    }

    /** The data set's name as its authors write it, for titles: Fashion-MNIST, MNIST, KMNIST, CIFAR-10. */
    public String title() {
        return switch (name) {
            case "fashion-mnist" -> "Fashion-MNIST";
            case "mnist" -> "MNIST";
            case "kmnist" -> "KMNIST";
            case "cifar-10" -> "CIFAR-10";
            default -> name;
        };
    }

    /** For messages: e.g. {@code 3x32x32}. */
    public String shapeName() {
        return channels + "x" + rows + "x" + cols;
    }

    private static List<String> numbers(int classes) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < Math.max(0, classes); i++) {
            names.add(Integer.toString(i));
        }
        return names;
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
