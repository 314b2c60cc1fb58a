package jcnn.eval.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import jcnn.eval.report.HtmlReportWriter;
import jcnn.kernels.KernelProvider;
import jcnn.kernels.Kernels;
import jcnn.kernels.ScalarKernels;
import jcnn.kernels.TimedKernels;
import jcnn.kernels.TimedKernels.Category;
import jcnn.training.Recipe;
import jcnn.training.data.DataLocator;
import jcnn.training.data.Dataset;
import jcnn.training.data.DatasetSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The comparison on a tiny subset of Fashion-MNIST, with scalar kernels on both sides until the vector kernels
 * land: two identical paths must agree exactly (so any hidden difference between the runs, such as another seed,
 * another data order or another initialisation, fails here), a perturbed side must show up as a difference, and the
 * files must hold every section.
 */
class ComparisonTest {

    private static Dataset train;
    private static Dataset test;
    /** Scalar kernels on both sides: computed once, since several tests read it. */
    private static Comparison.Result same;

    @TempDir
    Path tmp;

    @BeforeAll
    static void loadData() throws IOException {
        Properties p = new Properties();
        p.setProperty("user.dir", System.getProperty("user.dir"));
        p.setProperty("jcnn.download", "false");
        DataLocator data = DataLocator.fromProperties(p);
        train = data.load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TRAIN).limit(256);
        test = data.load(DatasetSpec.FASHION_MNIST, DatasetSpec.Part.TEST);
        same = run(new ScalarKernels());
    }

    private static Recipe tinyRecipe() {
        Properties p = new Properties();
        p.setProperty("limit", "256");
        p.setProperty("epochs", "2");
        p.setProperty("batch", "32");
        return Recipe.fromProperties(p);
    }

    private static Comparison.Result run(Kernels vectorSide) {
        Comparison c = new Comparison(tinyRecipe(), 400, new ScalarKernels(), vectorSide, List.of());
        return c.run(train, test, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void theSameKernelsOnBothSidesAgreeExactly() {
        Comparison.Result r = same;
        LogitAgreement a = r.agreement();
        assertEquals(400, a.images());
        assertEquals(1.0, a.agreement(), "both sides predict the same class on every image");
        assertEquals(0.0, a.maxAbsDifference(), "max |logit difference| at image " + a.maxImage() + ", class "
                + a.maxClass());
        assertEquals(0.0, a.meanAbsDifference());
        assertTrue(r.initial().identical(), "the untrained models agree too");
        assertEquals(Math.min(Comparison.INITIAL_PROBE, 400), r.initial().images());
        assertEquals(r.scalar().test().accuracy(), r.vector().test().accuracy());
        assertEquals(r.scalar().test().classificationReport(), r.vector().test().classificationReport());
        for (int e = 0; e < 2; e++) {
            assertEquals(r.scalar().epochs().get(e).trainLoss(), r.vector().epochs().get(e).trainLoss(),
                    "training loss of epoch " + (e + 1));
        }
    }

    @Test
    void everyCategoryOfTheBreakdownIsPresentAndTheModelsKernelsAreCounted() {
        Comparison.Result r = same;
        for (PathResult p : List.of(r.scalar(), r.vector())) {
            TimedKernels.Breakdown b = p.training();
            assertEquals(List.of(Category.values()), List.copyOf(b.topLevel().keySet()));
            b.topLevel().forEach((c, t) -> assertTrue(t.nanos() >= 0 && t.calls() >= 0, p.role() + " " + c));
            for (Category used : List.of(Category.CONVOLUTION, Category.GEMM, Category.BIAS, Category.POOLING,
                    Category.ACTIVATION, Category.LOSS, Category.OPTIMIZER)) {
                assertTrue(b.topLevel().get(used).calls() > 0, p.role() + ": no " + used + " calls");
            }
            assertTrue(b.totalSeconds() <= p.fitSeconds(), "kernel time cannot exceed the wall time of fit");
        }
    }

    @Test
    void aPerturbedVectorSideShowsUpAsALogitDifference() {
        // A stand-in for kernels that round differently: every bias add is off by 1e-3.
        Kernels scalar = new ScalarKernels();
        Kernels perturbed = (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(),
                new Class<?>[] {Kernels.class}, (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(scalar, args);
                        if (method.getName().equals("biasAdd")) {
                            ((float[]) args[0])[0] += 1e-3f;
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Comparison.Result r = run(perturbed);
        assertTrue(r.agreement().maxAbsDifference() > 0, "the perturbation must be measured");
        assertTrue(r.initial().maxAbsDifference() > 0, "even before training");
        assertFalse(r.agreement().identical());
    }

    @Test
    void writesComparisonMarkdownAndTheReportWithEverySection() throws IOException {
        Comparison.Result r = same;
        ComparisonReport.write(r, tmp);
        String md = Files.readString(tmp.resolve(ComparisonReport.MARKDOWN_FILE));
        String html = Files.readString(tmp.resolve(HtmlReportWriter.REPORT_FILE));
        for (String heading : List.of("test set", "agreement between the paths", "speed", "epochs",
                "where the training time goes", "classification reports")) {
            String capitalised = Character.toUpperCase(heading.charAt(0)) + heading.substring(1);
            assertTrue(md.contains("\n## " + capitalised + "\n"), "comparison.md lacks '" + heading + "'");
            assertTrue(html.contains("Kernel comparison: " + heading), "report.html lacks '" + heading + "'");
        }
        assertTrue(html.contains(ComparisonReport.SETTINGS_TITLE));
        for (Category c : Category.values()) {
            assertTrue(md.contains("\n| " + c.label() + " |") || md.contains("\n| " + c.label() + " (not called by"),
                    "comparison.md lacks the row " + c.label());
        }
        // A kernel no path calls at the top level says so in its cells, not with a time that rounds to zero.
        assertTrue(md.contains("| im2col / col2im (not called by any path) | not called |  | 0 | not called |  | 0 |"),
                md);
        for (String kind : List.of("training", "confusion")) {
            for (String role : List.of("scalar", "vector")) {
                String file = "compare-" + role + "-" + kind + ".png";
                assertTrue(Files.size(tmp.resolve(file)) > 0, file);
                assertTrue(md.contains("](" + file + ")"), md);
                assertTrue(html.contains("<span class=\"file\">" + file + "</span>"), file);
            }
        }
        assertTrue(html.contains("Kernel comparison: training curves side by side"));
        assertTrue(html.contains("Kernel comparison: confusion matrices side by side"));
        assertTrue(md.contains("| same predicted class | 1.0000 | 400 of 400 images |"), md);
        assertTrue(md.contains("| max \\|logit difference\\| | 0 | every logit equal |"), md);
        assertTrue(md.contains("- recipe: recipe=default epochs=2 batch=32"), md);
    }

    /**
     * Both paths at one thread, then the vector path once more at three: the SIMD gain and what the threads add
     * are separate columns, and the threaded run's logits are bit for bit the one-thread run's (the vector kernels'
     * promise of the same result at every thread count).
     */
    @Test
    void theVectorPathAtMoreThreadsIsMeasuredApartAndChangesNoBit() {
        assumeTrue(KernelProvider.vectorAvailable(), "needs the Vector API");
        Comparison c = new Comparison(tinyRecipe(), 400, new ScalarKernels(), KernelProvider.vector(-1, 1),
                KernelProvider.vector(-1, 3), List.of());
        Comparison.Result r = c.run(train, test, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        assertEquals(1, r.scalar().threads());
        assertEquals(1, r.vector().threads(), "the vector side at the scalar side's thread count");
        assertEquals(3, r.threaded().threads());
        assertEquals(List.of(r.scalar(), r.vector(), r.threaded()), r.paths());
        assertTrue(r.threads().identical(), "3 threads vs 1: max |logit difference| "
                + r.threads().maxAbsDifference() + " at image " + r.threads().maxImage());
        assertEquals(r.vector().test().accuracy(), r.threaded().test().accuracy());
        String md = ComparisonReport.markdown(r);
        assertTrue(md.contains("| vector / scalar (SIMD, 1 thread each) | vector 3t / vector (threads) |"
                + " vector 3t / scalar (both) |"), md);
        assertTrue(md.contains("| max \\|logit difference\\|, vector at 3 threads vs 1 | 0 | bit-identical: the"
                + " thread count changes no result |"), md);
        assertTrue(md.contains("At 3 threads it trains "), md);
        assertTrue(md.contains("its logits are bit-identical to those of the 1-thread run."), md);
        assertTrue(md.contains("| vector 3t s | vector 3t share | vector 3t calls |"), md);
        assertTrue(md.contains("then the vector side once more at 3 threads"), md);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Settings

    private static Comparison fromSettings(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return Comparison.fromProperties(p, settings -> new ScalarKernels());
    }

    @Test
    void theVectorSideRunsAtTheScalarSidesThreadsAndAgainAtTheThreadsSetting() {
        List<Integer> asked = new java.util.ArrayList<>();
        Properties p = new Properties();
        p.setProperty("threads", "4");
        Comparison.fromProperties(p, settings -> {
            asked.add(Integer.parseInt(settings.getProperty("threads")));
            return new ScalarKernels();
        });
        assertEquals(List.of(1, 4), asked);
        asked.clear();
        p.setProperty("threads", "1");
        Comparison.fromProperties(p, settings -> {
            asked.add(Integer.parseInt(settings.getProperty("threads")));
            return new ScalarKernels();
        });
        assertEquals(List.of(1), asked, "no second run when threads=1");
    }

    @Test
    void affordableDefaultsOnlyWhereTheUserSetNothing() {
        Recipe chosen = fromSettings().recipe();
        assertEquals(Comparison.DEFAULT_LIMIT, chosen.limit());
        assertEquals(Comparison.DEFAULT_EPOCHS, chosen.epochs());
        Recipe asked = fromSettings("limit", "0", "epochs", "3").recipe();
        assertEquals(0, asked.limit());
        assertEquals(3, asked.epochs());
    }

    @Test
    void settingsThatContradictACompareRunFailInOneLine() {
        List<String[]> bad = List.of(
                new String[] {"kernel", "scalar"},
                new String[] {"weights", "seed.h5"},
                new String[] {"grid", "true"},
                new String[] {"vector.bits", "0"},
                new String[] {"testLimit", "-1"},
                new String[] {"testLimit", "some"});
        for (String[] kv : bad) {
            Exception e = assertThrows(IllegalArgumentException.class, () -> fromSettings(kv));
            assertTrue(e.getMessage().startsWith("invalid " + kv[0] + "=" + kv[1] + ": "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
