package jcnn.training;

import jcnn.core.Tensor;
import jcnn.training.data.Dataset;

/**
 * The reusable input arrays of one batch size, and the tensor view over them: the {@link jcnn.training.data.Batcher}
 * copies each batch into them, so a loop over batches allocates its inputs once.
 */
final class BatchBuffers {
    final float[] images;
    final int[] labels;
    /** (n, channels, rows, cols), a view over {@link #images}: refilled in place. */
    final Tensor x;

    BatchBuffers(int n, Dataset data) {
        images = new float[n * data.imageSize()];
        labels = new int[n];
        x = Tensor.of(images, n, data.channels(), data.rows(), data.cols());
    }
}
