package io.kubevisor.runtime.runsc;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kubevisor.api.Json;
import io.kubevisor.runtime.linux.Fd;
import io.kubevisor.runtime.logs.ContainerLogPump;
import io.kubevisor.runtime.logs.CriLogWriter;
import io.kubevisor.runtime.sandbox.ContainerSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a container in a sandbox: the host overlay over its image, its bundle, its log pump,
 * then either an app container beside the pause container ({@code runsc create}, {@code start}
 * with stdout and stderr appended to the raw files, or its terminal held by a
 * {@link TerminalRelay}; a {@code runsc wait}) or a single-container sandbox's container
 * ({@code runsc run}, see {@link RootRun}). A failed start is cleaned up;
 * runsc's message also lands in the container's log.
 */
final class ContainerStarter {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerStarter.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** How long text without a newline waits before it goes out as a partial entry. */
    static final Duration PARTIAL_DELAY = Duration.ofSeconds(1);

    private final Runsc runsc;
    private final Layout layout;
    private final Registry registry;
    private final ExitWatcher watcher;
    private final Remover remover;
    private final HostCgroups cgroups;
    private final RootRun rootRun;
    private final Clock clock;

    ContainerStarter(Runsc runsc, Layout layout, Registry registry, ExitWatcher watcher, Remover remover,
                     HostCgroups cgroups, Clock clock) {
        this.runsc = runsc;
        this.cgroups = cgroups;
        this.rootRun = new RootRun(runsc);
        this.layout = layout;
        this.registry = registry;
        this.watcher = watcher;
        this.remover = remover;
        this.clock = clock;
    }

    /**
     * Everything of a start that needs no running sandbox: the overlay, the bundle, the record,
     * the log pump. Returns the entry, still CREATED; idempotent by id.
     */
    ContainerEntry prepare(SandboxRecord sandbox, ContainerSpec spec) {
        String cid = Ids.check("container", spec.id());
        ContainerEntry existing = registry.container(cid);
        if (existing != null) {
            return existing;
        }
        if (registry.sandbox(cid) != null) {
            throw new IllegalArgumentException("container id " + cid + " is a sandbox's id");
        }
        String sid = sandbox.id();
        if (sandbox.singleContainer()) {
            makeRoomForRoot(sandbox, cid);
        }
        Path dir = layout.container(sid, cid);
        HostOverlay.mount(spec.rootfs().toAbsolutePath(), layout.upper(sid, cid), layout.work(sid, cid),
                layout.rootfs(sid, cid));
        var bundle = sandbox.singleContainer()
                ? OciBundle.rootContainer(sandbox, spec, layout.rootfs(sid, cid), layout.etc(sid),
                        PauseRootfs.ensure(layout.pauseRootfs(), runsc.options().pauseBusybox()).resolve("bin/busybox"))
                : OciBundle.container(sandbox, spec, layout.rootfs(sid, cid), layout.etc(sid));
        TextFiles.write(dir.resolve("config.json"), Json.string(bundle));
        var record = new ContainerRecord(cid, sid, spec.labels() == null ? Map.of() : Map.copyOf(spec.labels()),
                spec.logFile().toAbsolutePath().toString(), List.copyOf(spec.env()), spec.workingDir(), spec.uid(),
                spec.gid(), ContainerRecord.CREATED, null, null, 0, false);
        var entry = new ContainerEntry(record, layout.containerRecord(sid, cid));
        entry.update(record);
        registry.putContainer(entry);

        Path out = layout.stdout(sid, cid);
        Path err = layout.stderr(sid, cid);
        TextFiles.touch(out);
        TextFiles.touch(err);
        entry.pump(pump(sid, cid, spec.logFile()));
        entry.pump().start();
        entry.oomKillsBefore(cgroups.oomKills(sandbox.cgroupPath()));
        return entry;
    }

    /** Prepares the container unless that was done, then starts it; a started one is returned as it is. */
    ContainerEntry start(SandboxRecord sandbox, ContainerSpec spec) {
        ContainerEntry existing = registry.container(Ids.check("container", spec.id()));
        if (existing != null && !awaitsStart(existing)) {
            return existing;
        }
        ContainerEntry entry = existing != null ? existing : prepare(sandbox, spec);
        String sid = sandbox.id();
        String cid = entry.record().id();
        Path dir = layout.container(sid, cid);
        Path out = layout.stdout(sid, cid);
        Path err = layout.stderr(sid, cid);
        long t0 = System.nanoTime();
        if (sandbox.singleContainer()) {
            runRoot(sandbox, entry, spec, dir, out, err);
        } else {
            createAndStart(sandbox, entry, spec, dir, out, err);
        }
        LOG.info("event=container-started container={} sandbox={} root={} ms={}", cid, sid, sandbox.singleContainer(),
                (System.nanoTime() - t0) / 1_000_000);
        return entry;
    }

    /**
     * An app container beside the pause container: {@code runsc create}, then {@code start} with
     * the container's stdio (the stdin FIFO when asked for), then a {@code runsc wait} as waiter.
     * With {@code tty}, create sends the terminal it made over a console socket instead, and a
     * relay outside this agent holds it ({@link TerminalRelay}); start's stdio then goes unused.
     */
    private void createAndStart(SandboxRecord sandbox, ContainerEntry entry, ContainerSpec spec, Path dir, Path out,
                                Path err) {
        String sid = sandbox.id();
        String cid = entry.record().id();
        Path stdin = spec.stdin() || spec.tty() ? openStdin(entry, layout.stdin(sid, cid)) : null;
        if (spec.tty()) {
            createOnTerminal(sandbox, entry, dir, out, stdin);
        } else {
            create(sandbox, entry, dir, List.of());
        }
        long from = TextFiles.size(err);
        int rc = Runsc.runDetached(runsc.command(sandbox.network(), List.of("start", cid)),
                spec.tty() ? null : stdin, out, err, TIMEOUT);
        if (rc != 0) {
            fail(sandbox, entry, "start", TextFiles.appendedSince(err, from));
        }
        entry.update(entry.record().running(clock.instant()));
        watcher.watch(sandbox, entry);
    }

