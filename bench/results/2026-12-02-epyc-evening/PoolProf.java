package jcnn.kernels;
import java.util.*;
public class PoolProf {
    public static void main(String[] a) {
        SplittableRandom r = new SplittableRandom(1); int n = a.length > 0 ? Integer.parseInt(a[0]) : 16;
        PoolShape p1 = new PoolShape(n, 16, 28, 28, 2, 2), p2 = new PoolShape(n, 32, 14, 14, 2, 2);
        float[] x1 = ConvProf.rand(r, p1.inputSize()), y1 = new float[p1.outputSize()], dx1 = new float[p1.inputSize()], dy1 = ConvProf.rand(r, p1.outputSize());
        float[] x2 = ConvProf.rand(r, p2.inputSize()), y2 = new float[p2.outputSize()], dx2 = new float[p2.inputSize()], dy2 = ConvProf.rand(r, p2.outputSize());
        int[] am1 = new int[p1.outputSize()], am2 = new int[p2.outputSize()];
        Runnable f1 = () -> VectorPool.reluMaxPoolForward(x1, p1, y1, am1, 1);
        Runnable b1 = () -> VectorPool.reluMaxPoolBackward(dy1, am1, x1, p1, dx1, 1);
        Runnable f2 = () -> VectorPool.reluMaxPoolForward(x2, p2, y2, am2, 1);
        Runnable b2 = () -> VectorPool.reluMaxPoolBackward(dy2, am2, x2, p2, dx2, 1);
        Runnable z1 = () -> Arrays.fill(dx1, 0f);
        long end = System.nanoTime() + 6_000_000_000L;
        while (System.nanoTime() < end) { f1.run(); b1.run(); f2.run(); b2.run(); z1.run(); }
        System.out.printf("per image us: pool1 fwd %.2f bwd %.2f  pool2 fwd %.2f bwd %.2f  fill dx1 %.2f%n",
            ConvProf.time(f1, 1280 / n) / n, ConvProf.time(b1, 1280 / n) / n, ConvProf.time(f2, 1280 / n) / n, ConvProf.time(b2, 1280 / n) / n, ConvProf.time(z1, 80) / n);
    }
}
