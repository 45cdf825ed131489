package io.kubevisor.runtime.runsc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kubevisor.runtime.sandbox.ContainerHandle;
import io.kubevisor.runtime.sandbox.ContainerSpec;
import io.kubevisor.runtime.sandbox.Resources;
import io.kubevisor.runtime.sandbox.SandboxHandle;
import io.kubevisor.runtime.sandbox.SandboxRuntime;
import io.kubevisor.runtime.sandbox.SandboxRuntimeContractTest;
import io.kubevisor.runtime.sandbox.SandboxSpec;
import io.kubevisor.runtime.testing.Rootfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The runtime contract against real gVisor sandboxes, plus what only runsc has (network namespaces). */
class RunscRuntimeIT extends SandboxRuntimeContractTest {

    private static final String CGROUP_PARENT = "/kubevisor-it-" + newId().substring(0, 8);
    private static final HostCgroups CGROUPS = HostCgroups.system();

    @BeforeAll
    static void needsRootAndRunsc() {
        assumeTrue("root".equals(System.getProperty("user.name")), "runsc needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/runsc")), "runsc is not installed");
        assumeTrue(Rootfs.available(), "busybox-static is not installed");
    }

    @AfterAll
    static void removeCgroupParent() {
        List<Path> left = CGROUPS.removeTree(CGROUP_PARENT);
        assertThat(left).as("cgroups left under " + CGROUP_PARENT).isEmpty();
    }

    private RunscOptions options() {
        return RunscOptions.defaults(tmp.resolve("node")).withCgroupParent(CGROUP_PARENT);
    }

    @Override
    protected SandboxRuntime openRuntime() {
        return new RunscRuntime(options());
    }

    @Override
    protected HostLimits hostLimits(SandboxHandle sandbox) {
        String cg = CGROUP_PARENT + "/" + sandbox.id();
        return new HostLimits(CGROUPS.read("memory", cg, "memory.limit_in_bytes").orElse(-1),
                CGROUPS.read("cpu", cg, "cpu.cfs_quota_us").orElse(-1),
                CGROUPS.read("cpu", cg, "cpu.cfs_period_us").orElse(-1),
                CGROUPS.read("cpu", cg, "cpu.shares").orElse(-1),
                CGROUPS.read("pids", cg, "pids.max").orElse(-1));
    }

    @Override
    protected List<String> leftovers(SandboxHandle sandbox) {
        var left = new ArrayList<String>();
        RunscOptions o = options();
        var list = Runsc.run(List.of(o.runsc().toString(), "--root=" + o.stateRoot(), "list", "-quiet"),
                Duration.ofSeconds(30));
        list.out().lines().filter(l -> !l.isBlank()).forEach(l -> left.add("runsc list: " + l));
        CGROUPS.existing(CGROUP_PARENT + "/" + sandbox.id()).forEach(p -> left.add("cgroup: " + p));
        HostOverlay.mountsUnder(o.bundleDir()).forEach(m -> left.add("mount: " + m));
        Path dir = new Layout(o.bundleDir()).sandbox(sandbox.id());
        if (Files.exists(dir)) {
            left.add("files: " + dir);
        }
        return left;
    }

    @Override
    protected Map<String, String> checkpointableLabels() {
        return Map.of(RunscRuntime.SINGLE_CONTAINER_LABEL, "true");
    }

    /** Whether the process has a file under {@code dir} open (a stdin holder has its FIFO). */
    private static boolean holdsFileUnder(long pid, Path dir) {
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).startsWith(dir.toAbsolutePath());
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }

    /** A sandbox spec asking for a single-container sandbox, without a network. */
    private SandboxSpec singleContainerSpec(Resources resources) {
        SandboxSpec plain = sandboxSpec(resources);
        var labels = new java.util.HashMap<>(plain.labels());
        labels.put(RunscRuntime.SINGLE_CONTAINER_LABEL, "true");
        return new SandboxSpec(plain.id(), plain.hostname(), null, null, plain.resources(), plain.etcHosts(),
                plain.resolvConf(), labels);
    }

    @Test
    void aPauseRootedSandboxIsCheckpointedOnlyWithoutRunningContainers() {
        RunscRuntime rt = (RunscRuntime) runtime;
        SandboxSpec spec = sandboxSpec(Resources.none());
        SandboxHandle s = rt.startSandbox(spec);
        try {
            ContainerSpec counter = containerSpec("i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done");
            ContainerHandle c = rt.startContainer(s, counter);
            Path img = tmp.resolve("refused");
            assertThatThrownBy(() -> rt.checkpoint(s, img)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining(RunscRuntime.SINGLE_CONTAINER_LABEL);
            int before = stdout(counter.logFile()).size();
            await().atMost(Duration.ofSeconds(10)).until(() -> stdout(counter.logFile()).size() > before + 1);
            rt.stopContainer(c, Duration.ZERO);
            // Without running containers the sandbox comes back and takes new ones.
            rt.checkpoint(s, tmp.resolve("idle"));
            SandboxHandle back = rt.restore(spec, tmp.resolve("idle"));
            ContainerHandle after = rt.startContainer(back, containerSpec("exit 4"));
            assertThat(awaitExit(after, Duration.ofSeconds(20)).exitCode()).isEqualTo(4);
        } finally {
            rt.remove(s);
        }
        assertThat(leftovers(s)).isEmpty();
    }

    @Test
    void aSingleContainerSandboxRunsOneContainerAtATime() {
        SandboxHandle s = runtime.startSandbox(singleContainerSpec(new Resources(0, 0, 128L << 20, 0)));
        try {
            ContainerSpec first = containerSpec("echo first; sleep 0.5; exit 3");
            ContainerHandle c1 = runtime.startContainer(s, first);
            assertThatThrownBy(() -> runtime.startContainer(s, containerSpec("true")))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(awaitExit(c1, Duration.ofSeconds(20)).exitCode()).isEqualTo(3);
            assertThat(stdout(first.logFile())).containsExactly("first");
            // A restart: the next container gets a new kernel in the same sandbox, with its limits.
            ContainerSpec second = containerSpec("grep MemTotal /proc/meminfo; exec sleep 1000");
            ContainerHandle c2 = runtime.startContainer(s, second);
            await().atMost(Duration.ofSeconds(10)).until(() -> !stdout(second.logFile()).isEmpty());
            assertThat(stdout(second.logFile()).getFirst()).contains("131072 kB");
            // Helpers (port-forward's relay) find the runtime's busybox, which the image's / does not show.
            RunscRuntime rt = (RunscRuntime) runtime;
            var out = new java.io.ByteArrayOutputStream();
            assertThat(rt.execInSandbox(s, List.of("sh", "-c", "echo helper; ls -a /"), null, out,
                    out)).isZero();
            assertThat(out.toString().lines()).contains("helper").doesNotContain(".kubevisor");
            assertThat(hostLimits(s).memoryBytes()).isEqualTo(128L << 20);
            assertThat(runtime.sandboxes()).filteredOn(h -> h.id().equals(s.id())).singleElement()
                    .satisfies(h -> assertThat(h.containers()).extracting(ContainerHandle::id)
                            .containsExactlyInAnyOrder(c1.id(), c2.id()));
        } finally {
            runtime.remove(s);
        }
        assertThat(leftovers(s)).isEmpty();
    }

    @Test
    void aSingleContainerThatEndsAtOnceKeepsItsExitCode() {
        // The sandbox ends with its container: a `runsc wait` after start would find neither.
        SandboxHandle s = runtime.startSandbox(singleContainerSpec(Resources.none()));
        try {
            for (int code : new int[]{7, 0}) {
                ContainerSpec quick = containerSpec("echo bye; exit " + code);
                ContainerHandle c = runtime.startContainer(s, quick);
                assertThat(awaitExit(c, Duration.ofSeconds(20)).exitCode()).isEqualTo(code);
                assertThat(stdout(quick.logFile())).containsExactly("bye");
            }
        } finally {
            runtime.remove(s);
        }
        assertThat(leftovers(s)).isEmpty();
    }

    @Test
    void anExecTerminalFollowsTheClientsSize() throws Exception {
        RunscRuntime rt = (RunscRuntime) runtime;
        SandboxHandle s = rt.startSandbox(sandboxSpec(Resources.none()));
        try {
            ContainerHandle c = run(s, "exec sleep 1000");
            // Waits (at most 10 s each) until the terminal has the size, then says so.
            String waits = "for want in '33 111' '40 100'; do i=0; "
                    + "until [ \"$(stty size)\" = \"$want\" ] || [ $i -gt 100 ]; do i=$((i+1)); sleep 0.1; done; "
                    + "echo \"size $(stty size)\"; done";
            var sizes = new java.util.concurrent.LinkedBlockingQueue<io.kubevisor.runtime.sandbox.TerminalSize>();
            sizes.add(new io.kubevisor.runtime.sandbox.TerminalSize(111, 33));
            var out = new java.io.ByteArrayOutputStream();
            var session = java.util.concurrent.CompletableFuture.supplyAsync(() -> rt.exec(c, List.of("sh", "-c", waits),
                    List.of(), null, out, sizes));
            await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("size 33 111"));
            sizes.add(new io.kubevisor.runtime.sandbox.TerminalSize(100, 40));
            assertThat(session.get(30, java.util.concurrent.TimeUnit.SECONDS)).isZero();
            assertThat(out.toString().lines().map(String::strip)).contains("size 33 111", "size 40 100");
        } finally {
            rt.remove(s);
        }
        assertThat(leftovers(s)).isEmpty();
    }

    @Test
    void aSingleContainerWithTtyRunsOnATerminalThatAttachReadsAndResizesAlsoAfterARuntimeRestart()
            throws Exception {
        RunscRuntime first = (RunscRuntime) runtime;
        SandboxHandle s = first.startSandbox(singleContainerSpec(Resources.none()));
        try {
            ContainerHandle c = first.startContainer(s, shellOnTerminal(true));
            var seen = new StringBuffer();
            Thread reader = follow(first.openOutput(c), seen);
            // The terminal echoes what was typed, with CRLF line ends.
            resizeTypeAndAwait(first, c, 100, 40, "stty size; echo $((6*7))\n", seen, "40 100\r\n42\r\n");
            assertThat(seen.toString()).contains("stty size; echo $((6*7))\r\n");

            // A new agent takes over: it reads and resizes the same terminal (script's, which outlived the first).
            reader.interrupt();
            RunscRuntime next = restart(first);
            assertThat(resizeThenExitThrough(next, c)).contains("exit 3");
        } finally {
            runtime.remove(s);
        }
        assertThat(leftovers(s)).isEmpty();
    }

    @Test
    void aTtyContainerBesideOthersKeepsItsTerminalAcrossARuntimeRestart() throws Exception {
        RunscRuntime first = (RunscRuntime) runtime;
        SandboxHandle s = first.startSandbox(sandboxSpec(Resources.none()));
        try {
            ContainerHandle other = run(s, "exec sleep 1000");
            ContainerSpec shell = shellOnTerminal(false);
            ContainerHandle c = first.startContainer(s, shell);
            // Only the relay holds the terminal's master: an agent killed with -9 takes nothing along.
            assertThat(openTerminalMasters()).as("terminal masters this JVM holds").isZero();
            var seen = new StringBuffer();
            Thread reader = follow(first.openOutput(c), seen);
            // The terminal echoes what was typed, with CRLF line ends.
            resizeTypeAndAwait(first, c, 100, 40, "[ -t 0 ] && echo on-a-terminal; stty size; echo $((6*7))\n", seen,
                    "on-a-terminal\r\n40 100\r\n42\r\n");

            // The agent goes away and a new one takes over: the shell keeps its terminal.
            reader.interrupt();
            RunscRuntime next = restart(first);
            assertThat(next.state(c)).isInstanceOf(io.kubevisor.runtime.sandbox.ContainerState.Running.class);
            resizeThenExitThrough(next, c);
            assertThat(stdout(shell.logFile()).stream().map(String::strip)).contains("on-a-terminal", "42", "49");
            assertThat(next.state(other)).isInstanceOf(io.kubevisor.runtime.sandbox.ContainerState.Running.class);
        } finally {
            runtime.remove(s);
        }
        assertThat(leftovers(s)).isEmpty();
        assertThat(ProcessHandle.allProcesses().filter(p -> holdsFileUnder(p.pid(), options().bundleDir())))
                .as("no terminal relay or stdin holder left").isEmpty();
    }

    /**
     * Through {@code next}, a runtime that took over: reads the terminal of the shell {@code c},
     * resizes it to 30x90 and sees the shell say so, then has it exit 3, and checks that the
     * container ended with 3 and its terminal's output with it. Returns what was read.
     */
    private String resizeThenExitThrough(RunscRuntime next, ContainerHandle c) throws Exception {
        var seen = new StringBuffer();
        Thread reader = follow(next.openOutput(c), seen);
        resizeTypeAndAwait(next, c, 90, 30, "stty size; echo $((7*7))\n", seen, "30 90\r\n49\r\n");
        type(next, c, "exit 3\n");
        assertThat(awaitExit(c, Duration.ofSeconds(20)).exitCode()).isEqualTo(3);
        reader.join(Duration.ofSeconds(10));
        assertThat(reader.isAlive()).as("the terminal's output ends with the container").isFalse();
        return seen.toString();
    }

    /** Copies a terminal's output into {@code seen} on a virtual thread until it ends (or is interrupted). */
    private static Thread follow(java.io.InputStream terminal, StringBuffer seen) {
        return Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[1024];
            int n;
            try (terminal) {
                while ((n = terminal.read(buf)) >= 0) {
                    seen.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                seen.append("[").append(e).append("]");
            }
        });
    }

    private static long openTerminalMasters() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.equals("/dev/ptmx") || target.equals("/dev/pts/ptmx");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    /** A shell with {@code tty}, and {@code stdin} as given (a terminal reads its stdin FIFO either way). */
    private ContainerSpec shellOnTerminal(boolean stdin) {
        ContainerSpec base = containerSpec("unused");
        return new ContainerSpec(base.id(), base.rootfs(), List.of("/bin/sh"), base.env(), null, -1, -1, List.of(),
                Resources.none(), true, stdin, base.logFile(), base.labels());
    }

    /** Closes this runtime instance and opens the next on the same state, as a restarted node does. */
    private RunscRuntime restart(RunscRuntime first) {
        first.close();
        RunscRuntime next = (RunscRuntime) open();
        runtime = next;
        return next;
    }

    /** Sets the terminal's size, types {@code line} and waits (20 s at most) until the output shows {@code expect}. */
    private static void resizeTypeAndAwait(RunscRuntime rt, ContainerHandle c, int width, int height, String line,
                                           StringBuffer seen, String expect) throws IOException {
        rt.resize(c, new io.kubevisor.runtime.sandbox.TerminalSize(width, height));
        type(rt, c, line);
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.toString().contains(expect));
    }

    /** Types a line on a container's terminal through its stdin. */
    private static void type(RunscRuntime rt, ContainerHandle c, String line) throws IOException {
        try (var in = rt.openStdin(c)) {
            in.write(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void aContainersStdinOutlivesTheRuntimeInstanceThatStartedIt() throws Exception {
        List<SandboxHandle> sandboxes = List.of(runtime.startSandbox(singleContainerSpec(Resources.none())),
                runtime.startSandbox(sandboxSpec(Resources.none())));
        List<ContainerSpec> readers = new ArrayList<>();
        List<ContainerHandle> handles = new ArrayList<>();
        try {
            for (SandboxHandle s : sandboxes) {
                ContainerSpec base = containerSpec("unused");
                ContainerSpec reader = new ContainerSpec(base.id(), base.rootfs(), List.of("/bin/sh", "-c",
                        "while read l; do echo got $l; done; echo closed"), base.env(), null, -1, -1, List.of(),
                        Resources.none(), false, true, base.logFile(), base.labels());
                readers.add(reader);
                handles.add(runtime.startContainer(s, reader));
            }
            RunscRuntime first = (RunscRuntime) runtime;
            for (int i = 0; i < 2; i++) {
                try (var in = first.openStdin(handles.get(i))) {
                    in.write("one\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                ContainerSpec reader = readers.get(i);
                await().atMost(Duration.ofSeconds(10)).until(() -> stdout(reader.logFile()).contains("got one"));
            }
            // The agent goes away and a new one takes over: the containers do not read end-of-file.
            first.close();
            RunscRuntime next = (RunscRuntime) open();
            runtime = next;
            sleep(Duration.ofMillis(500));
            for (int i = 0; i < 2; i++) {
                ContainerHandle c = handles.get(i);
                ContainerSpec reader = readers.get(i);
                assertThat(next.state(c)).isInstanceOf(io.kubevisor.runtime.sandbox.ContainerState.Running.class);
                try (var in = next.openStdin(c)) {
                    in.write("two\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> stdout(reader.logFile()).contains("got two"));
                next.closeStdin(c);
                assertThat(awaitExit(c, Duration.ofSeconds(20)).exitCode()).isZero();
                assertThat(stdout(reader.logFile())).containsExactly("got one", "got two", "closed");
            }
        } finally {
            sandboxes.forEach(runtime::remove);
        }
        sandboxes.forEach(s -> assertThat(leftovers(s)).isEmpty());
        assertThat(ProcessHandle.allProcesses().filter(p -> holdsFileUnder(p.pid(), options().bundleDir())))
                .as("no stdin holder left").isEmpty();
    }

    @Test
    void aSandboxIsAliveUntilItsProcessesAreKilledFromTheHost() throws Exception {
        SandboxHandle s = startSandbox();
        run(s, "exec sleep 1000");
        assertThat(runtime.sandboxAlive(s)).isTrue();

        // As the host OOM killer would: every process of the sandbox's cgroup, at once.
        String procs = Files.readString(Path.of("/sys/fs/cgroup/memory" + CGROUP_PARENT + "/" + s.id(), "cgroup.procs"));
        List<String> kill = new ArrayList<>(List.of("kill", "-KILL"));
        procs.lines().filter(l -> !l.isBlank()).forEach(kill::add);
        assertThat(kill).hasSizeGreaterThan(2);
        assertThat(new ProcessBuilder(kill).start().waitFor()).isZero();

        await().atMost(Duration.ofSeconds(10)).until(() -> !runtime.sandboxAlive(s));
    }

    @Test
    void aSandboxThatDiedWhileNoAgentRanReportsLostExitCodes() throws Exception {
        SandboxHandle s = startSandbox();
        ContainerHandle c = run(s, "exec sleep 1000");
        ((RunscRuntime) runtime).close();
        RunscOptions o = options();
        var kill = Runsc.run(List.of(o.runsc().toString(), "--root=" + o.stateRoot(), "kill", s.id(), "KILL"),
                Duration.ofSeconds(30));
        assertThat(kill.ok()).as(kill.message()).isTrue();
        runtime = open();
        assertThat(runtime.state(c)).isInstanceOfSatisfying(io.kubevisor.runtime.sandbox.ContainerState.Exited.class,
                e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitWatcher.UNKNOWN_EXIT);
                    assertThat(e.oomKilled()).isFalse();
                });
    }

    @Test
    void runscContainersWithoutRecordsAreDeletedOnAdoption() {
        SandboxHandle s = startSandbox();
        ((RunscRuntime) runtime).close();
        TextFiles.deleteTree(new Layout(options().bundleDir()).sandbox(s.id()));
        runtime = open();
        assertThat(runtime.sandboxes()).extracting(SandboxHandle::id).doesNotContain(s.id());
        assertThat(leftovers(s)).isEmpty();
    }

    @Test
    void idsMustBeFixedLengthHex() {
        var spec = new SandboxSpec("pod1", "h", null, null, Resources.none(), "", "", Map.of());
        assertThatThrownBy(() -> runtime.startSandbox(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 lowercase hex");
    }

    @Test
    void sandboxJoinsItsNetworkNamespace() throws IOException {
        String suffix = newId().substring(0, 8);
        String podNs = "kvit-pod-" + suffix;
        String peerNs = "kvit-peer-" + suffix;
        try {
            sh("ip netns add " + podNs + " && ip netns add " + peerNs
                    + " && ip -n " + podNs + " link set lo up"
                    + " && ip -n " + podNs + " link add eth0 type veth peer name p" + suffix
                    + " && ip -n " + podNs + " link set p" + suffix + " netns " + peerNs
                    + " && ip -n " + peerNs + " addr add 100.64.77.1/24 dev p" + suffix
                    + " && ip -n " + peerNs + " link set p" + suffix + " up"
                    + " && ip -n " + podNs + " addr add 100.64.77.10/24 dev eth0"
                    + " && ip -n " + podNs + " link set eth0 up");
            String id = newId();
            var spec = new SandboxSpec(id, "netpod", Path.of("/var/run/netns/" + podNs), null, Resources.none(),
                    "", "", Map.of());
            SandboxHandle s = runtime.startSandbox(spec);
            try {
                ContainerSpec server = containerSpec("ip -4 addr show eth0; exec nc -l -p 8080 -e echo hello-from-pod");
                ContainerHandle c = runtime.startContainer(s, server);
                String got = "";
                for (int i = 0; i < 50 && !got.contains("hello-from-pod"); i++) {
                    sleep(Duration.ofMillis(200));
                    got = sh("ip netns exec " + peerNs + " busybox nc 100.64.77.10 8080 </dev/null || true");
                }
                assertThat(got).contains("hello-from-pod");
                assertThat(stdout(server.logFile())).anyMatch(l -> l.contains("100.64.77.10/24"));
                assertThat(c.sandboxId()).isEqualTo(id);
            } finally {
                runtime.remove(s);
            }
        } finally {
            sh("ip netns del " + podNs + " 2>/dev/null; ip netns del " + peerNs + " 2>/dev/null; true");
        }
    }

    private static String sh(String script) {
        var r = Runsc.run(List.of("sh", "-c", script), Duration.ofSeconds(30));
        if (!r.ok()) {
            throw new IllegalStateException(script + ": " + r.message());
        }
        return r.out();
    }
}
