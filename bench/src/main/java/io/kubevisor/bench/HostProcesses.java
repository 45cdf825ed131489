package io.kubevisor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host's view of sandboxes: every process that belongs to one runsc state root, by kind, with
 * its resident memory (RSS), proportional share (PSS, from {@code smaps_rollup}), threads and CPU
 * time; and {@code /proc/meminfo}. A process belongs to the root when its command line names
 * {@code --root=<root>}, or when it descends from one that does (the ptrace platform's stub
 * processes have no command line of their own). Stateless; every call reads /proc anew.
 */
final class HostProcesses {

    /** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
    static final double TICKS_PER_SECOND = 100.0;

    /** What a process is to a sandbox. */
    enum Kind {
        /** {@code runsc-sandbox … boot}: the sentry. */
        SANDBOX("runsc-sandbox (sentry)"),
        /** {@code runsc-gofer}: one per container. */
        GOFER("runsc-gofer"),
        /** A ptrace stub (child of the sentry, no command line). */
        STUB("ptrace stubs"),
        /** {@code runsc wait}: Kubevisor's exit watcher, one per app container. */
        WAIT("`runsc wait`"),
        /** Any other runsc command still running (state, create, start, delete…). */
        OTHER("other runsc commands");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** One process. Sizes in bytes; CPU in clock ticks (user + system, itself only). */
    record Proc(int pid, Kind kind, long rss, long pss, int threads, long cpuTicks) {
    }

    /** Totals of one kind. */
    record Totals(int processes, long rss, long pss, int threads) {
        static final Totals NONE = new Totals(0, 0, 0, 0);

        Totals plus(Proc p) {
            return new Totals(processes + 1, rss + p.rss(), pss + p.pss(), threads + p.threads());
        }

        Totals plus(Totals t) {
            return new Totals(processes + t.processes, rss + t.rss, pss + t.pss, threads + t.threads);
        }
    }

    /** A scan of one state root's processes. */
    record Scan(List<Proc> procs) {
        Map<Kind, Totals> byKind() {
            Map<Kind, Totals> m = new EnumMap<>(Kind.class);
            for (Kind k : Kind.values()) {
                m.put(k, Totals.NONE);
            }
            for (Proc p : procs) {
                m.put(p.kind(), m.get(p.kind()).plus(p));
            }
            return m;
        }

        Totals total() {
            Totals t = Totals.NONE;
            for (Totals k : byKind().values()) {
                t = t.plus(k);
            }
            return t;
        }

        int count(Kind kind) {
            return byKind().get(kind).processes();
        }

        /** CPU ticks per pid, for {@link #cpuTicksSince}. */
        Map<Integer, Long> ticks() {
            Map<Integer, Long> m = new HashMap<>();
            procs.forEach(p -> m.put(p.pid(), p.cpuTicks()));
            return m;
        }

        /**
         * CPU ticks used since {@code before}: the growth of processes in both scans plus all of the
         * processes that are new (those that ended in between are missed).
         */
        long cpuTicksSince(Map<Integer, Long> before) {
            long sum = 0;
            for (Proc p : procs) {
                sum += p.cpuTicks() - before.getOrDefault(p.pid(), 0L);
            }
            return sum;
        }
    }

    private HostProcesses() {
    }

