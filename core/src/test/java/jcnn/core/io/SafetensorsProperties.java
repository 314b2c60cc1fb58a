package jcnn.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import jcnn.core.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Write then read returns the same tensors, for random shapes (including empty and scalar ones). */
class SafetensorsProperties {

    @Property(tries = 50)
    boolean roundTripOfRandomShapes(@ForAll @Size(max = 4) int[] dims, @ForAll @IntRange(min = 0, max = 5) int count,
                                    @ForAll long seed) throws IOException {
        int[] shape = Arrays.stream(dims).map(d -> Math.floorMod(d, 6)).toArray();
        Random rng = new Random(seed);
        Safetensors st = new Safetensors();
        for (int i = 0; i < count; i++) {
            st.put("t" + i, Tensor.randn(rng, shape));
        }
        st.putLongs("ids", rng.longs(Tensor.zeros(shape).size()).toArray(), shape);
        Path file = Files.createTempFile("jcnn-property", ".safetensors");
        try {
            st.write(file);
            Safetensors read = Safetensors.read(file);
            for (String name : st.names()) {
                boolean same = Arrays.equals(st.shape(name), read.shape(name))
                        && (st.dtype(name) == Safetensors.DType.I64
                        ? Arrays.equals(st.longs(name), read.longs(name))
                        : Arrays.equals(st.tensor(name).data(), read.tensor(name).data()));
                if (!same) {
                    return false;
                }
            }
            return read.names().equals(st.names());   // as sets: the file order is by dtype, then name
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
