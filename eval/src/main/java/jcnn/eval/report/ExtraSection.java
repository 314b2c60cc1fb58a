package jcnn.eval.report;

import java.util.List;

/**
 * A section the report does not know about in advance, appended after the built-in ones: for instance the
 * comparison of the scalar and vector kernel paths, which is measured by another part of the program.
 *
 * <p>Three shapes cover what such a section needs without letting callers inject markup: preformatted text, a
 * table of strings, and figures side by side (PNG images the caller drew). The writer escapes every string in
 * them; there is deliberately no "raw HTML" variant.
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

    /**
     * Figures shown side by side (each path of a comparison, say), each a PNG with its label; the writer embeds
     * them in the page and saves each as {@code file} beside it. {@code note} says what they show; it may be empty,
     * and it also names any figure that could not be drawn.
     */
    record Figures(String title, List<Image> images, String note) implements ExtraSection {
        public Figures {
            requireNonBlank(title);
            images = List.copyOf(images);
            note = note == null ? "" : note;
        }
    }

    /**
     * One figure of {@link Figures}: its file name beside the page (a plain name ending in .png), the PNG, its size
     * in pixels and its label (also the image's alternative text).
     */
    record Image(String file, byte[] png, int width, int height, String label) {
        public Image {
            if (file == null || !file.matches("[A-Za-z0-9._-]+\\.png")) {
                throw new IllegalArgumentException("a figure's file must be a plain name ending in .png: " + file);
            }
            png = png.clone();
            requireNonBlank(label);
        }

        @Override
        public byte[] png() {
            return png.clone();
        }
    }

    private static void requireNonBlank(String title) {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("a section needs a title");
        }
    }
}
