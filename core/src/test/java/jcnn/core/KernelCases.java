package jcnn.core;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;
import jcnn.kernels.KernelProvider;
import jcnn.kernels.Kernels;
import org.junit.jupiter.api.Named;

/**
 * The kernel implementations every reference test runs on: the scalar reference and the Vector API kernels (the
 * latter skipped, with the reason, only on a JVM started without the incubator module).
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
        // The surefire JVM always has the module; a plain IDE run without the flag skips with the reason.
        assumeTrue(KernelProvider.vectorAvailable(), "the Vector API is not loaded: add " + KernelProvider.VECTOR_FLAG);
        return KernelProvider.vector(-1, 2);
    }
}
