package jcnn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import jcnn.core.Engine;
import jcnn.kernels.KernelProvider;
import jcnn.kernels.Kernels;
import jcnn.training.data.Dataset;
import jcnn.training.nn.Sequential;
import org.junit.jupiter.api.Test;

/**
 * The same seed gives bit-identical weights: across two runs, across 1, 2 and 4 threads (scalar always; vector
 * when jcnn.kernels.VectorKernels is on the class path), and, for the scalar kernels, across JDKs: the final
 * weights' SHA-256 is a constant computed once on JDK 17 and checked on every JDK the build runs on.
 */
class ReproducibilityTest {

    /** SHA-256 of the final weights of {@link #SGD}, scalar kernels; computed on JDK 17, equal on JDK 25. */
    static final String SGD_WEIGHTS_SHA256 = "62979f5b337baf9d040a39b314bbc1de6aa7e91cecfacc19305c8efd3e08a1bf";

    /** The same for {@link #ADAM}. */
    static final String ADAM_WEIGHTS_SHA256 = "55b2ac5e0d405fc532c810098e5c5168503994ab09d934d0a12f0ec8d348493e";

    /** Nesterov SGD with weight decay on a cosine schedule (Math.cos), 2 epochs of 128 images. */
    static final Recipe SGD = TinyRuns.recipe("epochs=2", "batch=32", "limit=160");

    /** Adam: its bias corrections use Math.pow and its update Math.sqrt. */
    static final Recipe ADAM = TinyRuns.recipe("epochs=2", "batch=32", "limit=160", "optimizer=adam", "lr=0.002");

    /** Trains {@code r} from its seed with {@code kernels}; the SHA-256 of the final weights. */
    @SuppressWarnings("try")
    static String train(Recipe r, Kernels kernels) {
        try (Engine.Scope scope = Engine.using(kernels)) {
            Dataset.Split split = TinyRuns.split(r);
            Sequential model = TinyRuns.model(r);
            new Trainer(model, r).showProgress(false).fit(split.train(), split.validation());
            return TinyRuns.weightsHash(model);
        }
    }

    private static Kernels kernels(String kernel, int threads) {
        Properties p = new Properties();
        p.setProperty("kernel", kernel);
        p.setProperty("threads", String.valueOf(threads));
        return KernelProvider.fromProperties(p);
    }

    @Test
    void scalarWeightsAreTheSameOnEveryJdk() {
        String sgd = train(SGD, KernelProvider.scalar()), adam = train(ADAM, KernelProvider.scalar());
        System.out.printf("scalar weights on JDK %s (%s): sgd sha256 %s, adam sha256 %s%n", Runtime.version(),
                System.getProperty("java.vm.name"), sgd, adam);
        assertEquals(SGD_WEIGHTS_SHA256, sgd, "sgd: the scalar path changed its numbers on this JDK or build");
        assertEquals(ADAM_WEIGHTS_SHA256, adam, "adam: the scalar path changed its numbers on this JDK or build");
    }

    @Test
    void scalarRunsAgreeAcrossRunsAndThreadCounts() {
        Map<String, String> hashes = new LinkedHashMap<>();
        for (int threads : new int[] {1, 2, 4}) {
            hashes.put("scalar, " + threads + " thread(s)", train(SGD, kernels("scalar", threads)));
        }
        hashes.put("scalar, again", train(SGD, kernels("scalar", 1)));
        report(hashes);
    }

    @Test
    void vectorRunsAgreeAcrossRunsAndThreadCounts() {
        assumeTrue(vectorKernelsPresent(), "jcnn.kernels.VectorKernels is not on the class path (or the Vector"
                + " API module is not loaded): nothing to compare yet");
        Map<String, String> hashes = new LinkedHashMap<>();
        for (int threads : new int[] {1, 2, 4}) {
            hashes.put("vector, " + threads + " thread(s)", train(SGD, KernelProvider.vector(-1, threads)));
        }
        hashes.put("vector, again", train(SGD, KernelProvider.vector(-1, 4)));
        report(hashes);
    }

    private static void report(Map<String, String> hashes) {
        hashes.forEach((k, v) -> System.out.println("weights sha256 " + v.substring(0, 16) + "  " + k));
        String first = hashes.values().iterator().next();
        hashes.forEach((k, v) -> assertEquals(first, v, k + " differs from " + hashes.keySet().iterator().next()));
    }

    static boolean vectorKernelsPresent() {
        if (!KernelProvider.vectorAvailable()) {
            return false;
        }
        try {
            Class.forName("jcnn.kernels.VectorKernels");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
