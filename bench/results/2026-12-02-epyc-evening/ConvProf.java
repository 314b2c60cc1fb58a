package jcnn.kernels;
import java.util.*;
public class ConvProf {
    static double time(Runnable r, int reps) { double best = 1e9; for (int k = 0; k < 7; k++) { long t0 = System.nanoTime(); for (int i = 0; i < reps; i++) r.run(); best = Math.min(best, (System.nanoTime() - t0) / 1e3 / reps); } return best; }
    public static void main(String[] a) {
        SplittableRandom r = new SplittableRandom(1);
        for (int n : new int[]{16, 64}) {
            ConvShape s1 = new ConvShape(n, 1, 28, 28, 16, 3, 3, 1, 1);
            ConvShape s2 = new ConvShape(n, 16, 14, 14, 32, 3, 3, 1, 1);
            float[] x1 = rand(r, n * 784), w1 = rand(r, 144), b1 = rand(r, 16), y1 = new float[n * 16 * 784], dw1 = new float[144], db1 = new float[16];
            float[] x2 = rand(r, n * 16 * 196), w2 = rand(r, 32 * 144), b2 = rand(r, 32), y2 = rand(r, n * 32 * 196), dx2 = new float[n * 16 * 196], dw2 = new float[32 * 144], db2 = new float[32];
            Runnable c1f = () -> VectorDirectConv.conv2dForward(x1, w1, b1, y1, s1, 1);
            Runnable c1w = () -> VectorDirectConv.conv2dWeightGradient(y1, x1, dw1, db1, s1, 1);
            Runnable c2f = () -> VectorDirectConvChannels.conv2dForward(x2, w2, b2, y2, s2, 1);
            Runnable c2x = () -> VectorDirectConvChannels.conv2dBackward(y2, x2, w2, dx2, null, null, s2, 1);
            Runnable c2w = () -> VectorDirectConvChannels.conv2dBackward(y2, x2, w2, null, dw2, db2, s2, 1);
            long end = System.nanoTime() + 8_000_000_000L;
            while (System.nanoTime() < end) { c1f.run(); c1w.run(); c2f.run(); c2x.run(); c2w.run(); }
            int reps = 1280 / n;
            System.out.printf("n=%d per image us: conv1 fwd %.2f  conv1 dW %.2f  conv2 fwd %.2f  conv2 dX %.2f  conv2 dW %.2f%n", n,
                time(c1f, reps) / n, time(c1w, reps) / n, time(c2f, reps) / n, time(c2x, reps) / n, time(c2w, reps) / n);
        }
    }
    static float[] rand(SplittableRandom r, int n) { float[] v = new float[n]; for (int i = 0; i < n; i++) v[i] = (float) r.nextDouble(-1, 1); return v; }
}
