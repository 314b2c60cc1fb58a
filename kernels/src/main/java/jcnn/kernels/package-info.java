/**
 * The numeric kernels of the engine: plain functions over {@code float[]} arrays, with no notion of tensors,
 * graphs or layers.
 *
 * <p>{@link jcnn.kernels.Kernels} is the one interface, a contract without bodies. {@link jcnn.kernels.ScalarKernels}
 * is the readable reference: the test oracle, the teaching text and the fallback. {@link jcnn.kernels.VectorKernels}
 * is the same contract in SIMD with the Vector API, a facade over one file per topic: {@code VectorGemm},
 * {@code VectorConv}, {@code VectorPool}, {@code VectorNorm} (batch normalisation, global average pooling),
 * {@code VectorElementwise}, all at the JVM's one width ({@link jcnn.kernels.VectorWidth},
 * {@code -Dvector.bits}). {@link jcnn.kernels.KernelProvider} is the one place where the choice between them
 * (system property {@code kernel=scalar|vector}) and the thread count are made.
 * {@link jcnn.kernels.TimedKernels} wraps any of them to measure how the time splits between GEMM, convolution,
 * pooling, activation, batch normalisation, dropout, loss and optimizer.
 *
 * <p>Not for: allocation policy of callers, autograd, shapes of tensors. This module depends on nothing.
 */
package jcnn.kernels;
