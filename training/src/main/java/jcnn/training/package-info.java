/**
 * Training: the {@link jcnn.training.Trainer} runs the epochs of a {@link jcnn.training.Recipe} (seeded shuffling,
 * the named optimizer and schedule, validation after every epoch, the best epoch's weights kept), reports each
 * epoch to {@link jcnn.training.TrainingListener}s ({@link jcnn.training.JsonLinesWriter} writes them as JSON
 * lines); {@link jcnn.training.BatchGradient} is each step's forward, loss and backward (the convolutions in
 * parallel chunks of the batch, docs/training-step.md); {@link jcnn.training.RunState} keeps what a run holds
 * besides the model (finished epochs, best weights, checkpoints, resume), {@link jcnn.training.Evaluator} runs a
 * model over a dataset in batches (loss, accuracy, logits), and {@link jcnn.training.GridSearch} reproduces the
 * seed notebook's hyper-parameter search. A {@link jcnn.training.Checkpoint} after every epoch lets a run resume
 * bit-identically, and a {@link jcnn.training.NanPolicy} says what a non-finite loss or gradient does (stop,
 * naming the step and layer, or skip the batch).
 *
 * <p>Sub-packages: {@code nn} (layers, the seed CNN, weights on disk), {@code optim} (optimizers and schedules),
 * {@code data} (Fashion-MNIST files, datasets and batches).
 *
 * <p>Built on {@code jcnn.core} (tensors and autograd) and kernel-agnostic: everything runs with whatever kernels
 * the {@link jcnn.core.Engine} holds. It knows nothing of reports or plots, which live in {@code jcnn.eval}, nor
 * of the command line, which is the main program's.
 */
package jcnn.training;
