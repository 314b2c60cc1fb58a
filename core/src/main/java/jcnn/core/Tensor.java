package jcnn.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A float32 tensor with reverse-mode autograd, in the spirit of micrograd: the values, the gradient, and the
 * recipe to push the gradient back to the tensors it was computed from.
 *
 * <p>Layout: a {@code float[]} in contiguous row-major order (NCHW for images) and an {@code int[]} shape. A
 * tensor with shape {@code ()} is a scalar holding one value. There are no strides: a reshape shares its
 * input's array (the same values in the same order), and every other op writes a new one, which keeps every
 * kernel call a plain array call.
 *
 * <p>Autograd: an op (see {@link Ops}) computes its output and, right beside it, registers a {@link Backward}
 * closure that reads the output's gradient and <em>accumulates</em> ({@code +=}) into the gradients of its
 * inputs. {@link #backward()} runs those closures in reverse topological order. Gradients of leaf tensors
 * (parameters, inputs) keep accumulating over calls until {@link #zeroGrad()} is called; that explicit step is
 * what lets a tensor used twice collect both contributions.
 *
 * <p>Non-goals: dtypes other than float32, broadcasting, strided views, higher-order gradients, thread safety of
 * one graph across threads.
 */
public final class Tensor {

    /**
     * Pushes the gradient of an op's output back to the op's inputs. It receives the output's gradient and must
     * add (never assign) into the gradient buffers of the inputs that require one.
     */
    @FunctionalInterface
    public interface Backward {
        void apply(float[] dOut);
    }

    private static final Tensor[] NO_PARENTS = new Tensor[0];
    private static final float[] ONE = {1f};   // the seed of backward() from a scalar; only ever read

    private final int[] shape;
    private final float[] data;
    private float[] grad;
    private boolean requiresGrad;
    private final boolean pooled;   // data came from a BufferPool scope, so the gradient may too

    // The graph: the tensors this one was computed from, and how to send the gradient back to them.
    private final String op;
    private final Tensor[] parents;
    private Backward backward;

    private Tensor(float[] data, int[] shape, String op, Tensor[] parents, boolean requiresGrad) {
        this.shape = shape;
        this.data = data;
        this.op = op;
        this.parents = parents;
        this.requiresGrad = requiresGrad;
        this.pooled = op != null && BufferPool.active();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Factories

    /** A tensor of zeros. */
    public static Tensor zeros(int... shape) {
        int[] s = checkShape(shape);
        return new Tensor(new float[sizeOf(s)], s, null, NO_PARENTS, false);
    }

    /**
     * A tensor over {@code data}, which it uses as is, without copying: later writes to the array are visible
     * in the tensor. The length must be the product of the shape.
     */
    public static Tensor of(float[] data, int... shape) {
        Objects.requireNonNull(data, "data");
        int[] s = checkShape(shape);
        if (data.length != sizeOf(s)) {
            throw new IllegalArgumentException("tensor: " + data.length + " values do not fill shape " + shapeString(s)
                    + " of " + sizeOf(s) + " elements");
        }
        return new Tensor(data, s, null, NO_PARENTS, false);
    }

    /** A scalar, shape {@code ()}. */
    public static Tensor scalar(float value) {
        return of(new float[] {value});
    }

    /**
     * A tensor of independent standard normal values drawn from {@code rng} ({@link java.util.Random},
     * {@link java.util.SplittableRandom} and every other {@link RandomGenerator} work), in row-major order, so
     * the same seed gives the same tensor.
     */
    public static Tensor randn(RandomGenerator rng, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = (float) rng.nextGaussian();
        }
        return t;
    }

    /**
     * The output of an op: zero-filled values of the given shape, linked to {@code parents} when the graph is
     * being recorded and at least one parent requires a gradient. This and {@link #onBackward} are the whole
     * interface for writing an op; see {@link Ops} for examples and {@link GradCheck} to test one. A parent may
     * be null (an absent bias).
     */
    public static Tensor result(String op, int[] shape, Tensor... parents) {
        int[] s = checkShape(shape);
        return link(BufferPool.floats(sizeOf(s)), s, op, parents);
    }

    private static Tensor link(float[] data, int[] shape, String op, Tensor[] parents) {
        boolean needsGrad = false;
        if (NoGrad.isRecording()) {
            for (Tensor p : parents) {
                needsGrad |= p != null && p.requiresGrad;
            }
        }
        return new Tensor(data, shape, op, needsGrad ? parents : NO_PARENTS, needsGrad);
    }

    /**
     * As {@link #result}, but the values are unspecified (a reused array is not zero-filled): for an op whose
     * kernel overwrites every element of its output, which is every forward kernel's contract. The tensor keeps
     * {@code shape} itself, not a copy: the ops pass a new array, which nothing else holds.
     */
    static Tensor resultToOverwrite(String op, int[] shape, Tensor... parents) {
        int[] s = checkOwnedShape(shape);
        return link(BufferPool.floatsToOverwrite(sizeOf(s)), s, op, parents);
    }

    /**
     * An op output that holds {@code source}'s values under another shape of the same size, in the same array:
     * a reshape without a copy. Nothing writes into an op's output after the op, so sharing is safe; the
     * gradient is its own buffer.
     */
    static Tensor sameValues(String op, int[] shape, Tensor source) {
        int[] s = checkOwnedShape(shape);   // a new array from the op, kept as is
        if (sizeOf(s) != source.data.length) {
            throw new IllegalArgumentException(op + ": shape " + shapeString(s) + " does not hold the "
                    + source.data.length + " values of " + source.shapeString());
        }
        return link(source.data, s, op, new Tensor[] {source});
    }

    /**
     * Registers how this op output's gradient flows back to its parents. Does nothing when the output does not
     * require a gradient (no parent needs one, or no graph is being recorded), so ops can call it
     * unconditionally.
     */
    public void onBackward(Backward fn) {
        if (op == null || backward != null) {
            throw new IllegalStateException("onBackward: " + describe() + " is not a fresh op output from result()");
        }
        if (requiresGrad) {
            this.backward = Objects.requireNonNull(fn, "fn");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Accessors

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The size of dimension {@code i}. */
    public int dim(int i) {
        return shape[i];
    }

    /** The number of dimensions; 0 for a scalar. */
    public int rank() {
        return shape.length;
    }

    /** The number of elements. */
    public int size() {
        return data.length;
    }

    /** The values, row-major; the array itself, not a copy (ops and optimizers work on it directly). */
    public float[] data() {
        return data;
    }

    /** The single value of a one-element tensor. */
    public float item() {
        if (data.length != 1) {
            throw new IllegalStateException("item: tensor of shape " + shapeString() + " has " + data.length
                    + " elements, not 1");
        }
        return data[0];
    }

    /** The name of the op that produced this tensor, or null for a tensor made by a factory. */
    public String op() {
        return op;
    }

    /**
     * The tensors this op output was computed from, in the op's argument order (an absent bias is null): the graph
     * as recorded, for reading it (docs/autograd.md draws one training step from it). Empty for a leaf, and for an
     * output recorded without a graph (under {@link NoGrad}, or when no input requires a gradient). A read-only
     * view; the tensors themselves are the graph's own.
     */
    public List<Tensor> inputs() {
        return Collections.unmodifiableList(Arrays.asList(parents));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Gradients

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Marks a leaf tensor (a parameter or an input) as one whose gradient is wanted. Op outputs decide this
     * themselves from their inputs.
     */
    public Tensor requiresGrad(boolean wanted) {
        if (parents.length > 0) {
            throw new IllegalStateException("requiresGrad: " + describe() + " is the output of an op; only leaf tensors"
                    + " can be marked");
        }
        this.requiresGrad = wanted;
        return this;
    }

    /** Whether this tensor is a leaf (a parameter or an input), not the output of an op. */
    public boolean isLeaf() {
        return op == null;
    }

    /**
     * The gradient buffer, the same shape as the data, allocated (as zeros) on first use; null when this tensor
     * does not require a gradient. Backward closures add into it. For a leaf while a {@link GradientRoute} that
     * lists it is open on this thread, the route's buffer instead.
     */
    public float[] grad() {
        if (!requiresGrad) {
            return null;
        }
        if (op == null) {
            float[] routed = GradientRoute.routed(this);   // a data-parallel step's chunk has its own buffers
            if (routed != null) {
                return routed;
            }
        }
        if (grad == null) {
            // An op output made inside a pool scope dies with the step, and so may its gradient; a leaf's
            // gradient (a parameter's) outlives every step and is never pooled.
            grad = pooled ? BufferPool.floats(data.length) : new float[data.length];
        }
        return grad;
    }

    /**
     * For a backward closure that writes every element of this tensor's gradient: when nothing has written that
     * gradient yet, its buffer with unspecified contents, for the closure to assign (the first producer of an op
     * output's gradient, and in a CNN usually the only one: assigning saves filling the buffer with zeros and
     * reading them back); null when the gradient exists already (another consumer has added to it, or it was
     * read, or it is a leaf's, which adds up over passes), and then the closure adds into {@link #grad()}. The
     * values it assigns must be those that adding into zeros gives, bit for bit.
     */
    public float[] gradToAssign() {
        if (!requiresGrad || op == null || grad != null) {
            return null;
        }
        grad = pooled ? BufferPool.floatsToOverwrite(data.length) : new float[data.length];
        return grad;
    }

    /** Sets the gradient to zero (the explicit step between training iterations). */
    public void zeroGrad() {
        if (grad != null) {
            Arrays.fill(grad, 0f);
        }
    }

    /**
     * Backpropagates from this one-element tensor (usually the loss): its gradient is seeded with 1 and every
     * tensor it was computed from that requires a gradient receives d(this)/d(tensor), added to what it held.
     */
    public void backward() {
        if (data.length != 1) {
            throw new IllegalStateException("backward: " + describe() + " is not a scalar; pass the output gradient with"
                    + " backward(gradient)");
        }
        runBackward(ONE);
    }

    /**
     * Backpropagates from a tensor of any shape, given d(loss)/d(this) (PyTorch's {@code y.backward(grad_y)}).
     */
    public void backward(Tensor gradient) {
        if (!Arrays.equals(gradient.shape, shape)) {
            throw new IllegalArgumentException("backward: gradient " + gradient.shapeString() + " does not match tensor "
                    + shapeString());
        }
        runBackward(gradient.data);
    }

    private void runBackward(float[] seed) {
        if (!requiresGrad) {
            throw new IllegalStateException("backward: " + describe() + " does not require a gradient (no input of it"
                    + " requires one, or it was computed under NoGrad)");
        }
        List<Tensor> order = topologicalOrder();
        // The gradient of an intermediate tensor belongs to one backward pass: clear it so that running backward
        // twice over the same graph gives each leaf the same contribution twice, not a growing one.
        for (Tensor t : order) {
            if (t.backward != null) {
                t.zeroGrad();
            }
        }
        float[] g = grad();
        for (int i = 0; i < g.length; i++) {
            g[i] += seed[i];
        }
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor t = order.get(i);
            if (t.backward == null) {
                continue;
            }
            t.backward.apply(t.grad());
            for (Tensor p : t.parents) {
                // Kernels write straight into the parents' buffers, so a wrong size would be a bug in an op.
                if (p != null && p.grad != null && p.grad.length != p.data.length) {
                    throw new IllegalStateException("backward of " + t.op + ": gradient of " + p.describe() + " has "
                            + p.grad.length + " elements");
                }
            }
        }
        order.clear();   // the list is the thread's reusable one: let the graph go
    }

    /**
     * The working sets of {@link #topologicalOrder}, kept per thread and cleared between passes: a training step
     * runs one backward pass, and rebuilding these collections each time would be most of what it allocates.
     */
    private static final class Traversal {
        final List<Tensor> order = new ArrayList<>();
        final Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        final Deque<Tensor> stack = new ArrayDeque<>();
        final Deque<Integer> nextParent = new ArrayDeque<>();   // small Integers are cached: no boxing garbage
    }

    private static final ThreadLocal<Traversal> TRAVERSAL = ThreadLocal.withInitial(Traversal::new);

    /**
     * Every tensor this one depends on that requires a gradient, each after all of its parents (depth-first
     * post-order). Iterative, with an explicit stack, so a graph thousands of ops deep cannot overflow the
     * Java call stack. The returned list is the thread's reusable one: valid until the next backward pass.
     */
    private List<Tensor> topologicalOrder() {
        Traversal w = TRAVERSAL.get();
        List<Tensor> order = w.order;
        Set<Tensor> visited = w.visited;
        Deque<Tensor> stack = w.stack;
        Deque<Integer> nextParent = w.nextParent;
        order.clear();
        visited.clear();
        stack.clear();
        nextParent.clear();
        stack.push(this);
        nextParent.push(0);
        visited.add(this);
        while (!stack.isEmpty()) {
            Tensor t = stack.peek();
            int i = nextParent.pop();
            if (i < t.parents.length) {
                nextParent.push(i + 1);
                Tensor p = t.parents[i];
                if (p != null && p.requiresGrad && visited.add(p)) {
                    stack.push(p);
                    nextParent.push(0);
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        visited.clear();   // do not keep the graph reachable from the thread after the pass
        return order;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Shapes

    /** The shape as PyTorch prints it in error messages, e.g. {@code (2,3,8,8)}. */
    public String shapeString() {
        return shapeString(shape);
    }

    /**
     * A shape as every message in jcnn writes it, e.g. {@code (2,3,8,8)}, {@code (16)} or {@code ()}: the one
     * formatter, used by layers, file readers and writers alike.
     */
    public static String shapeString(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? "," : "").append(shape[i]);
        }
        return sb.append(')').toString();
    }

    private static int[] checkShape(int[] shape) {
        return checkOwnedShape(shape).clone();
    }

    /** {@code shape} itself once it is valid: for a new array that the tensor may keep (a copy is garbage). */
    private static int[] checkOwnedShape(int[] shape) {
        Objects.requireNonNull(shape, "shape");
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor: negative dimension in shape " + shapeString(shape));
            }
        }
        sizeOf(shape);
        return shape;
    }

    /** The number of elements of a shape; an IllegalArgumentException when it does not fit a Java array. */
    static int sizeOf(int[] shape) {
        for (int d : shape) {
            if (d == 0) {
                // (70000, 70000, 0) is empty, not too large: PyTorch writes such shapes, so safetensors reads them
                return 0;
            }
        }
        long size = 1;
        for (int d : shape) {
            size *= d;
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("tensor: shape " + shapeString(shape) + " is too large for one array");
            }
        }
        return (int) size;
    }

    /**
     * The tensor as PyTorch prints it, then its shape and where it came from, e.g.
     * <pre>
     * tensor([[ 1.0000, -2.5000],
     *         [ 3.0000,  0.5000]], shape=(2,2), requiresGrad=true)
     * tensor([ 2., -5.], shape=(2), grad_fn=&lt;mul&gt;)
     * tensor(3.5000, shape=(), op=sum)
     * </pre>
     * Values use PyTorch's default print options (4 decimals, scientific notation for wide ranges; more than
     * 1000 elements are summarised with {@code ...}, 3 items at each end of every long dimension). The suffix
     * follows PyTorch too: an op output in a recorded graph names its op as {@code grad_fn} (which implies that it
     * requires a gradient), a leaf whose gradient is wanted says {@code requiresGrad=true}, and an op output with
     * no graph behind it (computed under {@link NoGrad}, or from inputs that need no gradient) names its op only.
     * Error messages use the short form {@code Tensor(2,2) from mul} instead.
     */
    @Override
    public String toString() {
        String suffix = ", shape=" + shapeString();
        if (op != null) {
            suffix += requiresGrad ? ", grad_fn=<" + op + ">" : ", op=" + op;
        } else if (requiresGrad) {
            suffix += ", requiresGrad=true";
        }
        return TensorFormat.values(data, shape) + suffix + ")";
    }

    /** The short form for messages: {@code Tensor(2,3) from mul requiresGrad}, no values. */
    String describe() {
        return "Tensor" + shapeString() + (op != null ? " from " + op : "") + (requiresGrad ? " requiresGrad" : "");
    }
}
