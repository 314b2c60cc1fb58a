package jcnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one vector width of this JVM, read once from {@code -Dvector.bits} (128, 256 or 512; default: the CPU's
 * preferred width).
 *
 * <p>Why a {@code static final}: C2 turns Vector API calls into machine instructions only when the species is a
 * compile-time constant; a species read from an instance field or a parameter makes every vector operation a call
 * and an allocation, tens of times slower. Every vector kernel class therefore copies {@link #FLOAT} into its own
 * {@code static final} field. To test another width, start another JVM (the build forks one test JVM per width).
 * llama3.java and Lucene choose their species the same way.
 */
public final class VectorWidth {

    /** The float species every vector kernel uses in this JVM. */
    public static final VectorSpecies<Float> FLOAT = species(System.getProperty("vector.bits", ""));

    /** The width of {@link #FLOAT} in bits. */
    public static final int BITS = FLOAT.vectorBitSize();

    private VectorWidth() {
    }

    static VectorSpecies<Float> species(String property) {
        String bits = property.trim();
        switch (bits) {
            case "":
            case "-1":
            case "0": // 0 selects the scalar kernels; the vector classes, if loaded at all, take the preferred width
                return FloatVector.SPECIES_PREFERRED;
            case "128":
                return FloatVector.SPECIES_128;
            case "256":
                return FloatVector.SPECIES_256;
            case "512":
                return FloatVector.SPECIES_512;
            default:
                throw new IllegalArgumentException("invalid vector.bits=" + property
                        + ": expected 0 (scalar), 128, 256 or 512");
        }
    }
}
