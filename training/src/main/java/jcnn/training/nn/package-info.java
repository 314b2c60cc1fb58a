/**
 * Layers and models: a {@link jcnn.training.nn.Module} is a forward function over {@link jcnn.core.Tensor}s plus
 * named parameters, with PyTorch's names, shapes, order and default initialisation, so weights move between this
 * engine and PyTorch by name ({@link jcnn.training.nn.Weights}).
 *
 * <p>{@link jcnn.training.nn.SeedCnn} builds the seed study's network from {@link jcnn.training.nn.Conv2d},
 * {@link jcnn.training.nn.ReLU}, {@link jcnn.training.nn.MaxPool2d}, {@link jcnn.training.nn.Flatten} and
 * {@link jcnn.training.nn.Linear} in a {@link jcnn.training.nn.Sequential}; {@link jcnn.training.nn.Summary}
 * prints it. Not here: the arithmetic (that is {@code jcnn.core.Ops} and the kernels), buffers and train/eval
 * modes, which no layer of the seed needs.
 */
package jcnn.training.nn;
