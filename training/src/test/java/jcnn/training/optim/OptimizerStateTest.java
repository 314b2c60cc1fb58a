package jcnn.training.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import jcnn.core.Engine;
import jcnn.core.Tensor;
import jcnn.kernels.KernelProvider;
import jcnn.training.Recipe;
import jcnn.training.nn.Linear;
import org.junit.jupiter.api.Test;

/**
 * Every optimizer's state round-trips: an optimizer that loads another's state after k steps takes the same next
 * steps, bit for bit; a state that does not fit is refused with its name, and changes nothing.
 */
class OptimizerStateTest {

    private static Recipe recipe(String optimizer) {
        Properties p = new Properties();
        p.setProperty("optimizer", optimizer);
        p.setProperty("lr", "0.01");
        return Recipe.fromProperties(p);
    }

    /** Fills every gradient with values that depend on the step, then steps (through a closure, for SAM). */
    private static void step(Optimizer o, Linear model, int t) {
        o.step(() -> {
            o.zeroGrad();
            SplittableRandom rng = new SplittableRandom(t);
            for (Tensor p : model.parameters()) {
                float[] g = p.grad();
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) (rng.nextDouble() - 0.5) + 0.01f * p.data()[i];
                }
            }
            return 1f;
        });
    }

    @Test
    @SuppressWarnings("try")
    void aLoadedStateContinuesExactly() {
        try (Engine.Scope scalar = Engine.using(KernelProvider.scalar())) {
            for (String name : Recipe.OPTIMIZERS) {
                Linear a = new Linear(7, 5, new SplittableRandom(1)), b = new Linear(7, 5, new SplittableRandom(1));
                Optimizer oa = Optimizers.fromRecipe(recipe(name), a.parameters());
                Optimizer ob = Optimizers.fromRecipe(recipe(name), b.parameters());
                for (int t = 0; t < 3; t++) {
                    step(oa, a, t);
                }
                b.loadState(a.state(), "a");
                ob.loadState(oa.state(), "a");
                assertEquals(oa.state().values(), ob.state().values(), name);
                for (int t = 3; t < 6; t++) {
                    step(oa, a, t);
                    step(ob, b, t);
                }
                for (int i = 0; i < a.parameters().size(); i++) {
                    assertArrayEquals(a.parameters().get(i).data(), b.parameters().get(i).data(), name + " " + i);
                }
                System.out.println(name + " state: " + oa.state().arrays().keySet() + " " + oa.state().values());
            }
        }
    }

    @Test
    void aStateThatDoesNotFitIsRefused() {
        Linear model = new Linear(7, 5, new SplittableRandom(1));
        Optimizer adam = Optimizers.fromRecipe(recipe("adam"), model.parameters());
        Optimizer.State good = adam.state();

        Map<String, float[]> shortArray = new LinkedHashMap<>(good.arrays());
        shortArray.put("exp_avg.1", new float[4]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> adam.loadState(new Optimizer.State(shortArray, good.values()), "f"));
        assertEquals("cannot load the state of Adam from f: array 'exp_avg.1' has 4 values, parameter 1 has 5",
                e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> adam.loadState(new Optimizer.State(good.arrays(), Map.of("step", "-3")), "f"));
        assertEquals("cannot load the state of Adam from f: step=-3, expected an integer >= 0", e.getMessage());

        Optimizer sgd = Optimizers.fromRecipe(recipe("sgd"), model.parameters());
        e = assertThrows(IllegalArgumentException.class, () -> sgd.loadState(good, "f"));
        assertEquals("cannot load the state of Sgd from f: unexpected array 'exp_avg.0'", e.getMessage());

        Optimizer sam = Optimizers.fromRecipe(recipe("sam"), model.parameters());
        e = assertThrows(IllegalArgumentException.class,
                () -> sam.loadState(new Optimizer.State(Map.of(), Map.of("started", "true")), "f"));
        assertEquals("cannot load the state of SAM from f: unexpected entry 'started' (expected names starting"
                + " with 'base.')", e.getMessage());
        assertEquals(List.of(), List.copyOf(sgd.state().arrays().keySet()), "nothing changed");
    }
}
