/**
 * Optimizers and learning-rate schedules. {@link jcnn.training.optim.Optimizer} has PyTorch's contract (zero the
 * gradients, backward, {@code step()}, or {@code step(closure)} for optimizers that evaluate more than once);
 * {@link jcnn.training.optim.Sgd}, {@link jcnn.training.optim.Adam} and {@link jcnn.training.optim.AdamW} follow
 * PyTorch's update rules exactly, {@link jcnn.training.optim.Sam} is the SAM of Foret et al., and
 * {@link jcnn.training.optim.SeedOptimizer} reproduces the seed notebook's own optimizer, quirks included.
 * {@link jcnn.training.optim.Optimizers} builds the one a recipe names; {@link jcnn.training.optim.LrSchedule}
 * gives the rate for each step. The elementwise loops run in the current kernels.
 */
package jcnn.training.optim;
