import java.lang.management.*;
import java.util.*;
import jcnn.core.*;
import jcnn.kernels.*;
import jcnn.training.BatchGradient;
import jcnn.training.nn.*;
import jcnn.training.optim.*;

public class Prof2 {
    static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    public static void main(String[] a) {
        int batch = Integer.parseInt(a[0]);
        int threads = Integer.parseInt(a[1]);
        Kernels k = KernelProvider.vector(-1, threads);
        Sequential model = SeedCnn.create(new SplittableRandom(1));
        Optimizer opt = new Sgd(model.parameters(), 0.01);
        float[] img = new float[batch * 784]; int[] lab = new int[batch];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < img.length; i++) img[i] = (float) r.nextDouble();
        for (int i = 0; i < batch; i++) lab[i] = r.nextInt(10);
        Tensor x = Tensor.of(img, batch, 1, 28, 28);
        BufferPool pool = new BufferPool();
        List<String> names = new ArrayList<>(); List<Runnable> steps = new ArrayList<>();
        names.add("whole"); steps.add(() -> { try (var e = Engine.using(k); var s = pool.open()) { opt.zeroGrad(); Tensor l = Ops.crossEntropy(model.forward(x), lab); l.backward(); opt.step(); } });
        for (int i = 2; i < a.length; i++) { int c = Integer.parseInt(a[i]); BatchGradient g = new BatchGradient(model, 0, c);
            names.add("chunk" + c); steps.add(() -> { try (var e = Engine.using(k); var s = pool.open()) { opt.zeroGrad(); g.compute(x, lab); opt.step(); } }); }
        long end = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < end) steps.forEach(Runnable::run);
        double[][] best = new double[steps.size()][2];
        for (double[] b : best) Arrays.fill(b, 1e9);
        for (int round = 0; round < 7; round++) for (int s = 0; s < steps.size(); s++) {
            long c0 = MX.getCurrentThreadCpuTime(), t0 = System.nanoTime();
            for (int i = 0; i < 30; i++) steps.get(s).run();
            best[s][0] = Math.min(best[s][0], (System.nanoTime() - t0) / 1e6 / 30);
            best[s][1] = Math.min(best[s][1], (MX.getCurrentThreadCpuTime() - c0) / 1e6 / 30);
        }
        for (int s = 0; s < steps.size(); s++) System.out.printf("b%d t%d %-8s wall %.3f ms  main-thread cpu %.3f ms%n", batch, threads, names.get(s), best[s][0], best[s][1]);
    }
}
