package io.kubevisor.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Measures CPU use over a phase: cores used by this JVM (server and client together) and cores
 * busy on the whole machine, so a reader can tell when other work was competing. Not thread-safe;
 * one meter per phase.
 */
final class CpuMeter {

    /**
     * @param jvmCores     average cores this JVM used over the phase
     * @param machineCores average cores busy machine-wide (this JVM included), from /proc/stat
     */
    record Usage(double jvmCores, double machineCores) {
        /** Cores busy with work outside this JVM. */
        double otherCores() {
            return Math.max(0, machineCores - jvmCores);
        }

        /** The time-weighted average of two windows. */
        Usage weighted(double seconds, Usage other, double otherSeconds) {
            double total = seconds + otherSeconds;
            return new Usage((jvmCores * seconds + other.jvmCores * otherSeconds) / total,
                    (machineCores * seconds + other.machineCores * otherSeconds) / total);
        }

        String describe() {
            return String.format(Locale.ROOT, "JVM %.2f cores, other processes %.2f cores", jvmCores, otherCores());
        }
    }

    private final long startWall = System.nanoTime();
    private final long startCpu = processCpuNanos();
    private final long[] startStat = procStat();

    static CpuMeter start() {
        return new CpuMeter();
    }

    Usage stop() {
        double wall = System.nanoTime() - startWall;
        double jvm = (processCpuNanos() - startCpu) / wall;
        long[] end = procStat();
        double machine = Double.NaN;
        if (startStat != null && end != null && end[0] > startStat[0]) {
            double busyFraction = 1.0 - (double) (end[1] - startStat[1]) / (end[0] - startStat[0]);
            machine = busyFraction * Runtime.getRuntime().availableProcessors();
        }
        return new Usage(jvm, machine);
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** Total and idle (idle + iowait) jiffies of the aggregate "cpu" line, or null off Linux. */
    private static long[] procStat() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            String[] f = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total, idle};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
