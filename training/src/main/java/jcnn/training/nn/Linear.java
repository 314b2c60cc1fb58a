package jcnn.training.nn;

import java.util.random.RandomGenerator;
import jcnn.core.Ops;
import jcnn.core.Tensor;

/**
 * A fully connected layer, PyTorch's {@code nn.Linear(in, out)}: y = x weight^T + bias, with {@code weight}
 * (out, in) and {@code bias} (out) initialised as PyTorch does (see {@link Init}), weight first, then bias.
 *
 * <p>Non-goals: a layer without bias, inputs of rank other than 2 (flatten first).
 */
public final class Linear extends Module {

    private final int in;
    private final int out;
    private final Tensor weight;
    private final Tensor bias;

    /** @throws IllegalArgumentException when {@code in} or {@code out} is below 1; the message shows both */
    public Linear(int in, int out, RandomGenerator rng) {
        String settings = "Linear(in=" + in + ", out=" + out + ")";
        Conv2d.require(in >= 1, settings, "in features must be >= 1, got " + in);
        Conv2d.require(out >= 1, settings, "out features must be >= 1, got " + out);
        this.in = in;
        this.out = out;
        double bound = Init.bound(in);
        this.weight = addParameter("weight", Init.uniform(rng, bound, out, in));
        this.bias = addParameter("bias", Init.uniform(rng, bound, out));
    }

    /** {@inheritDoc} <pre>x (n,in) -> y (n,out)</pre> */
    /** {@inheritDoc} True: each image's output depends on that image and the weights only. */
    @Override
    public boolean independentPerSample() {
        return true;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Ops.linear(x, weight, bias);
    }

    @Override
    public int[] outputShape(int[] input) {
        if (input.length != 2 || input[1] != in) {
            throw new IllegalArgumentException(this + " expects input (n," + in + ") but got " + shapeString(input));
        }
        return new int[] {input[0], out};
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    @Override
    public String toString() {
        return "Linear(" + in + ", " + out + ")";
    }
}
