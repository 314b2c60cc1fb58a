package jcnn.core;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;
import jcnn.kernels.KernelProvider;
import jcnn.kernels.Kernels;
import org.junit.jupiter.api.Named;

/**
 * The kernel implementations every reference test runs on: the scalar reference always, the Vector API kernels
 * when they are on the class path and the incubator module is loaded. A missing vector implementation shows up
 * as a skipped case with the reason, not as a failure and not as silence.
 */
final class KernelCases {

    private KernelCases() {
    }

    static Stream<Named<Supplier<Kernels>>> all() {
        return Stream.of(
                Named.of("scalar", KernelProvider::scalar),
                Named.of("vector", KernelCases::vectorOrSkip));
    }

    private static Kernels vectorOrSkip() {
        boolean present;
        try {
            Class.forName("jcnn.kernels.VectorKernels", false, KernelCases.class.getClassLoader());
            present = true;
        } catch (ClassNotFoundException | LinkageError e) {
            present = false;
        }
        assumeTrue(present, "jcnn.kernels.VectorKernels is not on the class path");
        assumeTrue(KernelProvider.vectorAvailable(), "the Vector API is not loaded: add " + KernelProvider.VECTOR_FLAG);
        return KernelProvider.vector(-1, 2);
    }
}
