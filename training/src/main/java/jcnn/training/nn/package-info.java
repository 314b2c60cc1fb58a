/**
 * Layers and models: a {@link jcnn.training.nn.Module} is a forward function over {@link jcnn.core.Tensor}s plus
 * named parameters and buffers, with PyTorch's names, shapes, order and default initialisation, so weights move
 * between this engine and PyTorch by name ({@link jcnn.training.nn.Weights}), and PyTorch's training and evaluation
 * modes ({@code train()}, {@code eval()}).
 *
 * <p>{@link jcnn.training.nn.SeedCnn} builds the seed study's network from {@link jcnn.training.nn.Conv2d},
 * {@link jcnn.training.nn.ReLU}, {@link jcnn.training.nn.MaxPool2d}, {@link jcnn.training.nn.Flatten} and
 * {@link jcnn.training.nn.Linear} in a {@link jcnn.training.nn.Sequential}; {@link jcnn.training.nn.DeepCnn} adds
 * {@link jcnn.training.nn.BatchNorm2d} and {@link jcnn.training.nn.Dropout} ({@link jcnn.training.nn.AvgPool2d} and
 * {@link jcnn.training.nn.GlobalAvgPool2d} are there for other models); {@link jcnn.training.nn.Models} names them
 * for {@code -Dmodel}; {@link jcnn.training.nn.Summary} prints them. Not here: the arithmetic (that is
 * {@code jcnn.core.Ops} and the kernels).
 */
package jcnn.training.nn;
