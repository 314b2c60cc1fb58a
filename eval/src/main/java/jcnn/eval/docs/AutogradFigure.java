package jcnn.eval.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import jcnn.core.Engine;
import jcnn.core.Tensor;
import jcnn.kernels.ScalarKernels;
import jcnn.training.Losses;
import jcnn.training.nn.SeedCnn;
import jcnn.training.nn.Sequential;

/**
 * Draws {@code docs/images/autograd-graph.svg}, the graph of one training step of the seed CNN in
 * {@code docs/autograd.md}, from the graph jcnn really records: the seed CNN's forward pass on a batch of 64 and
 * the trainer's loss ({@link Losses#crossEntropy}), then a walk from the loss over {@link Tensor#inputs()}, which
 * names every node by {@link Tensor#op()}, its shape and, for a parameter, the model's own name for it. Nothing in
 * the picture is typed in by hand: change the model or an op (fuse two, say) and the figure changes with it, and
 * its test fails until the committed file is regenerated.
 *
 * <p>The walk is the one {@code Tensor.backward} makes (depth first, inputs in argument order, each tensor after
 * all of its inputs), except that it also keeps the input batch, which needs no gradient and which backward
 * therefore never visits. The backward pass runs the op closures in the reverse of that order; the figure numbers
 * each op both ways.
 *
 * <p>Run {@code main} with the output path (default {@code docs/images/autograd-graph.svg}) to regenerate it.
 */
public final class AutogradFigure {

    /** The batch the figure is drawn for: the trainer's default. */
    static final int BATCH = 64;

    private static final String OP_FILL = "#DCEBF7", OP_STROKE = "#0072B2";
    private static final String PARAM_FILL = "#FBE9CF", PARAM_STROKE = "#E69F00";
    private static final String DATA_FILL = "#EEEEEE", DATA_STROKE = "#777777";
    private static final String GRADIENT = "#CC79A7";

    /** One tensor of the graph. */
    record Node(Tensor tensor, String label, Kind kind, List<Node> inputs) {
    }

    enum Kind { OP, PARAMETER, DATA }

    /** The graph's tensors in walk order: each after all of its inputs, the loss last. */
    private final List<Node> nodes;

    private AutogradFigure(List<Node> nodes) {
        this.nodes = nodes;
    }

    /** Records one forward pass and loss of the seed CNN on the scalar kernels, and reads its graph. */
    @SuppressWarnings("try")   // the kernels scope is used for its open/close
    public static AutogradFigure compute() {
        Sequential model = SeedCnn.create(new SplittableRandom(0));
        Map<Tensor, String> names = new IdentityHashMap<>();
        model.namedParameters().forEach((name, t) -> names.put(t, name));
        try (Engine.Scope scope = Engine.using(new ScalarKernels())) {
            Tensor x = Tensor.zeros(BATCH, SeedCnn.INPUT_SHAPE[0], SeedCnn.INPUT_SHAPE[1], SeedCnn.INPUT_SHAPE[2]);
            Tensor loss = Losses.crossEntropy(model.forward(x), new int[BATCH], 0);
            return new AutogradFigure(walk(loss, names));
        }
    }

    /** Depth-first post-order over {@link Tensor#inputs()}, iterative, as {@code Tensor.backward} walks it. */
    static List<Node> walk(Tensor root, Map<Tensor, String> names) {
        Map<Tensor, Node> done = new IdentityHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Node> order = new ArrayList<>();
        Deque<Tensor> stack = new ArrayDeque<>();
        Deque<Integer> next = new ArrayDeque<>();
        stack.push(root);
        next.push(0);
        seen.add(root);
        while (!stack.isEmpty()) {
            Tensor t = stack.peek();
            int i = next.pop();
            List<Tensor> inputs = t.inputs();
            if (i < inputs.size()) {
                next.push(i + 1);
                Tensor p = inputs.get(i);
                if (p != null && seen.add(p)) {
                    stack.push(p);
                    next.push(0);
                }
            } else {
                stack.pop();
                List<Node> in = new ArrayList<>();
                for (Tensor p : inputs) {
                    if (p != null) {
                        in.add(done.get(p));
                    }
                }
                Kind kind = t.op() != null ? Kind.OP : t.requiresGrad() ? Kind.PARAMETER : Kind.DATA;
                String label = kind == Kind.OP ? t.op() : names.getOrDefault(t, kind == Kind.DATA ? "x (the batch)"
                        : "a leaf");
                Node node = new Node(t, label, kind, List.copyOf(in));
                done.put(t, node);
                order.add(node);
            }
        }
        return List.copyOf(order);
    }

    /** Writes the SVG to {@code args[0]}, by default {@code docs/images/autograd-graph.svg}. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/images/autograd-graph.svg");
        Files.writeString(out, compute().svg(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    /** The graph's tensors in walk order. */
    List<Node> nodes() {
        return nodes;
    }

    /** The op outputs in walk order: the order their forward ran; backward runs their closures in reverse. */
    List<Node> ops() {
        return nodes.stream().filter(n -> n.kind == Kind.OP).toList();
    }

