package jcnn.training.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Finds a dataset's files on this machine, or downloads them, and loads them as a {@link Dataset}.
 *
 * <p>Sources, in order; the first folder that holds every requested file wins, so one load never mixes files from
 * two places:
 * <ol>
 *   <li>{@code -Ddata=DIR}: when given, it is the only source. Missing files there are an error, with no
 *       fallback: someone who names a folder wants that folder, not a silent substitute.</li>
 *   <li>{@code data/<name>} in the working directory or the nearest parent that has it: the copy bundled with the
 *       repository, found from the root and from module folders (where Maven runs tests) alike.</li>
 *   <li>The user cache {@code ~/.cache/jcnn/<name>} ({@code -Djcnn.cache=DIR} replaces {@code ~/.cache/jcnn}).</li>
 *   <li>{@code /usr/share/datasets/<name>}, where Debian's {@code dataset-fashion-mnist} package installs.</li>
 *   <li>A download of the missing files into the user cache, over https, each verified before it is moved into
 *       place ({@link Downloader}), with a progress bar on a terminal and a few lines elsewhere
 *       ({@link DownloadProgress}); {@code -Djcnn.download=false} turns this off.</li>
 * </ol>
 * When none of these has the files, one message names the places searched, {@code -Ddata}, the cache folder and
 * where to get the files.
 * In every folder a file may be stored as published ({@code X.gz}) or uncompressed ({@code X}); the reader tells
 * them apart by content. Every load checks the spec's pinned checksums, wherever the file came from.
 */
public final class DataLocator {

    public static final String DATA_PROPERTY = "data";
    public static final String CACHE_PROPERTY = "jcnn.cache";
    public static final String DOWNLOAD_PROPERTY = "jcnn.download";
    public static final Path SYSTEM_ROOT = Path.of("/usr/share/datasets");

    /** Where the files of a load were found. */
    public enum Source { DATA_PROPERTY, BUNDLED, CACHE, SYSTEM, DOWNLOADED }

    /** The outcome of a lookup: the source, and for each published file name the path that holds it. */
    public record Located(Source source, Path dir, Map<String, Path> files) {
        public Path file(String publishedName) {
            return files.get(publishedName);
        }
    }

    private final Path dataDir;
    private final Path workingDir;
    private final Path cacheRoot;
    private final List<Path> systemRoots;
    private final Downloader downloader;

    /**
     * A locator with every input explicit (tests). {@code dataDir} null means no {@code -Ddata};
     * {@code downloader} null means no downloads.
     */
    public DataLocator(Path dataDir, Path workingDir, Path cacheRoot, List<Path> systemRoots, Downloader downloader) {
        this.workingDir = workingDir.toAbsolutePath().normalize();
        this.dataDir = dataDir == null ? null : this.workingDir.resolve(dataDir).normalize();
        this.cacheRoot = cacheRoot.toAbsolutePath().normalize();
        this.systemRoots = List.copyOf(systemRoots);
        this.downloader = downloader;
    }

    /** The locator configured by this JVM's system properties: the one programs should use. */
    public static DataLocator fromSystemProperties() {
        return fromProperties(System.getProperties());
    }

    /** The locator configured by {@code p} ({@code data}, {@code jcnn.cache}, {@code jcnn.download}, user.*). */
    public static DataLocator fromProperties(Properties p) {
        String data = p.getProperty(DATA_PROPERTY, "").trim();
        Path home = Path.of(p.getProperty("user.home", "."));
        String cache = p.getProperty(CACHE_PROPERTY, "").trim();
        boolean download = !"false".equalsIgnoreCase(p.getProperty(DOWNLOAD_PROPERTY, "true").trim());
        String progress = p.getProperty("progress", "").trim();
        Boolean showProgress = progress.isEmpty() ? null : Boolean.valueOf(progress);
        return new DataLocator(
                data.isEmpty() ? null : Path.of(data),
                Path.of(p.getProperty("user.dir", ".")),
                cache.isEmpty() ? home.resolve(".cache").resolve("jcnn") : Path.of(cache),
                List.of(SYSTEM_ROOT),
                download ? Downloader.standard().withProgress(DownloadProgress.forConsole(showProgress)) : null);
    }

