package jcnn.training.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import jcnn.core.BufferPool;
import jcnn.core.Engine;
import jcnn.core.NoGrad;
import jcnn.core.Tensor;
import jcnn.kernels.KernelProvider;
import jcnn.kernels.Kernels;
import org.junit.jupiter.api.Test;

/**
 * Sequential's chunked inference: a batch larger than a chunk gives the whole batch's outputs bit for bit, on both
 * kernel sets and at several thread counts, inside and outside a buffer-pool scope; models with a layer that is not
 * independent per sample, and recorded forwards, are never split.
 */
class SequentialChunkingTest {

    private static List<Kernels> kernels() {
        List<Kernels> all = new ArrayList<>(List.of(KernelProvider.scalar()));
        if (KernelProvider.vectorAvailable()) {
            all.add(KernelProvider.vector(-1, 1));
            all.add(KernelProvider.vector(-1, 2));
        }
        return all;
    }

    private static Tensor images(int n) {
        return Tensor.randn(new SplittableRandom(7), n, 1, 28, 28);
    }

    @Test
    @SuppressWarnings("try")
    void chunkedInferenceEqualsTheWholeBatchBitForBit() {
        Sequential model = SeedCnn.create(new SplittableRandom(1));
        assertTrue(model.independentPerSample());
        // 4 chunks and a last one overlapping the fourth by 20 images; two chunks and a third that overlaps by 63
        for (int n : new int[] {4 * Sequential.INFERENCE_CHUNK + 44, 2 * Sequential.INFERENCE_CHUNK + 1}) {
            Tensor x = images(n);
            for (Kernels k : kernels()) {
                try (var engine = Engine.using(k); var noGrad = NoGrad.enter()) {
                    float[] whole = model.forwardLayers(x).data().clone();
                    Tensor chunked = model.forward(x);
                    assertArrayEquals(new int[] {n, 10}, chunked.shape());
                    assertArrayEquals(whole, chunked.data(), k.name() + ", batch " + n);
                    try (var scope = new BufferPool().open()) {   // as the evaluator calls it
                        assertArrayEquals(whole, model.forward(x).data(), k.name() + " in a pool scope");
                    }
                }
            }
        }
    }

    @Test
    void aLayerThatIsNotIndependentPerSampleKeepsTheBatchWhole() {
        int[] seen = new int[1];
        Module batchWide = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                seen[0] = Math.max(seen[0], x.shape()[0]);
                return x;
            }

            @Override
            public int[] outputShape(int[] input) {
                return input;
            }
        };
        Sequential model = new Sequential().add("flatten", new Flatten()).add("batchWide", batchWide);
        assertFalse(model.independentPerSample());
        try (var noGrad = NoGrad.enter()) {
            model.forward(images(200));
        }
        assertEquals(200, seen[0]);
    }

    @Test
    void aRecordedForwardIsNeverSplit() {
        Sequential model = SeedCnn.create(new SplittableRandom(1));
        Tensor y = model.forward(images(Sequential.INFERENCE_CHUNK + 3));
        assertTrue(y.requiresGrad(), "the graph back to the weights is kept");
        assertEquals(Sequential.INFERENCE_CHUNK + 3, y.shape()[0]);
    }
}
