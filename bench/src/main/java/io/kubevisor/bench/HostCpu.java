package io.kubevisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CPU over a phase of the pod benchmark, split by who used it: the whole machine (/proc/stat),
 * the Kubevisor JVM itself, the commands it ran and waited for (runsc state/create/start…, counted
 * when they exit), the sandboxes' own processes (sentries, gofers, stubs, waiters of the given
 * runsc roots), this benchmark's JVM with its commands, and everything else (other work on the
 * machine). Not thread-safe; one meter per phase.
 */
final class HostCpu {

    /** Average cores over the phase. */
    record Usage(double seconds, double machine, double kubevisor, double kubevisorCommands, double sandboxes,
                 double bench) {

        double other() {
            return Math.max(0, machine - kubevisor - kubevisorCommands - sandboxes - bench);
        }

        String describe() {
            return String.format(Locale.ROOT, "machine %.2f cores: Kubevisor JVM %.2f, its runsc and other commands"
                    + " %.2f, sandbox processes %.2f, benchmark %.2f, other processes %.2f", machine, kubevisor,
                    kubevisorCommands, sandboxes, bench, other());
        }
    }

    private final KubevisorProcess kubevisor;
    private final List<Path> roots;
    private final long wall = System.nanoTime();
    private final long[] stat = procStat();
    private final long[] kv;
    private final long[] self = HostProcesses.cpu(ProcessHandle.current().pid());
    private final List<Map<Integer, Long>> sandboxes;

    private HostCpu(KubevisorProcess kubevisor, List<Path> roots) {
        this.kubevisor = kubevisor;
        this.roots = roots;
        this.kv = kubevisor == null ? new long[] {0, 0} : kubevisor.cpuTicks();
        this.sandboxes = roots.stream().map(r -> HostProcesses.scan(r, false).ticks()).toList();
    }

    /**
     * @param kubevisor the Kubevisor process (null: none)
     * @param roots     runsc state roots whose processes count as sandboxes
     */
    static HostCpu start(KubevisorProcess kubevisor, List<Path> roots) {
        return new HostCpu(kubevisor, roots);
    }

    Usage stop() {
        double seconds = (System.nanoTime() - wall) / 1e9;
        long[] statEnd = procStat();
        double machine = Double.NaN;
        if (stat != null && statEnd != null && statEnd[0] > stat[0]) {
            machine = (1.0 - (double) (statEnd[1] - stat[1]) / (statEnd[0] - stat[0]))
                    * Runtime.getRuntime().availableProcessors();
        }
        long[] kvEnd = kubevisor == null ? new long[] {0, 0} : kubevisor.cpuTicks();
        long[] selfEnd = HostProcesses.cpu(ProcessHandle.current().pid());
        long sandboxTicks = 0;
        for (int i = 0; i < roots.size(); i++) {
            sandboxTicks += HostProcesses.scan(roots.get(i), false).cpuTicksSince(sandboxes.get(i));
        }
        double perTick = 1.0 / HostProcesses.TICKS_PER_SECOND / seconds;
        return new Usage(seconds, machine, (kvEnd[0] - kv[0]) * perTick, (kvEnd[1] - kv[1]) * perTick,
                sandboxTicks * perTick, (selfEnd[0] + selfEnd[1] - self[0] - self[1]) * perTick);
    }

    /** Total and idle (idle + iowait) jiffies of the aggregate "cpu" line, or null. */
    private static long[] procStat() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