    /** Locates and loads one official part (train or test) of a dataset, checking every pinned checksum. */
    public Dataset load(DatasetSpec spec, DatasetSpec.Part part) throws IOException {
        if (spec.format() == DatasetSpec.Format.CIFAR_BINARY) {
            List<String> batches = spec.files(part);
            Located located = locate(spec, part);
            Path archive = located.file(DatasetSpec.CIFAR10_ARCHIVE);
            if (archive != null) {
                return CifarReader.readArchive(archive, batches, spec,
                        spec.checksum(DatasetSpec.CIFAR10_ARCHIVE).orElse(null));
            }
            List<Path> files = new ArrayList<>();
            for (String batch : batches) {
                files.add(located.file(batch));
            }
            return CifarReader.readFiles(files, located.file(CifarReader.META), spec);
        }
        String imagesName = part.imagesFile();
        String labelsName = part.labelsFile();
        Located located = locate(spec, List.of(imagesName, labelsName));
        IdxReader.Images images = IdxReader.readImages(located.file(imagesName), spec.rows(), spec.cols(),
                spec.checksum(imagesName).orElse(null));
        byte[] labels = IdxReader.readLabels(located.file(labelsName), spec.classes(),
                spec.checksum(labelsName).orElse(null));
        return Dataset.of(images, labels, imagesName, labelsName);
    }

    /**
     * Finds the files of one part, in either format: for IDX the images and labels files; for CIFAR-10 a folder
     * holding the part's extracted batches (directly, or in the {@value DatasetSpec#CIFAR10_FOLDER} folder the
     * archive unpacks to; with {@value CifarReader#META} when it is there), else one holding the archive, which
     * is what a download fetches.
     */
    public Located locate(DatasetSpec spec, DatasetSpec.Part part) throws IOException {
        return spec.format() == DatasetSpec.Format.CIFAR_BINARY ? search(spec, new CifarFiles(spec.files(part)))
                : locate(spec, spec.files(part));
    }

    /** Finds a folder holding every one of {@code fileNames} (published names), downloading as a last resort. */
    public Located locate(DatasetSpec spec, List<String> fileNames) throws IOException {
        return search(spec, new PublishedFiles(fileNames));
    }

    /** What a search looks for in each folder, and how it says what is missing. */
    private interface Wanted {
        /** The folder's files, if it holds what is wanted; null when it does not. */
        Located in(Path dir, Source source);

        /** For the message when {@code -Ddata} names a folder without them: what it lacks. */
        String lacks(Path dir);

        /** For the message when no folder has them: everything wanted. */
        String all();

        /** The published files to download into {@code cache}. */
        List<String> downloads(Path cache);
    }

    /** Files as published (each may be stored without .gz), all in one folder: the IDX sets. */
    private record PublishedFiles(List<String> names) implements Wanted {
        @Override
        public Located in(Path dir, Source source) {
            return lookIn(dir, names, source);
        }

        @Override
        public String lacks(Path dir) {
            return missing(dir, names) + " (each may also be stored without .gz)";
        }

        @Override
        public String all() {
            return names.toString();
        }

        @Override
        public List<String> downloads(Path cache) {
            return missing(cache, names);
        }
    }

    /** CIFAR-10's batches, extracted (in the folder or its cifar-10-batches-bin/), or else the archive. */
    private record CifarFiles(List<String> batches) implements Wanted {
        @Override
        public Located in(Path dir, Source source) {
            for (Path folder : List.of(dir, dir.resolve(DatasetSpec.CIFAR10_FOLDER))) {
                Located extracted = lookIn(folder, batches, source);
                if (extracted != null) {
                    Map<String, Path> files = new LinkedHashMap<>(extracted.files());
                    Path meta = folder.resolve(CifarReader.META);
                    if (Files.isRegularFile(meta)) {
                        files.put(CifarReader.META, meta);
                    }
                    return new Located(source, folder, Map.copyOf(files));
                }
            }
            return lookIn(dir, List.of(DatasetSpec.CIFAR10_ARCHIVE), source);
        }

        @Override
        public String lacks(Path dir) {
            return "both the batches " + batches + " (looked for in it and in its " + DatasetSpec.CIFAR10_FOLDER
                    + "/) and " + DatasetSpec.CIFAR10_ARCHIVE;
        }

        @Override
        public String all() {
            return batches + " (extracted) or " + DatasetSpec.CIFAR10_ARCHIVE;
        }

        @Override
        public List<String> downloads(Path cache) {
            return List.of(DatasetSpec.CIFAR10_ARCHIVE);
        }
    }

