package jcnn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import jcnn.core.Tensor;
import jcnn.training.nn.BatchNorm2d;
import jcnn.training.nn.Sequential;
import org.junit.jupiter.api.Test;

/** The exponential moving average of the weights, and that training validates and keeps it. */
class WeightAverageTest {

    @Test
    void theAverageFollowsItsFormulaWithAWarmedUpDecay() {
        Tensor w = Tensor.of(new float[] {0, 10}, 2);
        WeightAverage avg = new WeightAverage(List.of(w), 0.5);
        // step 0: decay min(0.5, 1/10) = 0.1, so avg = 0.1 * 0 + 0.9 * 4 = 3.6 (and 0.1 * 10 + 0.9 * 20)
        w.data()[0] = 4;
        w.data()[1] = 20;
        assertEquals(0.1, avg.currentDecay(), 1e-15);
        avg.update();
        avg.swap();
        assertArrayEquals(new float[] {3.6f, 19f}, w.data(), 1e-6f);
        avg.swap();
        assertArrayEquals(new float[] {4, 20}, w.data());
        // many steps later the decay is the one asked for
        for (int i = 0; i < 100; i++) {
            avg.update();
        }
        assertEquals(0.5, avg.currentDecay());
        assertEquals(101, avg.steps());
        assertThrows(IllegalArgumentException.class, () -> new WeightAverage(List.of(w), 1));
    }

    /**
     * With batch norm, evaluation reads the running statistics too: an average of the parameters alone leaves the
     * live statistics beside the averaged weights; {@code ofState} averages them with the weights (not the batch
     * count), so the swapped-in model is one averaged state.
     */
    @Test
    void theStateAverageCoversBatchNormsRunningStatistics() {
        Sequential net = new Sequential().add("bn", new BatchNorm2d(2));
        Tensor mean = net.namedState().get("bn.running_mean"), weight = net.namedState().get("bn.weight");
        Tensor count = net.namedState().get("bn.num_batches_tracked");
        WeightAverage params = new WeightAverage(net.parameters(), 0.5), state = WeightAverage.ofState(net, 0.5);
        // one training-mode forward moves the running mean (momentum 0.1 towards the batch mean 10) and the count
        net.train();
        net.forward(Tensor.of(new float[] {10, 10, 10, 10, 10, 10, 10, 10}, 2, 2, 1, 2));
        weight.data()[0] = 3;
        float live = mean.data()[0], liveCount = count.data()[0];
        assertEquals(1.0f, live, 1e-6f);
        params.update();
        state.update();
        params.swap();   // parameters averaged (decay 0.1 at step 0), the running mean left live
        assertEquals(0.1f * 1 + 0.9f * 3, weight.data()[0], 1e-6f);
        assertEquals(live, mean.data()[0]);
        params.swap();
        state.swap();   // both averaged, the count left as it is
        assertEquals(0.1f * 1 + 0.9f * 3, weight.data()[0], 1e-6f);
        assertEquals(0.1f * 0 + 0.9f * live, mean.data()[0], 1e-6f);
        assertEquals(liveCount, count.data()[0]);
        state.swap();
        assertEquals(live, mean.data()[0]);
        assertEquals(3, weight.data()[0]);
    }

    @Test
    void trainingWithEmaKeepsTheAverageAndRerunsAreBitIdentical() {
        Recipe plain = TinyRuns.recipe("epochs=2", "batch=32", "limit=160");
        Recipe ema = plain.toBuilder().ema(0.9).build();
        Map<String, Tensor> withEma = bestOf(ema), again = bestOf(ema), without = bestOf(plain);
        withEma.forEach((name, t) -> assertArrayEquals(t.data(), again.get(name).data(), name));
        // the kept weights are the average, not the iterate that plain training keeps
        assertNotEquals(List.of(without.get("fc2.weight").data()[0], without.get("conv1.bias").data()[3]),
                List.of(withEma.get("fc2.weight").data()[0], withEma.get("conv1.bias").data()[3]));
    }

    private static Map<String, Tensor> bestOf(Recipe r) {
        Sequential model = TinyRuns.model(r);
        Trainer t = new Trainer(model, r).showProgress(false);
        jcnn.training.data.Dataset.Split s = TinyRuns.split(r);
        t.fit(s.train(), s.validation());
        return t.bestState();
    }
}
