package jcnn.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import jcnn.core.Tensor;
import jcnn.core.testing.PropertyCheck;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Write then read returns the same tensors, for random shapes (including empty and scalar ones). */
class SafetensorsProperties {

    /** Up to four dimensions of 0-5: a rank-0 shape is a scalar, a 0 anywhere an empty tensor. */
    record Case(int[] shape, int count, long seed) {
        @Override
        public String toString() {
            return "Case[shape=" + Arrays.toString(shape) + ", count=" + count + ", seed=" + seed + "]";
        }
    }

    @Test
    void roundTripOfRandomShapes() {
        Gen<Case> cases = Generate.intArrays(integers().between(0, 4), integers().between(0, 5))
                .zip(integers().between(0, 5), longs().all(), Case::new);
        PropertyCheck.forAll(50, cases, c -> {
            Random rng = new Random(c.seed());
            Safetensors st = new Safetensors();
            for (int i = 0; i < c.count(); i++) {
                st.put("t" + i, Tensor.randn(rng, c.shape()));
            }
            st.putLongs("ids", rng.longs(Tensor.zeros(c.shape()).size()).toArray(), c.shape());
            Safetensors read = roundTrip(st);
            assertEquals(st.names(), read.names());   // as sets: the file order is by dtype, then name
            for (String name : st.names()) {
                assertArrayEquals(st.shape(name), read.shape(name), name);
                if (st.dtype(name) == Safetensors.DType.I64) {
                    assertArrayEquals(st.longs(name), read.longs(name), name);
                } else {
                    assertArrayEquals(st.tensor(name).data(), read.tensor(name).data(), name);
                }
            }
        });
    }

    private static Safetensors roundTrip(Safetensors st) {
        try {
            Path file = Files.createTempFile("jcnn-property", ".safetensors");
            try {
                st.write(file);
                return Safetensors.read(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
