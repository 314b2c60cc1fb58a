package jcnn.core;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import jcnn.core.io.Safetensors;

/** The PyTorch reference outputs copied into the test resources (see reference/README in the shared folder). */
final class Reference {

    private Reference() {
    }

    static Path path(String name) {
        URL url = Reference.class.getResource("/reference/" + name + ".safetensors");
        if (url == null) {
            throw new IllegalArgumentException("no reference file " + name + ".safetensors in the test resources");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Safetensors load(String name) throws Exception {
        return Safetensors.read(path(name));
    }

    static int intMeta(Safetensors f, String key) {
        return Integer.parseInt(f.metadata().get(key));
    }

    /** {@code actual}'s values under {@code like}'s shape: PyTorch stores a scalar loss as shape (1), we as (). */
    static Tensor reshapedLike(Tensor like, Tensor actual) {
        return Tensor.of(actual.data(), like.shape());
    }

    /** A gradient array viewed with its tensor's shape, so a failing comparison prints (n,c,h,w) indices. */
    static Tensor gradOf(Tensor t) {
        return Tensor.of(t.grad(), t.shape());
    }
}
