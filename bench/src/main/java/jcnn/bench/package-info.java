/**
 * JMH benchmarks of the kernels (GEMM, im2col, convolution, pooling), of the full training step and of inference,
 * for the scalar and the vector path at one and two threads.
 *
 * <p>Not for correctness: the tests in the other modules prove that; a benchmark only measures.
 */
package jcnn.bench;
