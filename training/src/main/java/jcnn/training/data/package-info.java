/**
 * The data layer: reading IDX image sets (Fashion-MNIST, and MNIST and KMNIST by the same format) and CIFAR-10's
 * binary batches ({@link jcnn.training.data.CifarReader}, three colour channels), finding or downloading their files
 * with pinned checksums, and turning them into normalised, batched training input whose channel count is the data
 * set's own.
 *
 * <p>Entry point: {@code DataLocator.fromSystemProperties().load(DatasetSpec.FASHION_MNIST, Part.TEST)}. Then
 * {@link jcnn.training.data.Dataset#splitTrainValidation} for the study's 80/20 split and
 * {@link jcnn.training.data.Batcher} for shuffled mini-batches in reusable buffers. Every failure is a
 * {@link jcnn.training.data.DataFileException} naming the file, the field and what was expected.
 *
 * <p>Not here: augmentation, other file formats (npz, CSV, CIFAR's Python pickles), or any model code.
 */
package jcnn.training.data;
