package jcnn.exercises;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import jcnn.kernels.VectorWidth;

/**
 * Exercise 2 (docs/exercises/2-vectorise.md), your starting point: copy this file over
 * exercises/src/main/java/jcnn/exercises/VectorLeakyRelu.java and make VectorLeakyReluExerciseTest pass.
 */
public final class VectorLeakyRelu {

    private static final VectorSpecies<Float> S = VectorWidth.FLOAT;

    private VectorLeakyRelu() {
    }

    /** x (n) -> y (n), the scalar reference: y = x where x > 0, else slope * x. Keep it as it is. */
    public static void scalar(float[] x, float[] y, int n, float slope) {
        for (int i = 0; i < n; i++) {
            y[i] = x[i] > 0 ? x[i] : slope * x[i];
        }
    }

    /** x (n) -> y (n), bit for bit what {@link #scalar} computes, S.length() elements at a time. */
    public static void vector(float[] x, float[] y, int n, float slope) {
        // The loop shape of every vector kernel here: a main loop up to S.loopBound(n), then a scalar tail.
        // Useful: FloatVector.broadcast, FloatVector.fromArray, compare(VectorOperators.GT, 0f), mul, blend, intoArray.
        throw new UnsupportedOperationException("exercise 2: write the vector loop of leaky ReLU");
    }
}
