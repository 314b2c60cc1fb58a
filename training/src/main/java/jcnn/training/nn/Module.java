package jcnn.training.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import jcnn.core.Tensor;

/**
 * A layer or a model: a function {@link #forward(Tensor)} built from {@link jcnn.core.Ops}, plus the named
 * parameters it owns and the named sub-modules it is made of, in the manner of PyTorch's {@code nn.Module}.
 *
 * <p>Goals: parameter names that match PyTorch's exactly ({@code conv1.weight}, {@code fc2.bias}), so weights move
 * between the two by name; a fixed, documented parameter order (own parameters first, then each child's, in
 * registration order, as PyTorch's {@code named_parameters()}), which is also the order optimizers step in and
 * initialisation draws in; copying the weights out ({@link #state()}) and in ({@link #loadState}) with shape
 * checks that say which tensor is wrong.
 *
 * <p>Buffers: tensors a layer keeps and saves with its weights but does not train, PyTorch's
 * {@code register_buffer} (batch normalisation's {@code running_mean}, {@code running_var} and
 * {@code num_batches_tracked}). They are named like parameters and follow them in {@link #state()} (own buffers
 * after own parameters, then each child's, as in PyTorch's {@code state_dict()}); optimizers never see them. A
 * buffer that PyTorch keeps as int64 is registered with {@link #addIntegerBuffer}: in memory it is a float32
 * tensor holding a whole number (exact up to 2^24), and {@link Weights} writes it as I64.
 *
 * <p>Modes: {@link #train()} and {@link #eval()}, as in PyTorch, set the mode of this module and every
 * sub-module; a new module is in training mode. Batch normalisation and dropout behave differently in the two;
 * the other layers ignore the mode. The trainer trains in training mode and validates in evaluation mode; the
 * evaluator evaluates in evaluation mode. Layers that draw random numbers (dropout) are reseeded through
 * {@link #seedRandom}, which the trainer calls before every step so that a run, resumed or not, draws the same.
 *
 * <p>Non-goals: hooks, devices.
 */
public abstract class Module {

    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> integerBuffers = new HashSet<>();
    private boolean training = true;

    /** Runs the layer on a batch; records the autograd graph unless a {@link jcnn.core.NoGrad} scope is open. */
    public abstract Tensor forward(Tensor x);

    /**
     * The shape {@link #forward} returns for an input of shape {@code input} (batch dimension included), without
     * computing anything: the model summary uses it, and a chain of layers that cannot fit together fails here
     * with the numbers in the message.
     *
     * @throws IllegalArgumentException when this layer cannot take an input of that shape
     */
    public abstract int[] outputShape(int[] input);

    /** The type name shown in summaries, {@code Conv2d} for example. */
    public String typeName() {
        return getClass().getSimpleName();
    }

