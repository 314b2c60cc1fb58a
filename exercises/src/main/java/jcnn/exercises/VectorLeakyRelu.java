package jcnn.exercises;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import jcnn.kernels.VectorWidth;

/**
 * Exercise 2 (docs/exercises/2-vectorise.md), the reference solution: LeakyReLU's forward kernel written twice,
 * as the project writes every kernel. The scalar loop is the oracle, the teaching text and the vector loop's tail.
 */
public final class VectorLeakyRelu {

    // A static final species, the JVM's one width (-Dvector.bits): C2 compiles vector code well only for a constant.
    private static final VectorSpecies<Float> S = VectorWidth.FLOAT;

    private VectorLeakyRelu() {
    }

    /** x (n) -> y (n), the scalar reference: y = x where x > 0, else slope * x. */
    public static void scalar(float[] x, float[] y, int n, float slope) {
        for (int i = 0; i < n; i++) {
            y[i] = x[i] > 0 ? x[i] : slope * x[i];
        }
    }

    /**
     * x (n) -> y (n), bit-identical to {@link #scalar}. Why it is fast: one compare and one multiply cover
     * S.length() elements, and the choice between x and slope * x is a blend (a lane-wise select), not a branch
     * that the CPU would mispredict on signs that look random. Why it is identical: every lane computes the same
     * single multiply and the same comparison as the scalar loop (NaN > 0 is false in both, so NaN gives
     * slope * NaN = NaN; -0 gives slope * -0 in both).
     */
    public static void vector(float[] x, float[] y, int n, float slope) {
        FloatVector s = FloatVector.broadcast(S, slope);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            VectorMask<Float> positive = v.compare(VectorOperators.GT, 0f);
            v.mul(s).blend(v, positive).intoArray(y, i);
        }
        for (; i < n; i++) {   // the tail, shorter than a vector: the scalar loop's body
            y[i] = x[i] > 0 ? x[i] : slope * x[i];
        }
    }
}
