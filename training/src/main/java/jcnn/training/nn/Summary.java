package jcnn.training.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model summary in the style of the {@code torchsummary} table the seed notebook printed: one row per layer with
 * its output shape and parameter count, then the totals.
 * <pre>
 * Layer (type)                 Output Shape         Param #
 * ==========================================================
 * conv1 (Conv2d)               [-1, 16, 28, 28]         160
 * relu1 (ReLU)                 [-1, 16, 28, 28]           0
 * ...
 * ==========================================================
 * Total params: 206,922
 * </pre>
 * Shapes come from {@link Module#outputShape}, so a summary costs no computation and needs no kernels; the batch
 * dimension is shown as -1, as torchsummary does. {@link Sequential} models are expanded layer by layer (nested
 * ones too); any other module is one row.
 *
 * @param rows  the layers, in order
 * @param total the number of trainable values
 */
public record Summary(List<Row> rows, long total) {

    /** One layer: its dotted name, type, output shape (batch 1) and own parameter count. */
    public record Row(String name, String type, int[] outputShape, long parameters) {
    }

    /** The summary of {@code model} for inputs of shape {@code inputShape} (one image, without the batch). */
    public static Summary of(Module model, int... inputShape) {
        int[] shape = new int[inputShape.length + 1];
        shape[0] = 1;
        System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
        List<Row> rows = new ArrayList<>();
        walk("", model, shape, rows);
        return new Summary(List.copyOf(rows), model.parameterCount());
    }

    private static int[] walk(String name, Module m, int[] input, List<Row> rows) {
        if (m instanceof Sequential) {
            int[] shape = input;
            for (Map.Entry<String, Module> child : m.children().entrySet()) {
                String childName = name.isEmpty() ? child.getKey() : name + "." + child.getKey();
                try {
                    shape = walk(childName, child.getValue(), shape, rows);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("layer '" + childName + "': " + e.getMessage(), e);
                }
            }
            return shape;
        }
        int[] out = m.outputShape(input);
        rows.add(new Row(name, m.typeName(), out, m.parameterCount()));
        return out;
    }

    /** The table, ready to print. */
    public String table() {
        String format = "%-28s %-20s %10s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, format, "Layer (type)", "Output Shape", "Param #"));
        String rule = "=".repeat(60) + System.lineSeparator();
        sb.append(rule);
        for (Row r : rows) {
            StringBuilder s = new StringBuilder("[-1");
            for (int i = 1; i < r.outputShape().length; i++) {
                s.append(", ").append(r.outputShape()[i]);
            }
            s.append(']');
            sb.append(String.format(Locale.ROOT, format, r.name() + " (" + r.type() + ")", s,
                    String.format(Locale.ROOT, "%,d", r.parameters())));
        }
        sb.append(rule);
        sb.append(String.format(Locale.ROOT, "Total params: %,d%n", total));
        sb.append(String.format(Locale.ROOT, "Trainable params: %,d%n", total));
        sb.append(String.format(Locale.ROOT, "Non-trainable params: 0%n"));
        return sb.toString();
    }

    @Override
    public String toString() {
        return table();
    }
}