    /**
     * Whether each sample's output depends on that sample alone, and on nothing that changes from call to call
     * (no batch statistics, no random draws): then a batch may be split into smaller ones and the outputs joined,
     * with the same values bit for bit, which {@link Sequential} does for large inference batches. False unless a
     * layer says otherwise; the seed CNN's layers do.
     */
    public boolean independentPerSample() {
        return false;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Registration, for subclasses

    /** Registers a parameter under {@code name} (no dots) and marks it as requiring a gradient. */
    protected final Tensor addParameter(String name, Tensor parameter) {
        checkName(name);
        Objects.requireNonNull(parameter, "parameter");
        parameter.requiresGrad(true);
        parameters.put(name, parameter);
        return parameter;
    }

    /** Registers a buffer under {@code name} (no dots): saved and loaded with the weights, never trained. */
    protected final Tensor addBuffer(String name, Tensor buffer) {
        checkName(name);
        Objects.requireNonNull(buffer, "buffer");
        if (buffer.requiresGrad()) {
            throw new IllegalArgumentException("buffer '" + name + "' must not require a gradient");
        }
        buffers.put(name, buffer);
        return buffer;
    }

    /**
     * Registers a buffer that PyTorch keeps as int64 (a counter such as {@code num_batches_tracked}): a float32
     * tensor here, holding whole numbers, written to and read from files as I64.
     */
    protected final Tensor addIntegerBuffer(String name, Tensor buffer) {
        addBuffer(name, buffer);
        integerBuffers.add(name);
        return buffer;
    }

    /** Registers a sub-module under {@code name} (no dots); its parameters appear as {@code name.param}. */
    protected final <M extends Module> M addModule(String name, M module) {
        checkName(name);
        Objects.requireNonNull(module, "module");
        if (module == this) {
            throw new IllegalArgumentException("a module cannot contain itself (" + name + ")");
        }
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module and parameter names must be non-empty and dot-free, got '"
                    + name + "'");
        }
        if (parameters.containsKey(name) || children.containsKey(name) || buffers.containsKey(name)) {
            throw new IllegalArgumentException("the name '" + name + "' is already used in this " + typeName());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Parameters

    /**
     * Every parameter of this module and its sub-modules, by its dotted PyTorch name, in the fixed order described
     * in the class comment. The tensors are the live parameters, not copies.
     */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        collect("", all);
        return Collections.unmodifiableMap(all);
    }

    private void collect(String prefix, Map<String, Tensor> into) {
        parameters.forEach((name, p) -> into.put(prefix + name, p));
        children.forEach((name, child) -> child.collect(prefix + name + ".", into));
    }

    /** The live parameter tensors in {@link #namedParameters()} order: what an optimizer is built with. */
    public final List<Tensor> parameters() {
        return List.copyOf(namedParameters().values());
    }

