package io.kubevisor.runtime.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

import io.kubevisor.runtime.testing.Rootfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link SandboxRuntime} owes its caller, run against a real runtime (gVisor
 * now, a microVM driver later). Subclasses say how to open the runtime on one set of directories
 * (a second instance stands for a restarted agent), what the host enforces for a sandbox, and what
 * a removed sandbox may leave behind.
 *
 * <p>Every test uses fresh random ids and removes its sandboxes afterwards, also when it fails.
 */
public abstract class SandboxRuntimeContractTest {

    /** Limits as the host enforces them for a sandbox (values absent: -1). */
    public record HostLimits(long memoryBytes, long cpuQuotaMicros, long cpuPeriodMicros, long cpuShares, long pids) {
    }

    /** A runtime over the directories of this test class; a second call stands for an agent restart. */
    protected abstract SandboxRuntime openRuntime();

    /** What the host enforces for the sandbox. */
    protected abstract HostLimits hostLimits(SandboxHandle sandbox);

    /** What is left of a removed sandbox (runtime entries, cgroups, mounts, files); empty when clean. */
    protected abstract List<String> leftovers(SandboxHandle sandbox);

    /** Labels a sandbox needs to be checkpointable with its container's state (none by default). */
    protected Map<String, String> checkpointableLabels() {
        return Map.of();
    }

    @TempDir
    protected Path tmp;
    protected SandboxRuntime runtime;
    protected Path image;
    private final List<SandboxHandle> created = new CopyOnWriteArrayList<>();
    private final List<SandboxRuntime> opened = new ArrayList<>();

    @BeforeEach
    void openAndBuildImage() {
        image = Rootfs.busybox(tmp.resolve("image"));
        runtime = open();
    }

