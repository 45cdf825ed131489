package io.kubevisor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.kubevisor.api.Json;

/**
 * {@code kubevisor up} as its own process (the JVM of {@code io.kubevisor.cli.Main} on this
 * benchmark's class path): control plane, scheduler and a gVisor node in one data dir, its log in
 * a file with millisecond timestamps. A process of its own keeps the benchmark's JVM out of the
 * per-pod numbers and lets its CPU and memory be read from /proc.
 *
 * <p>{@link #close} stops it (SIGTERM to its pid, then SIGKILL) and removes whatever its pods
 * left on the host: the node leaves pods running when it stops, so sandboxes of its runsc root are
 * deleted, overlay mounts under its data dir unmounted, network namespaces with its prefix and the
 * cgroups of its sandboxes removed. Not thread-safe.
 */
final class KubevisorProcess implements AutoCloseable {

    static final String NODE = "bench-node";
    /** The pods capacity {@code kubevisor up} gives its node (the kubelet's default). */
    static final int SHIPPED_MAX_PODS = 110;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String LOGBACK = """
            <configuration>
              <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                <file>@LOG@</file>
                <encoder><pattern>%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} %msg%n</pattern></encoder>
              </appender>
              <logger name="io.netty" level="WARN"/>
              <logger name="io.kubevisor.node.pods.PodSyncer" level="DEBUG"/>
              <logger name="io.kubevisor.apiserver.ApiServer" level="DEBUG"/>
              <root level="INFO"><appender-ref ref="FILE"/></root>
            </configuration>
            """;

    private final Process process;
    private final String description;
    private final Path dataDir;
    private final Path log;
    private final Path kubeconfig;
    private final Set<String> seenSandboxes = new TreeSet<>();
    private boolean closed;

    private KubevisorProcess(Process process, Path dataDir, Path log, Path kubeconfig, String description) {
        this.process = process;
        this.description = description;
        this.dataDir = dataDir;
        this.log = log;
        this.kubeconfig = kubeconfig;
    }