    /**
     * The order {@code Tensor.backward} computes, as docs/autograd.md quotes it: the tensors that require a
     * gradient, numbered, with their shapes, in two columns.
     */
    public String order() {
        List<String> entries = new ArrayList<>();
        for (Node n : nodes) {
            if (n.tensor.requiresGrad()) {
                entries.add(String.format(Locale.ROOT, "%2d %-16s %s", entries.size() + 1, n.label,
                        n.tensor.shapeString()));
            }
        }
        int half = (entries.size() + 1) / 2;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < half; i++) {
            String left = entries.get(i);
            sb.append(i + half < entries.size() ? String.format(Locale.ROOT, "%-36s%s", left, entries.get(i + half))
                    : left).append('\n');
        }
        return sb.toString();
    }

    /** The layer an op belongs to, from the names of its parameters ("conv1" for conv1.weight); "" when none. */
    private static String layer(Node op) {
        for (Node in : op.inputs) {
            if (in.kind == Kind.PARAMETER && in.label.contains(".")) {
                return in.label.substring(0, in.label.indexOf('.'));
            }
        }
        return "";
    }

    // ---------------------------------------------------------------------------------------------------------
    // The picture

    private static final int ROW = 66, BOX_H = 40, MAIN_X = 200, MAIN_W = 250, PARAM_X = 500, PARAM_W = 150;
    private static final int PARAM_H = 26, TOP = 104;

    /** The figure as an SVG document: the data and the op outputs down the middle, parameters beside their op. */
    public String svg() {
        // Rows: the input batch and every op output each take one, in walk order; parameters sit in the row of
        // the op that reads them.
        Map<Node, Integer> row = new LinkedHashMap<>();
        for (Node n : nodes) {
            if (n.kind != Kind.PARAMETER) {
                row.put(n, row.size());
            }
        }
        List<Node> ops = ops();
        int rows = row.size();
        int legendY = TOP + rows * ROW + 10;
        Svg s = new Svg(880, legendY + 118);
        s.text(20, 30, "One training step of the seed CNN, as jcnn records it (batch " + BATCH + ")", 18, "start",
                true);
        s.text(20, 52, "Drawn by jcnn.eval.docs.AutogradFigure from the Tensor graph of model.forward(x) and the"
                + " trainer's loss: each node is a tensor, named by", 12, "start", false);
        s.text(20, 68, "Tensor.op() or by the model's parameter name, each arrow an entry of Tensor.inputs()."
                + " Backward runs the op closures from the bottom up.", 12, "start", false);
        s.text(MAIN_X - 40, TOP - 14, "forward / backward", 11, "end", true, "#555555");

        Map<Node, Integer> paramsPlaced = new IdentityHashMap<>();
        for (Node n : row.keySet()) {
            int y = TOP + row.get(n) * ROW;
            boolean op = n.kind == Kind.OP;
            s.box(MAIN_X, y, MAIN_W, BOX_H, op ? OP_FILL : DATA_FILL, op ? OP_STROKE : DATA_STROKE, !op);
            String layer = op ? layer(n) : "";
            s.text(MAIN_X + MAIN_W / 2, y + 17, n.label + (layer.isEmpty() ? "" : "  (" + layer + ")"), 14,
                    "middle", true);
            s.text(MAIN_X + MAIN_W / 2, y + 33, n.tensor.shapeString() + (op ? "" : ", no gradient"), 12,
                    "middle", false);
            if (op) {
                int forward = ops.indexOf(n) + 1, backward = ops.size() - forward + 1;
                s.text(MAIN_X - 40, y + 25, forward + " / " + backward, 12, "end", false, "#555555");
            }
            // Arrows from the inputs: an op or the batch above comes straight down (or round the left side when
            // it is not the row just above); a parameter comes in from the right.
            int params = 0;
            for (Node in : n.inputs) {
                if (in.kind == Kind.PARAMETER) {
                    int px = PARAM_X + params * (PARAM_W + 16);
                    if (!paramsPlaced.containsKey(in)) {
                        paramsPlaced.put(in, y);
                        s.box(px, y - 6, PARAM_W, PARAM_H, PARAM_FILL, PARAM_STROKE, false);
                        s.text(px + PARAM_W / 2, y + 12, in.label + " " + in.tensor.shapeString(), 11, "middle",
                                false);
                    }
                    s.arrowPath("#333333", false, px + PARAM_W / 2, y + PARAM_H - 6, px + PARAM_W / 2, y + 32,
                            MAIN_X + MAIN_W + 2, y + 32);
                    params++;
                } else {
                    int from = row.get(in), fy = TOP + from * ROW + BOX_H;
                    if (from == row.get(n) - 1) {
                        s.arrowPath("#333333", false, MAIN_X + MAIN_W / 2, fy, MAIN_X + MAIN_W / 2, y - 2);
                    } else {
                        s.arrowPath("#333333", false, MAIN_X + 20, fy, MAIN_X + 20, fy + 10, MAIN_X - 12, fy + 10,
                                MAIN_X - 12, y + BOX_H / 2, MAIN_X - 2, y + BOX_H / 2);
                    }
                }
            }
        }
        // The gradient's way back, up the left side of the column, from the loss to the first op.
        int gx = MAIN_X - 14;
        s.arrowPath(GRADIENT, true, gx, TOP + (rows - 1) * ROW + BOX_H, gx, TOP + ROW + 2);
        s.text(gx - 4, TOP + rows * ROW - 8, "backward", 12, "end", true, GRADIENT);

        // The legend.
        s.box(40, legendY, 28, 18, OP_FILL, OP_STROKE, false);
        s.text(76, legendY + 14, "an op's output: one backward closure, run in the order on the left ("
                + ops.size() + " of them)", 12, "start", false);
        s.box(40, legendY + 28, 28, 18, PARAM_FILL, PARAM_STROKE, false);
        s.text(76, legendY + 42, "a parameter: a leaf; backward leaves its gradient in .grad (" + paramsPlaced.size()
                + " of them)", 12, "start", false);
        s.box(40, legendY + 56, 28, 18, DATA_FILL, DATA_STROKE, true);
        s.text(76, legendY + 70, "the input batch: data, no gradient, so the first convolution computes no dx",
                12, "start", false);
        s.text(40, legendY + 98, "The labels are an int[" + BATCH + "] that cross_entropy reads, not a tensor of"
                + " the graph.", 12, "start", false, "#555555");
        return s.end();
    }
}