    private Located search(DatasetSpec spec, Wanted wanted) throws IOException {
        if (dataDir != null) {
            Located located = wanted.in(dataDir, Source.DATA_PROPERTY);
            if (located == null) {
                throw new DataFileException(spec.name() + ": -D" + DATA_PROPERTY + "=" + dataDir + " lacks "
                        + wanted.lacks(dataDir) + "; with -D"
                        + DATA_PROPERTY + " no other place is searched. " + whereToGet(spec));
            }
            return located;
        }
        List<String> searched = new ArrayList<>();
        searched.add("data/" + spec.name() + " in " + workingDir + " and its parents");
        for (Path dir = workingDir; dir != null; dir = dir.getParent()) {
            Path bundled = dir.resolve("data").resolve(spec.name());
            if (Files.isDirectory(bundled)) {
                Located located = wanted.in(bundled, Source.BUNDLED);
                if (located != null) {
                    return located;
                }
            }
        }
        Path cache = cacheRoot.resolve(spec.name());
        searched.add(cache.toString());
        Located cached = wanted.in(cache, Source.CACHE);
        if (cached != null) {
            return cached;
        }
        for (Path root : systemRoots) {
            Path system = root.resolve(spec.name());
            searched.add(system.toString());
            Located located = wanted.in(system, Source.SYSTEM);
            if (located != null) {
                return located;
            }
        }
        if (downloader == null) {
            throw new DataFileException(spec.name() + ": no folder holds all of " + wanted.all() + "; looked in "
                    + String.join(", ", searched) + "; downloading is off (-D" + DOWNLOAD_PROPERTY
                    + "=false). Put the files in " + cache + " or pass -D" + DATA_PROPERTY + "=DIR to name their"
                    + " folder. " + whereToGet(spec));
        }
        for (String name : wanted.downloads(cache)) {
            try {
                downloader.download(spec.uriOf(name), cache, name, spec.checksum(name).orElse(null));
            } catch (DataFileException e) {
                // Offline, a proxy, a server gone: one message that says what to do instead, with the cause.
                throw new DataFileException(spec.name() + ": no folder holds all of " + wanted.all()
                        + " and the download failed (" + e.getMessage() + "); looked in "
                        + String.join(", ", searched) + ". Put the files in " + cache + " or pass -D"
                        + DATA_PROPERTY + "=DIR to name their folder. " + whereToGet(spec), e);
            }
        }
        Located downloaded = wanted.in(cache, Source.DOWNLOADED);
        if (downloaded == null) { // only if someone deleted files under our feet
            throw new DataFileException(spec.name() + ": " + wanted.lacks(cache) + " vanished from " + cache);
        }
        return downloaded;
    }

    /**
     * Where a person gets the files by hand: for Fashion-MNIST, Debian's {@code dataset-fashion-mnist} package
     * (it installs them in {@code /usr/share/datasets/fashion-mnist}, which is searched) and the two official
     * addresses; for another set, its download address.
     */
    static String whereToGet(DatasetSpec spec) {
        if (spec.name().equals(DatasetSpec.FASHION_MNIST.name())) {
            return "The files: Debian's package dataset-fashion-mnist (apt install dataset-fashion-mnist; found in "
                    + SYSTEM_ROOT.resolve(spec.name()) + " without -D" + DATA_PROPERTY + "), or "
                    + DatasetSpec.FASHION_MNIST_HTTPS + " or " + DatasetSpec.FASHION_MNIST_MIRROR + ".";
        }
        if (spec.format() == DatasetSpec.Format.CIFAR_BINARY) {
            return "The file: " + spec.uriOf(DatasetSpec.CIFAR10_ARCHIVE) + " (the binary version; its extracted "
                    + DatasetSpec.CIFAR10_FOLDER + "/ folder works too).";
        }
        return "The files: " + spec.baseUri() + ".";
    }

    /** The folder, if it holds every file (as published or without .gz). */
    private static Located lookIn(Path dir, List<String> fileNames, Source source) {
        Map<String, Path> files = new LinkedHashMap<>();
        for (String name : fileNames) {
            Path file = find(dir, name);
            if (file == null) {
                return null;
            }
            files.put(name, file);
        }
        return new Located(source, dir, Map.copyOf(files));
    }

    /** {@code dir/name}, else {@code dir/name} without its .gz suffix (an uncompressed copy), else null. */
    private static Path find(Path dir, String name) {
        Path published = dir.resolve(name);
        if (Files.isRegularFile(published)) {
            return published;
        }
        if (name.endsWith(".gz")) {
            Path plain = dir.resolve(name.substring(0, name.length() - 3));
            if (Files.isRegularFile(plain)) {
                return plain;
            }
        }
        return null;
    }

    private static List<String> missing(Path dir, List<String> fileNames) {
        return fileNames.stream().filter(name -> find(dir, name) == null).toList();
    }
}
