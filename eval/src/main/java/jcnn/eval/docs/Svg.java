package jcnn.eval.docs;

import java.util.Locale;

/**
 * Just enough SVG for the teaching guide's generated figures, written with integer coordinates and fixed formatting
 * so that the same input always gives the same bytes, and a test can compare a committed figure with a fresh one.
 */
final class Svg {

    /** The fonts of every figure, in order of preference. */
    static final String FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";

    private final StringBuilder sb = new StringBuilder();

    Svg(int width, int height) {
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"").append(FONT).append("\">\n");
        sb.append("<defs><marker id=\"head\" markerWidth=\"10\" markerHeight=\"8\" refX=\"9\" refY=\"4\""
                + " orient=\"auto\"><path d=\"M0,0 L10,4 L0,8 z\" fill=\"#333333\"/></marker></defs>\n");
        sb.append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" fill=\"#ffffff\"/>\n");
    }

    void rect(int x, int y, int w, int h, String fill, double opacity, String stroke) {
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"",
                x, y, w, h, fill));
        if (opacity != 1) {
            sb.append(String.format(Locale.ROOT, " fill-opacity=\"%.2f\"", opacity));
        }
        sb.append(" stroke=\"").append(stroke).append("\"/>\n");
    }

    void text(int x, int y, String text, int size, String anchor, boolean bold) {
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" text-anchor=\"%s\"%s>",
                x, y, size, anchor, bold ? " font-weight=\"bold\"" : ""));
        sb.append(escape(text)).append("</text>\n");
    }

    void arrow(int x1, int y1, int x2, int y2) {
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333333\""
                + " stroke-width=\"2\" marker-end=\"url(#head)\"/>\n", x1, y1, x2, y2));
    }

    /** A box with rounded corners. */
    void box(int x, int y, int w, int h, String fill, String stroke, boolean dashed) {
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\""
                + " fill=\"%s\" stroke=\"%s\" stroke-width=\"1.5\"%s/>\n", x, y, w, h, fill, stroke,
                dashed ? " stroke-dasharray=\"5,3\"" : ""));
    }

    /** Text in a colour of its own. */
    void text(int x, int y, String text, int size, String anchor, boolean bold, String fill) {
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" text-anchor=\"%s\"%s"
                + " fill=\"%s\">", x, y, size, anchor, bold ? " font-weight=\"bold\"" : "", fill));
        sb.append(escape(text)).append("</text>\n");
    }

    /** A polyline through the points (x1, y1, x2, y2, ...) ending in an arrow head. */
    void arrowPath(String stroke, boolean dashed, int... points) {
        StringBuilder d = new StringBuilder();
        for (int i = 0; i < points.length; i += 2) {
            d.append(i == 0 ? "M" : " L").append(points[i]).append(',').append(points[i + 1]);
        }
        sb.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(stroke)
                .append("\" stroke-width=\"1.5\"").append(dashed ? " stroke-dasharray=\"5,3\"" : "")
                .append(" marker-end=\"url(#head)\"/>\n");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    String end() {
        return sb.append("</svg>\n").toString();
    }
}
