package io.kubevisor.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Host memory held by {@code count} running sandboxes or pods: how far MemAvailable fell since
 * they were started, the resident (RSS) and proportional (PSS) memory of their processes by kind,
 * and how much the Kubevisor JVM grew. Immutable.
 *
 * @param count          sandboxes or pods running
 * @param memAvailDrop   MemAvailable before minus after, bytes (other work on the machine moves it too)
 * @param scan           their processes
 * @param jvmGrowth      growth of the Kubevisor JVM's RSS, bytes (0 for bare sandboxes)
 * @param hostTasks      tasks (threads) on the whole host afterwards
 */
record Footprint(int count, long memAvailDrop, HostProcesses.Scan scan, long jvmGrowth, int hostTasks,
                 long[] cgroup) {

    /**
     * Measures now against {@code memAvailBefore} and {@code jvmRssBefore} taken before the starts.
     *
     * @param cgroups the sandboxes' memory cgroups (hierarchical: a parent counts its children)
     */
    static Footprint measure(int count, Path stateRoot, List<Path> cgroups, long memAvailBefore, KubevisorProcess kv,
                             long jvmRssBefore) throws InterruptedException {
        // Let freshly started sandboxes settle (page faults of their first seconds).
        Thread.sleep(3000);
        long memAvail = HostProcesses.meminfo("MemAvailable");
        return new Footprint(count, memAvailBefore - memAvail, HostProcesses.scan(stateRoot, true),
                kv == null ? 0 : kv.rss() - jvmRssBefore, HostProcesses.hostTasks(), HostProcesses.cgroupMemory(cgroups));
    }

    /** The cgroups' charge per unit, bytes: {usage_in_bytes, total_rss}. */
    double cgroupPerUnit(int which) {
        return (double) cgroup[which] / count;
    }

    double memAvailPerUnit() {
        return (double) memAvailDrop / count;
    }

    double pssPerUnit() {
        return (double) scan.total().pss() / count;
    }

    double rssPerUnit() {
        return (double) scan.total().rss() / count;
    }

    double threadsPerUnit() {
        return (double) scan.total().threads() / count;
    }

    /** Rows: one per process kind present, then the total, each per sandbox/pod. */
    List<List<String>> rows(String what) {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<HostProcesses.Kind, HostProcesses.Totals> e : scan.byKind().entrySet()) {
            HostProcesses.Totals t = e.getValue();
            if (t.processes() == 0) {
                continue;
            }
            rows.add(List.of(what + ": " + e.getKey().label, Markdown.num((double) t.processes() / count, 1),
                    mib(t.rss()), mib(t.pss()), Markdown.num((double) t.threads() / count, 1)));
        }
        HostProcesses.Totals all = scan.total();
        rows.add(List.of("**" + what + ": all its processes**", Markdown.num((double) all.processes() / count, 1),
                mib(all.rss()), mib(all.pss()), Markdown.num((double) all.threads() / count, 1)));
        return rows;
    }

    /** MiB per unit, one decimal. */
    String mib(long bytes) {
        return Markdown.num(bytes / (double) (1 << 20) / count, 1);
    }

    static String mib(double bytes) {
        return Markdown.num(bytes / (1 << 20), 1);
    }
}
