package jcnn.training.nn;

import java.util.random.RandomGenerator;
import jcnn.core.Ops;
import jcnn.core.Tensor;

/**
 * A 2-D convolution layer with a square kernel and a bias, PyTorch's {@code nn.Conv2d(in, out, k, stride,
 * padding)}: parameters {@code weight} (out, in, k, k) and {@code bias} (out), initialised as PyTorch does (see
 * {@link Init}), the weight's values drawn first, then the bias's.
 *
 * <p>Non-goals: groups, dilation, rectangular kernels, padding modes other than zeros.
 */
public final class Conv2d extends Module {

    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Tensor weight;
    private final Tensor bias;

    /**
     * @throws IllegalArgumentException when a size is impossible (channels or kernel below 1, stride below 1,
     *                                  negative padding); the message shows every setting
     */
    public Conv2d(int in, int out, int kernel, int stride, int padding, RandomGenerator rng) {
        String settings = "Conv2d(in=" + in + ", out=" + out + ", kernel=" + kernel + ", stride=" + stride
                + ", padding=" + padding + ")";
        require(in >= 1, settings, "in channels must be >= 1, got " + in);
        require(out >= 1, settings, "out channels must be >= 1, got " + out);
        require(kernel >= 1, settings, "kernel must be >= 1, got " + kernel);
        require(stride >= 1, settings, "stride must be >= 1, got " + stride);
        require(padding >= 0, settings, "padding must be >= 0, got " + padding);
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        double bound = Init.bound(Math.multiplyExact(in, kernel * kernel));
        this.weight = addParameter("weight", Init.uniform(rng, bound, out, in, kernel, kernel));
        this.bias = addParameter("bias", Init.uniform(rng, bound, out));
    }

    /** The same layer with stride 1 and "same" padding for odd kernels, the seed's convolutions. */
    public static Conv2d same(int in, int out, int kernel, RandomGenerator rng) {
        return new Conv2d(in, out, kernel, 1, kernel / 2, rng);
    }

    /** {@inheritDoc} <pre>x (n,in,h,w) -> y (n,out,oh,ow)</pre> */
    /** {@inheritDoc} True: each image's output depends on that image and the weights only. */
    @Override
    public boolean independentPerSample() {
        return true;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Ops.conv2d(x, weight, bias, stride, padding);
    }

    @Override
    public int[] outputShape(int[] input) {
        if (input.length != 4 || input[1] != in) {
            throw new IllegalArgumentException(this + " expects input (n," + in + ",h,w) but got "
                    + shapeString(input));
        }
        int h = input[2] + 2 * padding - kernel, w = input[3] + 2 * padding - kernel;
        if (h < 0 || w < 0) {
            throw new IllegalArgumentException(this + ": kernel " + kernel + "x" + kernel + " is larger than input "
                    + shapeString(input) + " padded by " + padding);
        }
        return new int[] {input[0], out, h / stride + 1, w / stride + 1};
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    @Override
    public String toString() {
        return "Conv2d(" + in + ", " + out + ", kernel=" + kernel + ", stride=" + stride + ", padding=" + padding + ")";
    }

    static void require(boolean ok, String settings, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(settings + ": " + problem);
        }
    }
}
