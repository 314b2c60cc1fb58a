/**
 * Training: layers assembled into models, data loading, optimizers and learning-rate schedules, and the trainer
 * that runs epochs, validates and keeps the best weights.
 *
 * <p>Built on {@code jcnn.core} (tensors and autograd); knows nothing of reports or plots, which live in
 * {@code jcnn.eval}.
 */
package jcnn.training;
