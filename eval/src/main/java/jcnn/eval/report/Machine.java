package jcnn.eval.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a run ran: enough to tell two timings apart (a different JDK, CPU, kernel or thread count explains most
 * surprises), and nothing that identifies a person (no host or user names).
 *
 * @param kernel the kernel implementation, as the kernel provider names it ("scalar", "vector-512", ...)
 * @param vectorBits the vector width in bits; 0 for the scalar kernels
 * @param threads threads the kernels use
 */
public record Machine(
        String jdkVersion,
        String jdkVendor,
        String os,
        String cpuModel,
        int availableProcessors,
        String kernel,
        int vectorBits,
        int threads) {

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    /**
     * This JVM and host, with the kernel settings the caller chose (only the caller knows which kernels it built).
     */
    public static Machine detect(String kernel, int vectorBits, int threads) {
        String os = System.getProperty("os.name", "?") + " " + System.getProperty("os.version", "")
                + " (" + System.getProperty("os.arch", "?") + ")";
        return new Machine(
                System.getProperty("java.runtime.version", System.getProperty("java.version", "?")),
                System.getProperty("java.vendor", "?"),
                os,
                readCpuModel().orElse("unknown"),
                Runtime.getRuntime().availableProcessors(),
                kernel,
                vectorBits,
                threads);
    }

    /** The first "model name" of /proc/cpuinfo; empty where there is no such file (macOS, Windows) or line. */
    static Optional<String> readCpuModel() {
        try {
            return parseCpuModel(Files.readAllLines(CPUINFO, StandardCharsets.UTF_8));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The value of the first "model name : ..." line; split out so it can be tested on any host. */
    static Optional<String> parseCpuModel(List<String> cpuinfoLines) {
        for (String line : cpuinfoLines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals("model name")) {
                String value = line.substring(colon + 1).trim();
                if (!value.isEmpty()) {
                    return Optional.of(value);
                }
            }
        }
        return Optional.empty();
    }
}
