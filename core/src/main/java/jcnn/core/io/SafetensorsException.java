package jcnn.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A safetensors file that does not follow the format, or a request its contents cannot satisfy. The message
 * names the file and the field at fault, e.g.
 * {@code model.safetensors: fc1.weight.data_offsets: [0, 400] holds 100 values but shape (128,1568) needs 200704}.
 */
public final class SafetensorsException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String field;

    public SafetensorsException(Path file, String field, String problem) {
        super(file + ": " + field + ": " + problem);
        this.file = file;
        this.field = field;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }

    /** The field at fault: {@code header length}, {@code header}, {@code <tensor>.dtype}, {@code __metadata__}... */
    public String field() {
        return field;
    }
}
