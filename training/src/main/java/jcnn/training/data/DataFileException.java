package jcnn.training.data;

import java.io.IOException;

/**
 * A data file that is not what it must be: wrong magic, impossible or mismatched dimensions, truncated or trailing
 * bytes, a label out of range, a checksum mismatch, or a file that cannot be found where it was asked for.
 *
 * <p>It is an {@link IOException} so callers that already handle I/O failures need nothing new. The message always
 * starts with the file's name and says which field was wrong and what was expected, e.g.
 * {@code t10k-labels-idx1-ubyte.gz: magic 0x00000803, expected 0x00000801 (labels)}: the person reading it should
 * not need a debugger to learn which file to replace.
 */
public class DataFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public DataFileException(String message) {
        this(message, null, null);
    }

    public DataFileException(String message, Throwable cause) {
        this(message, null, cause);
    }

    DataFileException(String message, String field, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    /**
     * The field at fault as the message names it ({@code magic}, {@code count}, {@code data size},
     * {@code label[3]}, {@code gzip data}...), or null when the problem is not one field's (a missing folder, a
     * failed download).
     */
    public String field() {
        return field;
    }

    /** {@code file: field actual, expected expected}: the one message shape every format check uses. */
    static DataFileException field(String file, String field, Object actual, Object expected) {
        return new DataFileException(file + ": " + field + " " + actual + ", expected " + expected, field, null);
    }
}
