package jcnn.eval.metrics;

import jcnn.training.nn.SeedCnn;

/**
 * Names to print for class labels. The metrics themselves only ever see label numbers; names are a matter of
 * presentation, passed to the formatters.
 */
public final class ClassNames {

    private ClassNames() {
    }

    /** The ten Fashion-MNIST classes, indexed by label (a fresh copy each call). */
    public static String[] fashionMnist() {
        return SeedCnn.CLASS_NAMES.toArray(new String[0]);   // the one list, beside the model whose logits it names
    }

    /**
     * "0", "1", ..., numClasses - 1: what scikit-learn prints when {@code target_names} is not given, and what the
     * seed study's reports show.
     */
    public static String[] indices(int numClasses) {
        String[] names = new String[numClasses];
        for (int i = 0; i < numClasses; i++) {
            names[i] = Integer.toString(i);
        }
        return names;
    }
}
