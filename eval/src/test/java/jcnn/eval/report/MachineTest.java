package jcnn.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MachineTest {

    @Test
    void readsTheFirstModelNameOfCpuinfo() {
        List<String> cpuinfo = List.of(
                "processor\t: 0",
                "vendor_id\t: GenuineIntel",
                "model\t\t: 106",
                "model name\t: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz",
                "",
                "processor\t: 1",
                "model name\t: something else");
        assertEquals(Optional.of("Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz"), Machine.parseCpuModel(cpuinfo));
    }

    @Test
    void noModelNameLineGivesEmpty() {
        // ARM kernels print no "model name"; "model" alone must not be mistaken for it.
        assertEquals(Optional.empty(),
                Machine.parseCpuModel(List.of("processor\t: 0", "model\t\t: 1", "CPU part\t: 0xd0c")));
        assertEquals(Optional.empty(), Machine.parseCpuModel(List.of("model name\t:   ")));
    }

    @Test
    void detectFillsEveryField() {
        Machine m = Machine.detect("scalar", 0, 3);
        assertFalse(m.jdkVersion().isBlank());
        assertFalse(m.jdkVendor().isBlank());
        assertFalse(m.os().isBlank());
        assertFalse(m.cpuModel().isBlank());
        assertTrue(m.availableProcessors() >= 1);
        assertEquals("scalar", m.kernel());
        assertEquals(0, m.vectorBits());
        assertEquals(3, m.threads());
    }
}
