import java.util.*;
import jcnn.core.*;
import jcnn.kernels.*;
import jcnn.training.BatchGradient;
import jcnn.training.nn.*;
import jcnn.training.optim.*;
public class Prof5 {
    public static void main(String[] a) {
        int batch = Integer.parseInt(a[0]), threads = Integer.parseInt(a[1]);
        Kernels k = KernelProvider.vector(-1, threads);
        Sequential model = SeedCnn.create(new SplittableRandom(1));
        Optimizer opt = new Sgd(model.parameters(), 0.01);
        float[] img = new float[batch * 784]; int[] lab = new int[batch];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < img.length; i++) img[i] = (float) r.nextDouble();
        for (int i = 0; i < batch; i++) lab[i] = r.nextInt(10);
        Tensor x = Tensor.of(img, batch, 1, 28, 28);
        BufferPool pool = new BufferPool();
        String[] names = {"whole", "16 each", "16 static", "8 each", "8 static"};
        BatchGradient g16 = new BatchGradient(model, 0, 16), g8 = new BatchGradient(model, 0, 8);
        Runnable[] steps = new Runnable[5];
        steps[0] = () -> { try (var e = Engine.using(k); var s = pool.open()) { opt.zeroGrad(); Tensor l = Ops.crossEntropy(model.forward(x), lab); l.backward(); opt.step(); } };
        steps[1] = () -> { BatchGradient.EACH = true; try (var e = Engine.using(k); var s = pool.open()) { opt.zeroGrad(); g16.compute(x, lab); opt.step(); } };
        steps[2] = () -> { BatchGradient.EACH = false; try (var e = Engine.using(k); var s = pool.open()) { opt.zeroGrad(); g16.compute(x, lab); opt.step(); } };
        steps[3] = () -> { BatchGradient.EACH = true; try (var e = Engine.using(k); var s = pool.open()) { opt.zeroGrad(); g8.compute(x, lab); opt.step(); } };
        steps[4] = () -> { BatchGradient.EACH = false; try (var e = Engine.using(k); var s = pool.open()) { opt.zeroGrad(); g8.compute(x, lab); opt.step(); } };
        long end = System.nanoTime() + 12_000_000_000L;
        while (System.nanoTime() < end) for (Runnable s : steps) s.run();
        double[][] t = new double[5][15];
        for (int round = 0; round < 15; round++) for (int s = 0; s < 5; s++) {
            long t0 = System.nanoTime(); for (int i = 0; i < 40; i++) steps[s].run(); t[s][round] = (System.nanoTime() - t0) / 1e6 / 40; }
        for (int s = 0; s < 5; s++) { double[] v = t[s].clone(); Arrays.sort(v); System.out.printf("b%d t%d %-10s best %.3f median %.3f ms%n", batch, threads, names[s], v[0], v[7]); }
    }
}