    /** The processes of the runsc state root {@code stateRoot}; {@code withPss} reads smaps_rollup too. */
    static Scan scan(Path stateRoot, boolean withPss) {
        String marker = "--root=" + stateRoot.toAbsolutePath();
        Map<Integer, Integer> parents = new HashMap<>();
        Map<Integer, Kind> kinds = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path d : dirs) {
                int pid = Integer.parseInt(d.getFileName().toString());
                long[] stat = stat(pid);
                if (stat == null) {
                    continue;
                }
                parents.put(pid, (int) stat[0]);
                String cmd = cmdline(pid);
                if (cmd.contains(marker)) {
                    kinds.put(pid, classify(cmd));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc", e);
        }
        // Descendants of a sentry without a command line of their own are its stubs.
        Set<Integer> sentries = new HashSet<>();
        kinds.forEach((pid, kind) -> {
            if (kind == Kind.SANDBOX) {
                sentries.add(pid);
            }
        });
        for (int pid : parents.keySet()) {
            if (kinds.containsKey(pid)) {
                continue;
            }
            Integer p = parents.get(pid);
            for (int hops = 0; p != null && p > 1 && hops < 8; hops++) {
                if (sentries.contains(p)) {
                    kinds.put(pid, Kind.STUB);
                    break;
                }
                p = parents.get(p);
            }
        }
        List<Proc> procs = new ArrayList<>();
        kinds.forEach((pid, kind) -> {
            long[] stat = stat(pid);
            long[] status = status(pid);
            if (stat != null && status != null) {
                procs.add(new Proc(pid, kind, status[0], withPss ? pss(pid) : 0, (int) status[1], stat[1]));
            }
        });
        return new Scan(procs);
    }

    /**
     * What the memory cgroups (v1 directories) are charged, summed: {memory.usage_in_bytes,
     * total_rss of memory.stat}; missing directories count 0.
     */
    static long[] cgroupMemory(List<Path> cgroups) {
        long usage = 0;
        long rss = 0;
        for (Path c : cgroups) {
            try {
                usage += Long.parseLong(Files.readAllLines(c.resolve("memory.usage_in_bytes")).getFirst().trim());
                for (String line : Files.readAllLines(c.resolve("memory.stat"))) {
                    if (line.startsWith("total_rss ")) {
                        rss += Long.parseLong(line.substring("total_rss ".length()).trim());
                    }
                }
            } catch (IOException | RuntimeException e) {
                // gone
            }
        }
        return new long[] {usage, rss};
    }

    /** RSS of one process in bytes (0 when gone). */
    static long rss(long pid) {
        long[] s = status(pid);
        return s == null ? 0 : s[0];
    }

    /** A field of /proc/meminfo in bytes (e.g. MemAvailable), or -1. */
    static long meminfo(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith(field + ":")) {
                    String[] f = line.substring(field.length() + 1).trim().split("\\s+");
                    return Long.parseLong(f[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return -1;
    }

    /** Tasks (threads) on the whole host, from /proc/loadavg's "running/total" field. */
    static int hostTasks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/loadavg")).getFirst().trim().split("\\s+");
            return Integer.parseInt(f[3].substring(f[3].indexOf('/') + 1));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** /proc/sys/kernel/pid_max. */
    static int pidMax() {
        try {
            // readAllBytes/readString return "3" for this sysctl file on JDK 25; lines work.
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).getFirst().trim());
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    /**
     * CPU ticks of one process: {itself (utime + stime), its waited-for children (cutime +
     * cstime)}, or null when gone.
     */
    static long[] cpu(long pid) {
        String s = readStat(pid);
        if (s == null) {
            return null;
        }
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        // After the command: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])};
    }

    private static Kind classify(String cmd) {
        String first = cmd.split(" ", 2)[0];
        if (first.endsWith("runsc-sandbox")) {
            return Kind.SANDBOX;
        }
        if (first.endsWith("runsc-gofer")) {
            return Kind.GOFER;
        }
        if (cmd.contains(" wait ")) {
            return Kind.WAIT;
        }
        return Kind.OTHER;
    }

    /** {ppid, utime + stime} or null. */
    private static long[] stat(int pid) {
        String s = readStat(pid);
        if (s == null) {
            return null;
        }
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12])};
    }

    private static String readStat(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException e) {
            return null;
        }
    }

    /** {VmRSS bytes, Threads} or null. */
    private static long[] status(long pid) {
        try {
            long rss = 0;
            long threads = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kb(line) * 1024;
                } else if (line.startsWith("Threads:")) {
                    threads = kb(line);
                }
            }
            return new long[] {rss, threads};
        } catch (IOException e) {
            return null;
        }
    }

    private static long pss(int pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return kb(line) * 1024;
                }
            }
        } catch (IOException e) {
            // gone
        }
        return 0;
    }

    private static long kb(String line) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim().split("\\s+")[0]);
    }

    private static String cmdline(int pid) {
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            return new String(b, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
