package jcnn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Issue 15, item 9: the advice of a diverged run names the setting that made it diverge. */
class DivergenceAdviceTest {

    private static Recipe recipe(String lr, String weightDecay) {
        Properties p = new Properties();
        p.setProperty("lr", lr);
        p.setProperty("weightDecay", weightDecay);
        return Recipe.fromProperties(p);
    }

    @Test
    void aHugeWeightDecayIsNamedNotTheLearningRate() {
        assertEquals(" (lower weightDecay=1.0E30: lr x weightDecay = 5.00e+28, and from 1 on the decay alone"
                + " overshoots zero every step; the default is 5e-4)", DivergenceAdvice.of(recipe("0.05", "1e30")));
        assertEquals(" (lower weightDecay=2.0: lr x weightDecay = 2.00, and from 1 on the decay alone overshoots"
                + " zero every step; the default is 5e-4)", DivergenceAdvice.of(recipe("1", "2")));
    }

    @Test
    void otherwiseTheLearningRateIs() {
        assertEquals(" (lower lr=1000000.0)", DivergenceAdvice.of(recipe("1e6", "5e-4")));
        assertEquals(" (lower lr=0.05)", DivergenceAdvice.of(recipe("0.05", "0")));
    }
}
