package jcnn.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one-cycle schedule against PyTorch's OneCycleLR formula, and warm-up + cosine. */
class LrScheduleTest {

    @Test
    void oneCycleFollowsPyTorchsOneCycleLr() {
        // torch.optim.lr_scheduler.OneCycleLR(max_lr=0.1, total_steps=100): step 0 is max/25, the peak is at step
        // float(0.3 * 100) - 1 = 29, the last step (99) is max / 25 / 1e4. Values at 10 and 60 from its
        // _annealing_cos: end + (start - end) / 2 * (cos(pi * pct) + 1).
        LrSchedule s = LrSchedule.named("onecycle", 0.1, 100);
        assertEquals(0.004, s.rate(0, 100), 1e-15);
        assertEquals(0.1, s.rate(29, 100), 1e-15);
        assertEquals(0.1 / 25 / 1e4, s.rate(99, 100), 1e-15);
        double pct = 10 / 29.0;
        assertEquals(0.1 + (0.004 - 0.1) / 2 * (Math.cos(Math.PI * pct) + 1), s.rate(10, 100), 1e-15);
        double down = (60 - 29) / 70.0, last = 0.1 / 25e4;
        assertEquals(last + (0.1 - last) / 2 * (Math.cos(Math.PI * down) + 1), s.rate(60, 100), 1e-15);
        for (long step = 1; step < 100; step++) {
            boolean rising = step <= 29;
            assertTrue(rising ? s.rate(step, 100) > s.rate(step - 1, 100) : s.rate(step, 100) < s.rate(step - 1, 100),
                    "step " + step);
        }
    }

    @Test
    void warmupThenCosine() {
        LrSchedule s = LrSchedule.named("cosine", 0.2, 100).withWarmup(10);
        assertEquals(0.2 * Math.cos(Math.PI * 10 / 100.0 / 2) * Math.cos(Math.PI * 10 / 100.0 / 2) / 10, s.rate(0, 100),
                1e-15);
        assertEquals(LrSchedule.cosine(0.2, 0).rate(10, 100), s.rate(9, 100), 1e-15);
        assertEquals(LrSchedule.cosine(0.2, 0).rate(50, 100), s.rate(50, 100), 1e-15);
    }
}
