import java.util.*;
import jcnn.core.*;
import jcnn.kernels.*;
import jcnn.training.BatchGradient;
import jcnn.training.nn.*;
import jcnn.training.optim.*;
public class Loop {
    public static void main(String[] a) {
        int batch = Integer.parseInt(a[0]), threads = Integer.parseInt(a[1]); double secs = Double.parseDouble(a[2]);
        boolean timed = a.length > 3;
        Kernels base = KernelProvider.vector(-1, threads);
        TimedKernels tk = new TimedKernels(base);
        Kernels k = timed ? tk : base;
        Sequential model = SeedCnn.create(new SplittableRandom(1));
        Optimizer opt = new Sgd(model.parameters(), 0.01);
        float[] img = new float[batch * 784]; int[] lab = new int[batch];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < img.length; i++) img[i] = (float) r.nextDouble();
        for (int i = 0; i < batch; i++) lab[i] = r.nextInt(10);
        Tensor x = Tensor.of(img, batch, 1, 28, 28);
        BufferPool pool = new BufferPool();
        BatchGradient g = new BatchGradient(model, 0);
        Runnable step = () -> { try (var e = Engine.using(k); var s = pool.open()) { opt.zeroGrad(); g.compute(x, lab); opt.step(); } };
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) step.run();
        tk.reset();
        double[] t = new double[15];
        long tEnd = System.nanoTime() + (long) (secs * 1e9); int rounds = 0;
        while (System.nanoTime() < tEnd) { long t0 = System.nanoTime(); for (int i = 0; i < 40; i++) step.run(); t[rounds++ % 15] = (System.nanoTime() - t0) / 1e6 / 40; }
        double[] v = Arrays.copyOf(t, Math.min(rounds, 15)); Arrays.sort(v);
        System.out.printf("b%d t%d best %.3f median %.3f ms (%d rounds)%n", batch, threads, v[0], v[v.length/2], rounds);
        if (timed) { var b = tk.breakdown(); long steps = rounds * 40L;
            b.topLevel().forEach((c, tl) -> System.out.printf("  %-40s %8.3f ms/step %6.1f calls/step%n", c.label(), tl.seconds() * 1e3 / steps, tl.calls() / (double) steps)); }
    }
}
