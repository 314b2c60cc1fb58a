package jcnn.eval.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A weight file that cannot be used as asked: unreadable or corrupt, or a dataset missing, unexpected, of the wrong
 * dtype or of the wrong shape. The message names the file, the dataset and what was expected, because the usual
 * cause is the wrong file or the wrong model, and the fix starts with knowing which.
 */
public final class WeightFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String dataset;
    private final String field;

    WeightFileException(Path file, String dataset, String field, String problem, Throwable cause) {
        super(file + (dataset == null ? "" : ": dataset '" + dataset + "'") + ": " + problem, cause);
        this.file = file;
        this.dataset = dataset;
        this.field = field;
    }

    WeightFileException(Path file, String dataset, String field, String problem) {
        this(file, dataset, field, problem, null);
    }

    /** A value at fault: the message is whole ({@code FILE: conv1.weight[0] is NaN}), the field is the element. */
    WeightFileException(Path file, String element, String message) {
        super(message);
        this.file = file;
        this.dataset = element.substring(0, element.indexOf('['));
        this.field = element;
    }

    public Path file() {
        return file;
    }

    /** The dataset at fault, or null when the file as a whole is. */
    public String dataset() {
        return dataset;
    }

    /**
     * The part of the file at fault: {@code file}, {@code superblock} or {@code group} for the file's structure;
     * for a dataset, its {@code name}, {@code dtype}, {@code shape}, {@code chunk shape}, {@code filters} or
     * {@code data}.
     */
    public String field() {
        return field;
    }
}
