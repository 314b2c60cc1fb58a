package jcnn.eval.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A weight file that cannot be used as asked: unreadable, or a dataset missing, unexpected, of the wrong dtype or
 * of the wrong shape. The message names the file, the dataset and what was expected, because the usual cause is
 * the wrong file or the wrong model, and the fix starts with knowing which.
 */
public final class WeightFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String dataset;

    WeightFileException(Path file, String dataset, String problem, Throwable cause) {
        super(file + (dataset == null ? "" : ": dataset '" + dataset + "'") + ": " + problem, cause);
        this.file = file;
        this.dataset = dataset;
    }

    WeightFileException(Path file, String dataset, String problem) {
        this(file, dataset, problem, null);
    }

    public Path file() {
        return file;
    }

    /** The dataset at fault, or null when the file as a whole is. */
    public String dataset() {
        return dataset;
    }
}
