package jcnn.eval.io;

import java.util.Arrays;

/**
 * A named float32 array with its shape: the common denominator of weight files (HDF5, safetensors, .npz), before
 * anyone turns it into a tensor. Data is row-major (C order), the layout of every one of those formats.
 *
 * <p>The data array is shared, not copied (a fully connected layer is 200,000 floats): treat it as read-only.
 * equals and hashCode compare contents; toString shows name and shape, not the numbers.
 *
 * @param name  e.g. {@code conv1.weight}
 * @param shape e.g. {16, 1, 3, 3}; empty for a scalar
 * @param data  product(shape) values
 */
public record NamedArray(String name, int[] shape, float[] data) {

    public NamedArray {
        shape = shape.clone();   // tiny, and keeps the size check below true forever
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(name + ": negative dimension in " + shapeString(shape));
            }
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException(name + ": shape " + shapeString(shape) + " holds " + size
                    + " values but data has " + data.length);
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int size() {
        return data.length;
    }

    /** The shape as Python prints a tuple, e.g. "(16, 1, 3, 3)" or "(16,)", so it reads like h5py's output. */
    public static String shapeString(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(')').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedArray a && a.name.equals(name) && Arrays.equals(a.shape, shape)
                && Arrays.equals(a.data, data);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return name + " float32 " + shapeString(shape);
    }
}