    /**
     * Starts {@code kubevisor up --data-dir DATA --port 0 --node-name bench-node --max-pods N} and
     * waits until it prints its kubeconfig (the node has registered by then).
     *
     * @param javaOptions extra JVM flags (e.g. a flight recording), split at spaces
     * @param maxPods     the node's pods capacity
     */
    static KubevisorProcess start(Path dataDir, String javaOptions, int maxPods)
            throws IOException, InterruptedException {
        Path dir = dataDir.toAbsolutePath();
        Files.createDirectories(dir);
        Path log = dir.resolve("kubevisor.log");
        Path out = dir.resolve("kubevisor.out");
        Path logback = dir.resolve("logback-bench.xml");
        Files.writeString(logback, LOGBACK.replace("@LOG@", log.toString()));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Dlogback.configurationFile=" + logback));
        if (javaOptions != null && !javaOptions.isBlank()) {
            cmd.addAll(List.of(javaOptions.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
        cmd.addAll(List.of("io.kubevisor.cli.Main", "up", "--data-dir", dir.toString(), "--port", "0", "--node-name",
                NODE, "--max-pods", Integer.toString(maxPods)));
        Process p = new ProcessBuilder(cmd).redirectInput(new java.io.File("/dev/null"))
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(out) ? Files.readString(out) : "";
            for (String line : text.lines().toList()) {
                if (line.startsWith("export KUBECONFIG=")) {
                    return new KubevisorProcess(p, dir, log, Path.of(line.substring("export KUBECONFIG=".length())),
                            "`kubevisor up --max-pods " + maxPods + "` (io.kubevisor.cli.Main up)");
                }
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("kubevisor up exited with " + p.exitValue() + ": " + text + " "
                        + tail(log, 2000));
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new IllegalStateException("kubevisor up did not print its kubeconfig within 3 minutes");
    }

    /** What runs, for the report. */
    String description() {
        return description;
    }

    long pid() {
        return process.pid();
    }

    Path kubeconfig() {
        return kubeconfig;
    }

    /** The log, one event per line with an ISO-8601 timestamp to the millisecond. */
    Path log() {
        return log;
    }

    /** The node's runsc state root. */
    Path stateRoot() {
        return dataDir.resolve("node").resolve("runsc").resolve("runsc-state");
    }

    Path sandboxesDir() {
        return dataDir.resolve("node").resolve("runsc").resolve("sandboxes").resolve("sandboxes");
    }

    /** The prefix of the node's network namespaces, once its network state exists. */
    Optional<String> netnsPrefix() {
        Path ipam = dataDir.resolve("node").resolve("network").resolve("ipam.json");
        try {
            return Files.exists(ipam) ? Optional.of(Json.parse(Files.readString(ipam)).path("prefix").asString())
                    .filter(s -> !s.isEmpty()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The JVM's resident memory in bytes. */
    long rss() {
        return HostProcesses.rss(process.pid());
    }

    /** {the JVM's own CPU ticks, those of the commands it ran and waited for (runsc state, create…)}. */
    long[] cpuTicks() {
        long[] t = HostProcesses.cpu(process.pid());
        return t == null ? new long[] {0, 0} : t;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Sandboxes runsc lists under the node's state root. */
    List<String> sandboxes() {
        HostCommand.Result r = HostCommand.run(TIMEOUT, "/usr/bin/runsc", "--root=" + stateRoot(), "list", "-quiet");
        return r.out().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Notes the sandboxes the node has now, so that their cgroups can be checked and removed at the end. */
    void rememberSandboxes() {
        try (Stream<Path> ids = Files.isDirectory(sandboxesDir()) ? Files.list(sandboxesDir()) : Stream.empty()) {
            ids.forEach(id -> seenSandboxes.add(id.getFileName().toString()));
        } catch (IOException e) {
            Progress.say("cannot list " + sandboxesDir() + ": " + e.getMessage());
        }
    }

    /** The memory cgroups of the sandboxes the node has now ({@code /sys/fs/cgroup/memory/kubevisor/<id>}). */
    List<Path> sandboxCgroups() {
        try (Stream<Path> ids = Files.isDirectory(sandboxesDir()) ? Files.list(sandboxesDir()) : Stream.empty()) {
            return ids.map(id -> Path.of("/sys/fs/cgroup/memory/kubevisor", id.getFileName().toString())).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Cgroups ({@code memory/kubevisor/<id>}) of sandboxes seen earlier that still exist. */
    List<String> cgroups() {
        return seenSandboxes.stream().filter(id -> Files.isDirectory(Path.of("/sys/fs/cgroup/memory/kubevisor", id)))
                .toList();
    }

    /** Mount points under the data dir (the containers' image overlays). */
    List<String> mounts() {
        String prefix = dataDir + "/";
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" "))
                    .filter(f -> f.length > 4).map(f -> f[4]).filter(m -> m.startsWith(prefix)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Network namespaces with the node's prefix. */
    List<String> netns() {
        Optional<String> prefix = netnsPrefix();
        if (prefix.isEmpty()) {
            return List.of();
        }
        return HostCommand.run(TIMEOUT, "ip", "netns", "list").out().lines().map(l -> l.split(" ")[0])
                .filter(n -> n.startsWith(prefix.get() + "-")).toList();
    }

    /** What of this node is still on the host, described, or empty when nothing is. */
    String leftovers() {
        List<String> parts = new ArrayList<>();
        List<String> s = sandboxes();
        if (!s.isEmpty()) {
            parts.add(s.size() + " runsc containers");
        }
        List<String> m = mounts();
        if (!m.isEmpty()) {
            parts.add(m.size() + " mounts");
        }
        List<String> n = netns();
        if (!n.isEmpty()) {
            parts.add(n.size() + " network namespaces");
        }
        List<String> c = cgroups();
        if (!c.isEmpty()) {
            parts.add(c.size() + " sandbox cgroups");
        }
        return String.join(", ", parts);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        String left = leftovers();
        if (!left.isEmpty()) {
            Progress.say("kubevisor left " + left + " behind; removing them");
        }
        // App containers first, then their sandboxes (runsc list shows both); 8 at a time.
        List<String> ids = sandboxes();
        rememberSandboxes();
        List<String> roots = ids.stream().filter(seenSandboxes::contains).toList();
        for (List<String> group : List.of(ids.stream().filter(id -> !seenSandboxes.contains(id)).toList(), roots)) {
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                for (String id : group) {
                    pool.execute(() -> {
                        HostCommand.Result r = HostCommand.run(TIMEOUT, "/usr/bin/runsc", "--root=" + stateRoot(),
                                "delete", "--force", id);
                        if (!r.ok()) {
                            Progress.say("runsc delete " + id + ": " + r.message());
                        }
                    });
                }
            }
        }
        List<String> mounts = new ArrayList<>(mounts());
        mounts.sort((a, b) -> b.length() - a.length());
        for (String m : mounts) {
            if (!HostCommand.run(TIMEOUT, "umount", m).ok()) {
                HostCommand.run(TIMEOUT, "umount", "-l", m);
            }
        }
        for (String ns : netns()) {
            HostCommand.run(TIMEOUT, "ip", "netns", "del", ns);
        }
        // Sandboxes' cgroups are /kubevisor/<sandbox id>[/<container id>]: remove ours only.
        for (String id : seenSandboxes) {
            BareRunsc.removeCgroups("kubevisor/" + id);
        }
        String still = leftovers();
        if (!still.isEmpty()) {
            Progress.say("WARNING: still left on the host: " + still);
        }
    }

    /** The last {@code chars} characters of the log. */
    static String tail(Path file, int chars) {
        try {
            String s = Files.readString(file);
            return s.substring(Math.max(0, s.length() - chars));
        } catch (IOException e) {
            return "";
        }
    }
}
