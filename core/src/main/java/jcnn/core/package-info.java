/**
 * The engine's core: float32 {@link jcnn.core.Tensor}s with reverse-mode autograd, the differentiable
 * {@link jcnn.core.Ops} of a CNN (conv2d, max_pool2d, avg_pool2d, global average pooling, batch_norm in training and
 * evaluation mode, dropout, linear, relu, reshape/flatten, cross-entropy), the
 * {@link jcnn.core.Engine} scope that says which {@link jcnn.kernels.Kernels} they run on, the
 * {@link jcnn.core.BufferPool} that reuses a step's arrays, a {@link jcnn.core.GradientRoute} that gives a thread's
 * backward passes parameter-gradient buffers of their own (data-parallel steps), a finite-difference
 * {@link jcnn.core.GradCheck}er, a {@link jcnn.core.Compare} helper that reports where values differ, and
 * safetensors I/O in {@link jcnn.core.io}.
 *
 * <p>Each op is written micrograd-style: the forward computation and, right beside it, the closure that
 * accumulates the gradient into its inputs. The arithmetic itself is delegated to the kernels module; this
 * module decides shapes, graph and memory, never loops over pixels in a hot path.
 *
 * <p>Not for: layers with state, models, optimizers and training loops (training), data sets, metrics and
 * reports (eval), choosing or tuning kernels (kernels), benchmarks (bench).
 */
package jcnn.core;
