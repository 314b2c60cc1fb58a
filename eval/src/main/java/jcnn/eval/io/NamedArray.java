package jcnn.eval.io;

import java.util.Arrays;
import jcnn.core.Tensor;

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
                throw new IllegalArgumentException(name + ": negative dimension in " + Tensor.shapeString(shape));
            }
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException(name + ": shape " + Tensor.shapeString(shape) + " holds " + size
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
        return name + " float32 " + Tensor.shapeString(shape);
    }
}