    @AfterEach
    void removeEverything() {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (SandboxHandle s : created) {
                pool.submit(() -> {
                    try {
                        runtime.remove(s);
                    } catch (RuntimeException e) {
                        System.err.println("cleanup of " + s.id() + " failed: " + e);
                    }
                });
            }
        }
        for (SandboxRuntime r : opened) {
            if (r instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("close failed: " + e);
                }
            }
        }
    }

    protected SandboxRuntime open() {
        SandboxRuntime r = openRuntime();
        opened.add(r);
        return r;
    }

    protected static String newId() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    protected SandboxSpec sandboxSpec(Resources resources) {
        String id = newId();
        return new SandboxSpec(id, "pod-" + id.substring(0, 6), null, null, resources,
                "127.0.0.1\tlocalhost\n10.0.0.5\tpod-" + id.substring(0, 6) + "\n", "nameserver 10.0.0.10\n",
                Map.of("namespace", "default", "name", "pod-" + id.substring(0, 6)));
    }

    protected SandboxHandle startSandbox(Resources resources) {
        SandboxSpec spec = sandboxSpec(resources);
        SandboxHandle s = runtime.startSandbox(spec);
        created.add(s);
        return s;
    }

    protected SandboxHandle startSandbox() {
        return startSandbox(Resources.none());
    }

    protected ContainerSpec containerSpec(String script) {
        String id = newId();
        return new ContainerSpec(id, image, List.of("/bin/sh", "-c", script), List.of("PATH=/usr/bin:/bin:/sbin"),
                null, -1, -1, List.of(), Resources.none(), false, false, tmp.resolve("logs").resolve(id + ".log"),
                Map.of("name", "c-" + id.substring(0, 6)));
    }

    protected ContainerHandle run(SandboxHandle s, String script) {
        return runtime.startContainer(s, containerSpec(script));
    }

    protected ContainerState.Exited awaitExit(ContainerHandle c, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> runtime.state(c) instanceof ContainerState.Exited);
        return (ContainerState.Exited) runtime.state(c);
    }

    protected Path logOf(ContainerSpec spec) {
        return spec.logFile();
    }

    protected static List<String> lines(Path log) {
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of the stdout entries in a CRI log. */
    protected static List<String> stdout(Path log) {
        return lines(log).stream().filter(l -> l.split(" ", 4)[1].equals("stdout"))
                .map(l -> l.split(" ", 4).length > 3 ? l.split(" ", 4)[3] : "").toList();
    }

    private static final String CRI_LINE = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z (stdout|stderr) [PF] .*";

    @Test
    void startedContainerRuns() {
        SandboxHandle s = startSandbox();
        assertThat(runtime.version()).isNotBlank();
        ContainerHandle c = run(s, "exec sleep 1000");
        assertThat(runtime.state(c)).isInstanceOf(ContainerState.Running.class);
        assertThat(c.sandboxId()).isEqualTo(s.id());
        // Idempotent by id.
        assertThat(runtime.startSandbox(new SandboxSpec(s.id(), "x", null, null, Resources.none(), "", "", Map.of()))
                .id()).isEqualTo(s.id());
    }

    @Test
    void aPreparedContainerStartsLikeAnyOtherAndOneNotStartedIsRemoved() {
        SandboxHandle s = startSandbox();
        ContainerSpec spec = containerSpec("echo prepared; exit 4");
        runtime.prepareContainer(s, spec);
        runtime.prepareContainer(s, spec);
        ContainerHandle c = runtime.startContainer(s, spec);
        assertThat(awaitExit(c, Duration.ofSeconds(20)).exitCode()).isEqualTo(4);
        assertThat(stdout(logOf(spec))).containsExactly("prepared");
        assertThat(runtime.startContainer(s, spec).id()).as("started once").isEqualTo(c.id());

        ContainerSpec unused = containerSpec("echo never");
        runtime.prepareContainer(s, unused);
        runtime.remove(new ContainerHandle(unused.id(), s.id(), Map.of()));
        assertThat(runtime.state(new ContainerHandle(unused.id(), s.id(), Map.of())))
                .isInstanceOf(ContainerState.Unknown.class);
        runtime.remove(s);
        assertThat(leftovers(s)).isEmpty();
    }

    @Test
    void stdoutAndStderrBecomeCriLines() {
        SandboxHandle s = startSandbox();
        ContainerSpec spec = containerSpec("echo to-out; echo to-err >&2; printf 'no newline'; exit 0");
        ContainerHandle c = runtime.startContainer(s, spec);
        awaitExit(c, Duration.ofSeconds(20));
        List<String> log = lines(logOf(spec));
        assertThat(log).allMatch(l -> l.matches(CRI_LINE));
        assertThat(log).anyMatch(l -> l.endsWith(" stdout F to-out"));
        assertThat(log).anyMatch(l -> l.endsWith(" stderr F to-err"));
        assertThat(log).anyMatch(l -> l.endsWith(" stdout F no newline"));
    }

    @Test
    void exitCodeIsReported() {
        SandboxHandle s = startSandbox();
        ContainerHandle c = run(s, "exit 3");
        ContainerState.Exited e = awaitExit(c, Duration.ofSeconds(20));
        assertThat(e.exitCode()).isEqualTo(3);
        assertThat(e.oomKilled()).isFalse();
        assertThat(e.finishedAt()).isAfterOrEqualTo(e.startedAt());
    }

    @Test
    void stopSendsSigtermFirst() {
        SandboxHandle s = startSandbox();
        ContainerSpec spec = containerSpec("trap 'echo got-term; exit 7' TERM; echo ready; while true; do sleep 0.1; done");
        ContainerHandle c = runtime.startContainer(s, spec);
        await().atMost(Duration.ofSeconds(10)).until(() -> stdout(logOf(spec)).contains("ready"));
        long t0 = System.nanoTime();
        runtime.stopContainer(c, Duration.ofSeconds(20));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(runtime.state(c)).isInstanceOfSatisfying(ContainerState.Exited.class,
                e -> assertThat(e.exitCode()).isEqualTo(7));
        assertThat(stdout(logOf(spec))).contains("got-term");
        runtime.stopContainer(c, Duration.ofSeconds(1));
    }

    @Test
    void stopKillsAfterGrace() {
        SandboxHandle s = startSandbox();
        ContainerSpec spec = containerSpec("trap '' TERM; echo ready; while true; do sleep 0.1; done");
        ContainerHandle c = runtime.startContainer(s, spec);
        await().atMost(Duration.ofSeconds(10)).until(() -> stdout(logOf(spec)).contains("ready"));
        long t0 = System.nanoTime();
        runtime.stopContainer(c, Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(runtime.state(c)).isInstanceOfSatisfying(ContainerState.Exited.class,
                e -> assertThat(e.exitCode()).isEqualTo(137));
    }

    @Test
    void containersOfOneSandboxShareLocalhost() {
        SandboxHandle s = startSandbox();
        run(s, "echo from-server | nc -l -p 8080");
        ContainerSpec client = containerSpec(
                "for i in $(seq 1 30); do nc 127.0.0.1 8080 </dev/null && exit 0; sleep 0.2; done; exit 1");
        ContainerHandle c = runtime.startContainer(s, client);
        assertThat(awaitExit(c, Duration.ofSeconds(30)).exitCode()).isZero();
        assertThat(stdout(logOf(client))).contains("from-server");
    }

    @Test
    void exceedingTheMemoryLimitIsAnOomKill() {
        SandboxHandle s = startSandbox(new Resources(0, 0, 64L << 20, 0));
        ContainerHandle c = run(s, "sleep 0.2; dd if=/dev/zero of=/dev/null bs=200M count=1; echo survived");
        ContainerState.Exited e = awaitExit(c, Duration.ofSeconds(30));
        assertThat(e.oomKilled()).isTrue();
        assertThat(e.exitCode()).isEqualTo(137);
    }

    @Test
    void limitsReachTheHost() {
        SandboxHandle s = startSandbox(new Resources(500, 512, 256L << 20, 100));
        HostLimits l = hostLimits(s);
        assertThat(l.memoryBytes()).isEqualTo(256L << 20);
        assertThat((double) l.cpuQuotaMicros() / l.cpuPeriodMicros()).isEqualTo(0.5);
        assertThat(l.cpuShares()).isEqualTo(512);
        assertThat(l.pids()).isGreaterThanOrEqualTo(100);
        if (runtime instanceof SandboxStats stats) {
            // A busy loop gets at most about half a core.
            ContainerHandle c = run(s, "exec sh -c 'while :; do :; done'");
            long cpu0 = stats.usage(s).cpuNanos();
            long t0 = System.nanoTime();
            sleep(Duration.ofMillis(1500));
            double cores = (double) (stats.usage(s).cpuNanos() - cpu0) / (System.nanoTime() - t0);
            assertThat(cores).isLessThan(0.75);
            runtime.stopContainer(c, Duration.ZERO);
        }
    }

    @Test
    void envArgsWorkingDirUserAndWritableRoot() throws IOException {
        SandboxHandle s = startSandbox();
        String id = newId();
        var spec = new ContainerSpec(id, image,
                List.of("/bin/sh", "-c", "echo \"$FOO|$0|$1|$(pwd)|$(id -u):$(id -g)\"; echo data > /tmp/w && cat /tmp/w;"
                        + " echo root-write > /written-by-container && cat /written-by-container; cat /etc/hosts",
                        "arg0", "arg1"),
                List.of("FOO=bar", "PATH=/usr/bin:/bin"), "/tmp", Rootfs.USER_ID, Rootfs.USER_ID, List.of(),
                Resources.none(), false, false, tmp.resolve(id + ".log"), Map.of());
        ContainerHandle c = runtime.startContainer(s, spec);
        assertThat(awaitExit(c, Duration.ofSeconds(20)).exitCode()).isZero();
        ContainerHandle rootC = run(s, "echo root-write > /written-by-root && cat /written-by-root");
        assertThat(awaitExit(rootC, Duration.ofSeconds(20)).exitCode()).isZero();
        assertThat(stdout(spec.logFile())).startsWith("bar|arg0|arg1|/tmp|1000:1000", "data");
        assertThat(stdout(spec.logFile())).anyMatch(l -> l.contains("pod-"));
        // The image is shared: nothing the containers did shows up in it.
        try (var files = Files.list(image)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .doesNotContain("written-by-container", "written-by-root");
        }
        assertThat(image.resolve("etc/hosts")).doesNotExist();
    }

    @Test
    void mountsAreReadWriteOrReadOnly() throws IOException {
        SandboxHandle s = startSandbox();
        Path rw = Files.createDirectories(tmp.resolve("rw"));
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        Files.writeString(ro.resolve("given"), "from-host\n");
        String id = newId();
        var spec = new ContainerSpec(id, image,
                List.of("/bin/sh", "-c", "echo from-container > /data/rw/made; cat /data/ro/given;"
                        + " (echo x > /data/ro/nope) 2>/dev/null || echo ro-denied"),
                List.of(), null, -1, -1,
                List.of(new ContainerSpec.Mount(rw, "/data/rw", false), new ContainerSpec.Mount(ro, "/data/ro", true)),
                Resources.none(), false, false, tmp.resolve(id + ".log"), Map.of());
        ContainerHandle c = runtime.startContainer(s, spec);
        assertThat(awaitExit(c, Duration.ofSeconds(20)).exitCode()).isZero();
        assertThat(Files.readString(rw.resolve("made"))).isEqualTo("from-container\n");
        assertThat(ro.resolve("nope")).doesNotExist();
        assertThat(stdout(spec.logFile())).containsExactly("from-host", "ro-denied");
        assertThat(image.resolve("data")).doesNotExist();
    }

    @Test
    void execReturnsOutputAndExitCode() {
        if (!(runtime instanceof SandboxExec exec)) {
            return;
        }
        SandboxHandle s = startSandbox();
        String id = newId();
        var spec = new ContainerSpec(id, image, List.of("/bin/sh", "-c", "exec sleep 1000"), List.of("FROM_SPEC=spec"),
                "/tmp", -1, -1, List.of(), Resources.none(), false, false, tmp.resolve(id + ".log"), Map.of());
        ContainerHandle c = runtime.startContainer(s, spec);
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int rc = exec.exec(c, List.of("sh", "-c", "echo $FROM_SPEC $EXTRA $(pwd); echo oops >&2; exit 5"),
                List.of("EXTRA=extra"), false, null, out, err);
        assertThat(rc).isEqualTo(5);
        assertThat(out.toString()).isEqualTo("spec extra /tmp\n");
        assertThat(err.toString()).isEqualTo("oops\n");

        var echoed = new ByteArrayOutputStream();
        rc = exec.exec(c, List.of("cat"), List.of(), false,
                new ByteArrayInputStream("typed\n".getBytes(StandardCharsets.UTF_8)), echoed, new ByteArrayOutputStream());
        assertThat(rc).isZero();
        assertThat(echoed.toString()).isEqualTo("typed\n");

        assertThatThrownBy(() -> exec.exec(c, List.of("/bin/nonexistent"), List.of(), false, null,
                new ByteArrayOutputStream(), new ByteArrayOutputStream()))
                .hasMessageContaining("/bin/nonexistent").hasMessageContaining("no such file");
    }

    @Test
    void statsAreNotZero() {
        if (!(runtime instanceof SandboxStats stats)) {
            return;
        }
        SandboxHandle s = startSandbox();
        ContainerHandle c = run(s, "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; exec sleep 1000");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> stats.usage(c).cpuNanos() > 10_000_000L);
        assertThat(stats.usage(c).memoryBytes()).isPositive();
        assertThat(stats.usage(s).cpuNanos()).isPositive();
        assertThat(stats.usage(s).memoryBytes()).isPositive();
    }

    @Test
    void aRestartedRuntimeAdoptsSandboxesAndKnowsExitCodes() {
        SandboxHandle s = startSandbox();
        ContainerHandle done = run(s, "exit 3");
        ContainerSpec tickSpec = containerSpec(
                "trap 'echo bye; exit 9' TERM; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done");
        ContainerHandle ticking = runtime.startContainer(s, tickSpec);
        ContainerHandle endsUnwatched = run(s, "sleep 1; exit 5");
        awaitExit(done, Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(10)).until(() -> stdout(tickSpec.logFile()).contains("tick 2"));
        if (runtime instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        int linesBefore = stdout(tickSpec.logFile()).size();
        // One container ends while no runtime instance watches.
        sleep(Duration.ofMillis(2000));

        runtime = open();
        SandboxHandle found = runtime.sandboxes().stream().filter(h -> h.id().equals(s.id())).findFirst().orElseThrow();
        assertThat(found.labels()).containsEntry("namespace", "default")
                .containsEntry("name", "pod-" + s.id().substring(0, 6));
        assertThat(found.containers()).extracting(ContainerHandle::id)
                .containsExactlyInAnyOrder(done.id(), ticking.id(), endsUnwatched.id());
        assertThat(awaitExit(endsUnwatched, Duration.ofSeconds(10)).exitCode()).isEqualTo(5);
        assertThat(runtime.state(done)).isInstanceOfSatisfying(ContainerState.Exited.class,
                e -> assertThat(e.exitCode()).isEqualTo(3));
        assertThat(runtime.state(ticking)).isInstanceOf(ContainerState.Running.class);
        // The log goes on, and the exit code still reaches the new instance.
        await().atMost(Duration.ofSeconds(10)).until(() -> stdout(tickSpec.logFile()).size() > linesBefore + 2);
        runtime.stopContainer(ticking, Duration.ofSeconds(10));
        assertThat(runtime.state(ticking)).isInstanceOfSatisfying(ContainerState.Exited.class,
                e -> assertThat(e.exitCode()).isEqualTo(9));
        assertThat(stdout(tickSpec.logFile())).contains("bye");
    }

    @Test
    void removeLeavesNothingBehind() throws IOException {
        SandboxHandle s = startSandbox(new Resources(1000, 0, 128L << 20, 0));
        ContainerHandle a = run(s, "exec sleep 1000");
        ContainerHandle b = run(s, "exit 0");
        awaitExit(b, Duration.ofSeconds(20));
        ContainerHandle alone = run(s, "exec sleep 1000");
        runtime.remove(alone);
        assertThat(runtime.state(alone)).isInstanceOf(ContainerState.Unknown.class);
        assertThat(runtime.state(a)).isInstanceOf(ContainerState.Running.class);
        long t0 = System.nanoTime();
        runtime.remove(s);
        System.out.println("remove of a sandbox with 2 containers took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertThat(runtime.sandboxes()).extracting(SandboxHandle::id).doesNotContain(s.id());
        assertThat(runtime.state(a)).isInstanceOf(ContainerState.Unknown.class);
        assertThat(leftovers(s)).isEmpty();
        runtime.remove(s);
    }

    @Test
    void checkpointThenRestoreContinuesACounter() {
        if (!(runtime instanceof SandboxCheckpoint cp)) {
            return;
        }
        SandboxSpec plain = sandboxSpec(Resources.none());
        var labels = new java.util.HashMap<>(plain.labels());
        labels.putAll(checkpointableLabels());
        SandboxSpec spec = new SandboxSpec(plain.id(), plain.hostname(), null, null, Resources.none(), plain.etcHosts(),
                plain.resolvConf(), labels);
        SandboxHandle s = runtime.startSandbox(spec);
        created.add(s);
        ContainerSpec counter = containerSpec(
                "trap 'echo stopped; exit 6' TERM; i=0; while true; do i=$((i+1)); echo tick $i; echo $i > /tmp/n; sleep 0.2; done");
        ContainerHandle c = runtime.startContainer(s, counter);
        await().atMost(Duration.ofSeconds(10)).until(() -> stdout(counter.logFile()).contains("tick 3"));
        Path img = tmp.resolve("checkpoint");
        cp.checkpoint(s, img);
        int last = lastTick(counter.logFile());
        sleep(Duration.ofMillis(600));
        assertThat(lastTick(counter.logFile())).as("nothing runs while checkpointed").isEqualTo(last);
        SandboxHandle back = cp.restore(spec, img);
        assertThat(back.id()).isEqualTo(s.id());
        await().atMost(Duration.ofSeconds(10)).until(() -> lastTick(counter.logFile()) > last + 1);
        // It went on from where it was, not from 1 again.
        assertThat(stdout(counter.logFile())).containsSubsequence("tick " + last, "tick " + (last + 1))
                .containsOnlyOnce("tick 1");
        if (runtime instanceof SandboxExec exec) {
            var out = new ByteArrayOutputStream();
            assertThat(exec.exec(c, List.of("cat", "/tmp/n"), List.of(), false, null, out, out)).isZero();
            assertThat(Integer.parseInt(out.toString().strip())).isGreaterThan(last);
        }
        runtime.stopContainer(c, Duration.ofSeconds(10));
        assertThat(runtime.state(c)).isInstanceOfSatisfying(ContainerState.Exited.class,
                e -> assertThat(e.exitCode()).isEqualTo(6));
    }

    private static int lastTick(Path log) {
        List<String> ticks = stdout(log).stream().filter(l -> l.startsWith("tick ")).toList();
        return ticks.isEmpty() ? 0 : Integer.parseInt(ticks.getLast().substring(5).trim());
    }

    protected static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
