/**
 * JMH benchmarks of the kernels (GEMM, im2col, convolution, pooling), of the full training step and of inference,
 * for the scalar and the vector path at one and two threads; and the Java FMA peak ({@link jcnn.bench.FmaPeakBench})
 * that {@link jcnn.bench.Report} divides the GEMM figures of the same run by.
 *
 * <p>Not for correctness: the tests in the other modules prove that; a benchmark only measures.
 */
package jcnn.bench;