    /** Every buffer of this module and its sub-modules, by dotted name, in state order; the live tensors. */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        collectBuffers("", all);
        return Collections.unmodifiableMap(all);
    }

    private void collectBuffers(String prefix, Map<String, Tensor> into) {
        buffers.forEach((name, b) -> into.put(prefix + name, b));
        children.forEach((name, child) -> child.collectBuffers(prefix + name + ".", into));
    }

    /** The dotted names of the buffers that PyTorch keeps as int64 (see {@link #addIntegerBuffer}). */
    public final Set<String> integerBufferNames() {
        Set<String> all = new TreeSet<>();
        collectIntegerBuffers("", all);
        return Collections.unmodifiableSet(all);
    }

    private void collectIntegerBuffers(String prefix, Set<String> into) {
        integerBuffers.forEach(name -> into.add(prefix + name));
        children.forEach((name, child) -> child.collectIntegerBuffers(prefix + name + ".", into));
    }

    /**
     * The live tensors of the whole state, by dotted name, in PyTorch's {@code state_dict()} order: each module's
     * own parameters, then its own buffers, then each child's, in registration order. Without buffers this is
     * {@link #namedParameters()}.
     */
    public final Map<String, Tensor> namedState() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        collectState("", all);
        return Collections.unmodifiableMap(all);
    }

    private void collectState(String prefix, Map<String, Tensor> into) {
        parameters.forEach((name, p) -> into.put(prefix + name, p));
        buffers.forEach((name, b) -> into.put(prefix + name, b));
        children.forEach((name, child) -> child.collectState(prefix + name + ".", into));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Modes and random draws

    /** Training mode for this module and every sub-module (the default); returns this. */
    public final Module train() {
        return train(true);
    }

    /** Evaluation mode for this module and every sub-module; returns this. */
    public final Module eval() {
        return train(false);
    }

    /** Training mode when {@code on}, evaluation mode otherwise, for this module and every sub-module. */
    public final Module train(boolean on) {
        training = on;
        children.values().forEach(child -> child.train(on));
        return this;
    }

    /** Whether this module is in training mode. */
    public final boolean isTraining() {
        return training;
    }

    /**
     * Reseeds the random draws of this module and its sub-modules: {@link #reseed} with {@code seed} here, then
     * each child, in order, with the next value of a generator seeded with {@code seed}. The same seed gives the
     * same draws afterwards; modules that draw nothing ignore it.
     */
    public final void seedRandom(long seed) {
        reseed(seed);
        SplittableRandom next = new SplittableRandom(seed);
        children.values().forEach(child -> child.seedRandom(next.nextLong()));
    }

    /** Restarts this module's own random draws from {@code seed}; nothing by default (no draws). */
    protected void reseed(long seed) {
    }

    /** The parameters this module registered itself, not those of its children (for summaries). */
    public final Map<String, Tensor> ownParameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** The direct sub-modules, by name, in registration order. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** The number of trainable values, this module and its sub-modules together. */
    public final long parameterCount() {
        long total = 0;
        for (Tensor p : namedParameters().values()) {
            total += p.size();
        }
        return total;
    }

    /** Zeroes every parameter's gradient (the explicit step before each backward pass). */
    public final void zeroGrad() {
        for (Tensor p : namedParameters().values()) {
            p.zeroGrad();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Copying weights out and in

    /**
     * A copy of every parameter and buffer, by name ({@link #namedState()} order): a snapshot that later training
     * does not change.
     */
    public final Map<String, Tensor> state() {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        namedState().forEach((name, p) -> copy.put(name, Tensor.of(p.data().clone(), p.shape())));
        return copy;
    }

    /**
     * Copies weights into the parameters and buffers, by name. The names must match exactly (no parameter left out, no
     * unknown name) and every shape must be the parameter's: weights that only partly fit are a bug to report,
     * not to paper over. Nothing is changed unless everything fits.
     *
     * @param source where the weights came from, for the error message (a file name, "best state", ...)
     * @throws IllegalArgumentException naming the source and the first offending tensors
     */
    public final void loadState(Map<String, Tensor> state, String source) {
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        state.forEach((name, t) -> {
            values.put(name, t.data());
            shapes.put(name, t.shape());
        });
        loadState(values, shapes, source);
    }

    /**
     * As {@link #loadState(Map, String)}, for weights imported from elsewhere as flat row-major arrays and their
     * shapes (an HDF5 or NumPy reader, say). The values are copied.
     */
    public final void loadState(Map<String, float[]> values, Map<String, int[]> shapes, String source) {
        Map<String, Tensor> own = namedState();
        List<String> problems = new ArrayList<>();
        TreeSet<String> missing = new TreeSet<>(own.keySet());
        missing.removeAll(values.keySet());
        TreeSet<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(own.keySet());
        if (!missing.isEmpty()) {
            problems.add("missing " + missing);
        }
        if (!unknown.isEmpty()) {
            problems.add("unexpected " + unknown + " (the model has " + own.keySet() + ")");
        }
        own.forEach((name, p) -> {
            float[] v = values.get(name);
            if (v == null) {
                return;
            }
            int[] shape = shapes.get(name);
            if (shape == null) {
                problems.add("'" + name + "' has no shape");
            } else if (!Arrays.equals(shape, p.shape())) {
                problems.add("'" + name + "' has shape " + shapeString(shape) + " but the model expects "
                        + p.shapeString());
            } else if (v.length != p.size()) {
                problems.add("'" + name + "' has " + v.length + " values for shape " + shapeString(shape));
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot load weights from " + source + " into " + typeName() + ": "
                    + String.join("; ", problems));
        }
        own.forEach((name, p) -> System.arraycopy(values.get(name), 0, p.data(), 0, p.size()));
    }

    /** {@link Tensor#shapeString(int[])}, short for the layers' messages. */
    static String shapeString(int[] shape) {
        return Tensor.shapeString(shape);
    }

    /** A one-line description with the layer's settings, in PyTorch's style, e.g. {@code Linear(in=128, out=10)}. */
    @Override
    public String toString() {
        return typeName() + "()";
    }
}