    private void create(SandboxRecord sandbox, ContainerEntry entry, Path dir, List<String> flags) {
        String cid = entry.record().id();
        Path log = layout.containerLog(sandbox.id(), cid);
        long from = TextFiles.size(log);
        var args = new ArrayList<String>(List.of("create", "--bundle", dir.toString()));
        args.addAll(flags);
        args.add(cid);
        int rc = Runsc.runDetached(runsc.command(sandbox.network(), args), log, log, TIMEOUT);
        if (rc != 0) {
            fail(sandbox, entry, "create", TextFiles.appendedSince(log, from));
        }
    }

    /**
     * {@code runsc create} with a console socket, then the terminal master it sent goes to a relay
     * between the terminal, the raw stdout and the stdin FIFO; this agent keeps no copy of it, so
     * the terminal outlives the agent. A terminal's reader sees end-of-file as ^D, so it always
     * has a stdin.
     */
    private void createOnTerminal(SandboxRecord sandbox, ContainerEntry entry, Path dir, Path out, Path stdin) {
        String cid = entry.record().id();
        ConsoleSocket console;
        try {
            console = ConsoleSocket.open();
        } catch (RunscException e) {
            fail(sandbox, entry, "create", e.getMessage());
            return;
        }
        try (console) {
            create(sandbox, entry, dir, List.of("--console-socket", console.path().toString()));
            TerminalRelay relay;
            try (Fd master = console.takeMaster()) {
                relay = TerminalRelay.start(master, out, stdin);
            } catch (RuntimeException e) {
                fail(sandbox, entry, "create", e.getMessage());
                return;
            }
            entry.relay(relay);
            LOG.info("event=terminal-relay-started container={} terminal={} pid={}", cid, relay.terminal(),
                    relay.pid());
        }
    }

    /**
     * The container of a single-container sandbox is the sandbox: the memory cgroup is made
     * first (so its OOM kills stay countable after runsc tears the sandbox down), then a
     * foreground {@code runsc run} starts it and stays as its waiter ({@link RootRun}).
     */
    private void runRoot(SandboxRecord sandbox, ContainerEntry entry, ContainerSpec spec, Path dir, Path out,
                         Path err) {
        String cid = entry.record().id();
        Path stdin = null;
        if (spec.stdin() || spec.tty()) {
            // A terminal's reader sees end-of-file as ^D: without stdin it gets a pipe nobody writes to.
            stdin = openStdin(entry, layout.stdin(sandbox.id(), cid));
        }
        RootRun.Started run;
        try {
            cgroups.ensureMemory(sandbox.cgroupPath(), OciBundle.rootResources(sandbox, spec).memoryBytes());
            run = rootRun.start(sandbox, cid, dir, layout.exitCode(sandbox.id(), cid), stdin, spec.tty(), out, err,
                    TIMEOUT);
        } catch (RunscException e) {
            fail(sandbox, entry, "run", e.getMessage());
            return;
        }
        entry.terminal(spec.tty());
        if (spec.tty()) {
            // Recorded for an agent that adopts it: resizes then go to this terminal.
            TerminalResizer.record(run.process(), out).ifPresent(entry::terminalPath);
        }
        entry.update(entry.record().running(clock.instant()));
        watcher.own(sandbox, entry, run.process());
    }

    /** Prepared, and neither started nor ended. */
    private static boolean awaitsStart(ContainerEntry e) {
        return ContainerRecord.CREATED.equals(e.record().status()) && e.waiterProcess() == null && !e.isExited();
    }

    /**
     * A single-container sandbox runs one container at a time; one that exited (a restart) gives
     * its runsc state and cgroup up first. Its record stays until the caller removes it.
     */
    private void makeRoomForRoot(SandboxRecord sandbox, String cid) {
        for (ContainerEntry other : registry.containersOf(sandbox.id())) {
            if (!other.isExited()) {
                throw new IllegalStateException("sandbox " + sandbox.id() + " holds a single container and "
                        + other.record().id() + " still runs");
            }
            runsc.run(sandbox.network(), Runsc.SHORT, "delete", "--force", other.record().id());
        }
    }

    /**
     * The container's stdin FIFO, held open by the entry. Opened before the container starts, so
     * that runsc's open of the read end finds a writer and never blocks.
     */
    private static Path openStdin(ContainerEntry entry, Path fifo) {
        StdinPipe pipe = StdinPipe.create(fifo);
        entry.stdin(pipe);
        return pipe.path();
    }

    /** A pump for a container's raw output into its CRI log. */
    ContainerLogPump pump(String sid, String cid, Path logFile) {
        return new ContainerLogPump(cid, layout.stdout(sid, cid), layout.stderr(sid, cid), layout.logOffsets(sid, cid),
                new CriLogWriter(logFile, runsc.options().logRotation()), clock, PARTIAL_DELAY);
    }

    private void fail(SandboxRecord sandbox, ContainerEntry entry, String verb, String message) {
        try {
            remover.removeContainer(sandbox, entry);
        } catch (RuntimeException e) {
            LOG.warn("event=container-cleanup-failed container={} error=\"{}\"", entry.record().id(), e.getMessage());
        }
        throw new RunscException("runsc " + verb + " of container " + entry.record().id() + " failed: " + message);
    }
}
