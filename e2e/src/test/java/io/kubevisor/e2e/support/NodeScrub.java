package io.kubevisor.e2e.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes what a node under a data dir left on the host — runsc sandboxes, processes naming its
 * files, overlay mounts, pod network namespaces, sandbox cgroups — after its process ended, and
 * says what it found. Tests delete their pods first, so a non-empty answer is a leak to fail on;
 * the scrub still runs so that a failing test leaves the machine clean.
 */
public final class NodeScrub {

    private static final Pattern PREFIX = Pattern.compile("\"prefix\"\\s*:\\s*\"([a-z0-9]+)\"");
    private static final List<String> CONTROLLERS = List.of("memory", "cpu", "cpuacct", "cpu,cpuacct", "pids",
            "cpuset", "devices", "freezer", "blkio", "net_cls", "net_prio", "perf_event", "hugetlb", "systemd");

    private NodeScrub() {
    }

    /** Whether the process has a file under {@code dir} open. */
    public static boolean holdsFileUnder(long pid, Path dir) {
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).startsWith(dir);
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The sandboxes runsc runs for the node of {@code dataDir}: those whose root runsc lists, the
     * pause container's id being the sandbox's and a single-container sandbox's root its container.
     */
    public static List<String> sandboxes(Path dataDir) throws IOException, InterruptedException {
        Path runsc = dataDir.toAbsolutePath().resolve("node").resolve("runsc");
        Path roots = runsc.resolve("sandboxes").resolve("sandboxes");
        List<String> listed = run("runsc", "--root=" + runsc.resolve("runsc-state"), "list", "-quiet").lines()
                .map(String::strip).filter(id -> !id.isEmpty()).toList();
        List<String> running = new ArrayList<>();
        if (!Files.isDirectory(roots)) {
            return running;
        }
        try (var dirs = Files.list(roots)) {
            for (Path dir : dirs.sorted().toList()) {
                String sid = dir.getFileName().toString();
                if (listed.contains(sid) || listed.stream().anyMatch(id -> Files.isDirectory(
                        dir.resolve("containers").resolve(id)))) {
                    running.add(sid);
                }
            }
        }
        return running;
    }

    /** Everything found (and removed) for the node whose data dir is {@code dataDir}. */
    public static List<String> scrub(Path dataDir) throws IOException, InterruptedException {
        Path node = dataDir.toAbsolutePath().resolve("node");
        List<String> found = new ArrayList<>();
        Path stateRoot = node.resolve("runsc").resolve("runsc-state");
        List<String> ids = new ArrayList<>();
        if (Files.isDirectory(stateRoot)) {
            String list = run("runsc", "--root=" + stateRoot, "list", "-quiet");
            list.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(ids::add);
            for (String id : ids) {
                found.add("sandbox " + id);
                run("runsc", "--root=" + stateRoot, "kill", "--all", id, "KILL");
                run("runsc", "--root=" + stateRoot, "delete", "-force", id);
            }
        }
        Path sandboxes = node.resolve("runsc").resolve("sandboxes").resolve("sandboxes");
        if (Files.isDirectory(sandboxes)) {
            try (var dirs = Files.list(sandboxes)) {
                dirs.map(p -> p.getFileName().toString()).filter(id -> !ids.contains(id)).forEach(ids::add);
            }
        }
        // Processes that name or hold a file of this node: a container's stdin holder, its run's exit-code shell.
        for (ProcessHandle p : ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("")
                .contains(node.toString()) || holdsFileUnder(p.pid(), node)).toList()) {
            found.add("process " + p.pid() + " " + p.info().commandLine().orElse(""));
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        List<String> mounts = Files.readAllLines(Path.of("/proc/mounts")).stream().map(l -> l.split(" ")[1])
                .filter(m -> m.startsWith(node.toString())).sorted(Comparator.comparing(String::length).reversed())
                .toList();
        for (String m : mounts) {
            found.add("mount " + m);
            run("umount", "-l", m);
        }
        Path ipam = node.resolve("network").resolve("ipam.json");
        if (Files.exists(ipam)) {
            Matcher prefix = PREFIX.matcher(Files.readString(ipam));
            if (prefix.find()) {
                for (String line : run("ip", "netns", "list").lines().toList()) {
                    String ns = line.split(" ")[0];
                    if (ns.startsWith(prefix.group(1) + "-")) {
                        if (!ns.startsWith(prefix.group(1) + "-b-")) {
                            // A namespace's bridge outlives its pods by design; a pod's netns does not.
                            found.add("netns " + ns);
                        }
                        run("ip", "netns", "delete", ns);
                    }
                }
            }
        }
        for (String id : ids) {
            for (String c : CONTROLLERS) {
                Path cg = Path.of("/sys/fs/cgroup", c, "kubevisor", id);
                if (Files.isDirectory(cg)) {
                    found.add("cgroup " + cg);
                    removeCgroup(cg);
                }
            }
        }
        return found;
    }

    private static void removeCgroup(Path cg) throws IOException {
        try (var children = Files.list(cg)) {
            for (Path child : children.filter(Files::isDirectory).toList()) {
                removeCgroup(child);
            }
        }
        Files.deleteIfExists(cg);
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
