package jcnn.eval.metrics;

/**
 * The confusion matrices of the seed study's two trained models on the official Fashion-MNIST test set
 * (rows = true class, columns = predicted).
 *
 * <p>Derived outside this project: the with-optimisation matrix from shared/reference/
 * seed_model_testset_logits.safetensors (PyTorch's logits) and the test labels; the without-optimization matrix
 * from a numpy forward pass of that run's .h5 weights (the same pass reproduces the PyTorch logits of the other run
 * within 1.6e-5 and all 10,000 of its predictions). Accuracies 0.9129 and 0.9111, as the study reported, and
 * scikit-learn's report of each equals the study's report file byte for byte.
 */
final class SeedRuns {

    static final long[][] WITH_OPTIMISATION = {
        {900, 0, 22, 11, 3, 1, 60, 0, 3, 0},
        {2, 982, 1, 10, 0, 0, 3, 0, 2, 0},
        {19, 2, 901, 6, 25, 0, 45, 0, 2, 0},
        {22, 3, 17, 914, 20, 0, 23, 0, 1, 0},
        {4, 0, 73, 28, 824, 0, 71, 0, 0, 0},
        {0, 0, 0, 1, 0, 978, 0, 16, 1, 4},
        {143, 1, 72, 22, 42, 0, 717, 0, 3, 0},
        {0, 0, 0, 0, 0, 9, 0, 967, 0, 24},
        {5, 1, 6, 4, 1, 0, 1, 2, 980, 0},
        {1, 0, 0, 0, 0, 5, 0, 28, 0, 966},
    };

    static final long[][] WITHOUT_OPTIMIZATION = {
        {890, 0, 22, 12, 3, 2, 66, 0, 5, 0},
        {0, 986, 0, 5, 4, 0, 4, 0, 1, 0},
        {15, 2, 863, 6, 57, 0, 57, 0, 0, 0},
        {20, 5, 12, 891, 45, 1, 24, 0, 2, 0},
        {1, 0, 56, 17, 879, 0, 46, 0, 1, 0},
        {0, 0, 0, 0, 0, 972, 0, 21, 0, 7},
        {114, 3, 59, 23, 71, 0, 723, 0, 7, 0},
        {0, 0, 0, 0, 0, 7, 0, 983, 0, 10},
        {2, 1, 1, 4, 2, 4, 5, 5, 975, 1},
        {0, 0, 0, 0, 0, 4, 1, 45, 1, 949},
    };

    /** Per-class IoU of the with-optimisation run as the study printed it (SEED.md), 4 decimals. */
    static final double[] WITH_OPTIMISATION_IOU = {
        0.7525, 0.9752, 0.7565, 0.8447, 0.7553, 0.9635, 0.5960, 0.9245, 0.9684, 0.9397};

    private SeedRuns() {
    }
}
