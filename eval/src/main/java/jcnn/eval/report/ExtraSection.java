package jcnn.eval.report;

import java.util.List;

/**
 * A section the report does not know about in advance, appended after the built-in ones: for instance the
 * comparison of the scalar and vector kernel paths, which is measured by another part of the program.
 *
 * <p>Two shapes cover what such a section needs without letting callers inject markup: preformatted text, and a
 * table of strings. The writer escapes everything in both; there is deliberately no "raw HTML" variant.
 */
public sealed interface ExtraSection {

    /** The section heading. */
    String title();

    /** Text shown as is, in a monospace block: aligned console tables, diffs, logs. */
    record Text(String title, String text) implements ExtraSection {
        public Text {
            requireNonBlank(title);
            if (text == null) {
                throw new IllegalArgumentException("text must not be null");
            }
        }
    }

    /**
     * A table with one header row. Every row must have as many cells as the header. {@code note} is a sentence
     * under the table (what the numbers mean, how they were measured); it may be empty.
     */
    record Table(String title, List<String> header, List<List<String>> rows, String note) implements ExtraSection {
        public Table {
            requireNonBlank(title);
            header = List.copyOf(header);
            rows = rows.stream().map(List::copyOf).toList();
            for (int r = 0; r < rows.size(); r++) {
                if (rows.get(r).size() != header.size()) {
                    throw new IllegalArgumentException("table '" + title + "': row " + r + " has "
                            + rows.get(r).size() + " cells, the header has " + header.size());
                }
            }
            note = note == null ? "" : note;
        }
    }

    private static void requireNonBlank(String title) {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("a section needs a title");
        }
    }
}
