package io.kubevisor.runtime.runsc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.kubevisor.runtime.logs.ContainerLogPump;
import io.kubevisor.runtime.sandbox.ContainerHandle;
import io.kubevisor.runtime.sandbox.ContainerSpec;
import io.kubevisor.runtime.sandbox.ContainerState;
import io.kubevisor.runtime.sandbox.Handle;
import io.kubevisor.runtime.sandbox.SandboxAttach;
import io.kubevisor.runtime.sandbox.SandboxCheckpoint;
import io.kubevisor.runtime.sandbox.SandboxExec;
import io.kubevisor.runtime.sandbox.SandboxHandle;
import io.kubevisor.runtime.sandbox.SandboxRuntime;
import io.kubevisor.runtime.sandbox.SandboxSpec;
import io.kubevisor.runtime.sandbox.SandboxStats;
import io.kubevisor.runtime.sandbox.TerminalSize;

/**
 * gVisor ({@code runsc}) as the VM-container runtime: one sandbox per pod rooted in a pause
 * container ({@code busybox sleep}), app containers joined to it by the CRI annotations, logs
 * converted from raw output files to CRI files ({@link io.kubevisor.runtime.logs.ContainerLogPump}
 * says why files), exit codes from {@code runsc wait}, state kept on disk so that a new instance
 * on the same directories (an agent restart) adopts running sandboxes and keeps known exit codes.
 *
 * <p>What callers should know:
 * <ul>
 * <li>Images are never written: each container's root is a host overlay over the image (runsc
 *     creates mount points in it) and the container's own writes stay in the sandbox's memory.</li>
 * <li>Limits: the host enforces the sandbox's {@link io.kubevisor.runtime.sandbox.Resources}
 *     (cgroup v1); a container's own limits are not enforced (one kernel, one process). A pids
 *     limit gets {@value OciBundle#SANDBOX_HOST_TASKS} added for the sandbox's own host tasks
 *     (about 25-30 idle, about 6 per container's gofer; each process inside costs about 8 more
 *     host tasks under ptrace).</li>
 * <li>Exit codes: 137 with {@code oomKilled} when the host OOM killer stopped the sandbox; 255
 *     when the status was lost with the sandbox for another reason (as containerd reports).</li>
 * <li>Terminals: {@code exec -t} runs on a host pseudo-terminal; so does a container with
 *     {@code tty}: {@code script}'s in a single-container sandbox, the one runsc makes and sends
 *     over a console socket beside a pause container, held by a relay outside the agent
 *     ({@link TerminalRelay}). Stdin is a FIFO when asked for (always with a terminal), else
 *     /dev/null.</li>
 * <li>Checkpoint needs a single-container sandbox ({@link #SINGLE_CONTAINER_LABEL}).</li>
 * </ul>
 *
 * <p>Construction adopts what an earlier instance left (re-attaches waiters and log pumps);
 * {@link #close()} detaches from everything without stopping any sandbox. Thread-safe; calls on
 * one sandbox are serialized, calls on different sandboxes run in parallel. Needs root.
 */
public final class RunscRuntime implements SandboxRuntime, SandboxExec, SandboxAttach, SandboxStats,
        SandboxCheckpoint, AutoCloseable {

    /**
     * {@link SandboxSpec#SINGLE_CONTAINER}: the one container runs as runsc's root container
     * instead of beside a pause container. Such a sandbox can be checkpointed and restored with
     * its container's state (runsc restores only root containers); its container starts the
     * sandbox, and a container that exits takes the sandbox's kernel with it (a restart starts a
     * new one in the same network namespace).
     */
    public static final String SINGLE_CONTAINER_LABEL = SandboxSpec.SINGLE_CONTAINER;

    private final RunscOptions options;
    private final Runsc runsc;
    private final Layout layout;
    private final Registry registry = new Registry();
    private final HostCgroups cgroups;
    private final ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
    private final ExitWatcher watcher;
    private final Remover remover;
    private final SandboxStarter sandboxStarter;
    private final ContainerStarter containerStarter;
    private final Stopper stopper;
    private final ExecRunner execRunner;
    private final StatsReader stats;
    private final Checkpointer checkpointer;
    private volatile String version;

    /** Opens the runtime on its directories and adopts sandboxes an earlier instance started. */
    public RunscRuntime(RunscOptions options) {
        this(options, Clock.systemUTC());
    }

    RunscRuntime(RunscOptions options, Clock clock) {
        this.options = options;
        this.runsc = new Runsc(options);
        this.layout = new Layout(options.bundleDir());
        this.cgroups = HostCgroups.system();
        this.watcher = new ExitWatcher(runsc, layout, cgroups, clock, callbacks);
        this.remover = new Remover(runsc, layout, registry, cgroups);
        this.sandboxStarter = new SandboxStarter(runsc, layout, registry, remover, clock);
        this.containerStarter = new ContainerStarter(runsc, layout, registry, watcher, remover, cgroups, clock);
        this.stopper = new Stopper(runsc);
        this.execRunner = new ExecRunner(runsc);
        this.stats = new StatsReader(runsc, cgroups);
        this.checkpointer = new Checkpointer(runsc, layout, registry, sandboxStarter, watcher);
        try {
            Files.createDirectories(options.stateRoot());
            Files.createDirectories(layout.sandboxes());
            if (options.debugLogDir() != null) {
                Files.createDirectories(options.debugLogDir());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        new Adopter(runsc, layout, registry, cgroups, watcher, containerStarter).adopt();
    }

    /** The options it runs with. */
    public RunscOptions options() {
        return options;
    }

    @Override
    public String version() {
        String v = version;
        if (v == null) {
            var r = Runsc.run(List.of(options.runsc().toString(), "--version"), Runsc.SHORT);
            String first = r.out().lines().findFirst().orElse("").strip();
            v = "runsc://" + (first.startsWith("runsc version ") ? first.substring(14) : first);
            version = v;
        }
        return v;
    }

    @Override
    public SandboxHandle startSandbox(SandboxSpec spec) {
        Ids.check("sandbox", spec.id());
        return registry.locked(spec.id(), () -> handle(sandboxStarter.start(spec)));
    }

    @Override
    public ContainerHandle startContainer(SandboxHandle sandbox, ContainerSpec spec) {
        return registry.locked(sandbox.id(), () -> {
            SandboxRecord s = knownSandbox(sandbox.id());
            return handle(containerStarter.start(s, spec).record());
        });
    }

    /** {@inheritDoc} The overlay, bundle, record and log pump: about 10 ms, with a mount process. */
    @Override
    public void prepareContainer(SandboxHandle sandbox, ContainerSpec spec) {
        registry.locked(sandbox.id(), () -> containerStarter.prepare(knownSandbox(sandbox.id()), spec));
    }

    @Override
    public void stopContainer(ContainerHandle container, Duration grace) {
        ContainerEntry e = registry.container(container.id());
        if (e == null) {
            return;
        }
        stopper.stop(knownSandbox(e.record().sandboxId()), e, grace);
    }

    @Override
    public ContainerState state(ContainerHandle container) {
        ContainerEntry e = registry.container(container.id());
        return e == null ? new ContainerState.Unknown("no container " + container.id()) : e.record().state();
    }

    @Override
    public void remove(Handle handle) {
        switch (handle) {
            case SandboxHandle s -> registry.locked(s.id(), () -> {
                SandboxRecord r = registry.sandbox(s.id());
                if (r != null) {
                    remover.removeSandbox(r);
                }
                return null;
            });
            case ContainerHandle c -> {
                ContainerEntry e = registry.container(c.id());
                if (e != null) {
                    String sid = e.record().sandboxId();
                    registry.locked(sid, () -> {
                        remover.removeContainer(knownSandbox(sid), e);
                        return null;
                    });
                }
            }
        }
    }

    @Override
    public List<SandboxHandle> sandboxes() {
        return registry.sandboxes().stream()
                .sorted(Comparator.comparing(SandboxRecord::createdAt))
                .map(this::handle)
                .toList();
    }

    /**
     * {@inheritDoc}
     *
     * <p>With {@code tty} the process runs on a host pseudo-terminal of a fixed size (stderr joins
     * stdout).
     *
     * @throws RunscException when the command cannot start (runsc's message, e.g. not found) or
     *                        the container does not run
     */
    @Override
    public int exec(ContainerHandle container, List<String> command, List<String> env, boolean tty, InputStream stdin,
                    OutputStream stdout, OutputStream stderr) {
        ContainerEntry e = registry.container(container.id());
        if (e == null) {
            throw new RunscException("no container " + container.id());
        }
        return execRunner.exec(knownSandbox(e.record().sandboxId()), e, command, env, tty, stdin, stdout, stderr,
                null);
    }

    /** {@inheritDoc} The sizes are set on the exec's host terminal, which the sandbox reads. */
    @Override
    public int exec(ContainerHandle container, List<String> command, List<String> env, InputStream stdin,
                    OutputStream stdout, BlockingQueue<TerminalSize> resizes) {
        ContainerEntry e = registry.container(container.id());
        if (e == null) {
            throw new RunscException("no container " + container.id());
        }
        return execRunner.exec(knownSandbox(e.record().sandboxId()), e, command, env, true, stdin, stdout, null,
                resizes);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Runs in the pause container, or in a single-container sandbox's running container
     * (see {@link ExecRunner#execHelper}).
     *
     * @throws RunscException when the sandbox is unknown, a single-container sandbox's container
     *                        does not run, or the command cannot start
     */
    @Override
    public int execInSandbox(SandboxHandle sandbox, List<String> command, InputStream stdin, OutputStream stdout,
                             OutputStream stderr) {
        SandboxRecord r = registry.sandbox(sandbox.id());
        if (r == null) {
            throw new RunscException("no sandbox " + sandbox.id());
        }
        ContainerEntry running = r.singleContainer()
                ? registry.containersOf(r.id()).stream().filter(e -> !e.isExited()).findFirst().orElse(null)
                : null;
        return execRunner.execHelper(r, running, command, stdin, stdout, stderr);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A pause-rooted sandbox lives while runsc reports its root running; a single-container
     * sandbox while its container runs.
     */
    @Override
    public boolean sandboxAlive(SandboxHandle sandbox) {
        SandboxRecord r = registry.sandbox(sandbox.id());
        if (r == null) {
            return false;
        }
        if (r.singleContainer()) {
            return registry.containersOf(r.id()).stream().anyMatch(e -> !e.isExited());
        }
        // Asked every sync interval for every pod: reading the sandbox cgroup's process list costs
        // a file read, where `runsc state` costs a process (0.8 cores at 50 idle pods).
        if (r.cgroupPath() != null) {
            var inCgroup = cgroups.hasProcesses(r.cgroupPath());
            if (inCgroup.isPresent()) {
                return inCgroup.get();
            }
        }
        var state = runsc.run(r.network(), Runsc.SHORT, "state", r.id());
        return state.ok() && state.out().contains("\"running\"");
    }

    /**
     * {@inheritDoc}
     *
     * <p>The stdin is a FIFO the runtime holds open: a container reads end-of-file when it is
     * closed for good, or when the agent process ends.
     */
    @Override
    public OutputStream openStdin(ContainerHandle container) {
        ContainerEntry e = registry.container(container.id());
        if (e == null || e.isExited()) {
            throw new IllegalStateException("container " + container.id() + " is not running");
        }
        return StdinPipe.writer(layout.stdin(e.record().sandboxId(), e.record().id()));
    }

    /**
     * {@inheritDoc}
     *
     * <p>A container with {@code tty} runs on a host terminal whose output is its raw stdout
     * file, followed here: a single-container sandbox's (script's terminal), or an app
     * container's (its {@link TerminalRelay}'s, also after adoption).
     */
    @Override
    public InputStream openOutput(ContainerHandle container) {
        ContainerEntry e = registry.container(container.id());
        if (e == null || !e.hasTerminal()) {
            throw new UnsupportedOperationException("container " + container.id() + " has no terminal here");
        }
        try {
            return new TerminalOutput(layout.stdout(e.record().sandboxId(), e.record().id()), e::isExited);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /**
     * {@inheritDoc} A single-container sandbox's terminal is known by the path recorded at its
     * start, an app container's by its relay; both also after adoption.
     */
    @Override
    public void resize(ContainerHandle container, TerminalSize size) {
        ContainerEntry e = registry.container(container.id());
        if (e == null || !e.hasTerminal() || !size.valid()) {
            return;
        }
        TerminalRelay relay = e.relay();
        Path terminal = e.terminalPath();
        Process run = e.waiterProcess();
        if (relay != null) {
            relay.resize(size);
        } else if (terminal != null) {
            TerminalResizer.resize(terminal, size);
        } else if (run != null) {
            TerminalResizer.resize(run, size);
        }
    }

    @Override
    public void closeStdin(ContainerHandle container) {
        ContainerEntry e = registry.container(container.id());
        if (e != null) {
            e.closeStdin();
        }
    }

    @Override
    public Usage usage(Handle handle) {
        return switch (handle) {
            case SandboxHandle s -> stats.sandbox(knownSandbox(s.id()));
            case ContainerHandle c -> {
                ContainerEntry e = registry.container(c.id());
                yield e == null ? new Usage(0, 0) : stats.container(knownSandbox(e.record().sandboxId()), e);
            }
        };
    }

    /**
     * {@inheritDoc}
     *
     * <p>A single-container sandbox is checkpointed with its running container, which keeps
     * reporting Running until restored. A pause-rooted sandbox only while no app container runs.
     *
     * @throws UnsupportedOperationException while app containers run in a pause-rooted sandbox:
     *                                       this runsc restores only a sandbox's root container
     */
    @Override
    public void checkpoint(SandboxHandle sandbox, Path image) {
        registry.locked(sandbox.id(), () -> {
            checkpointer.checkpoint(knownSandbox(sandbox.id()), image);
            return null;
        });
    }

    @Override
    public SandboxHandle restore(SandboxSpec spec, Path image) {
        Ids.check("sandbox", spec.id());
        return registry.locked(spec.id(), () -> handle(checkpointer.restore(spec, image)));
    }

    /** Detaches from all sandboxes (they keep running) and stops background work. */
    @Override
    public void close() {
        // In parallel: each log pump finishes its current poll before it lets go.
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ContainerEntry e : registry.containers()) {
                pool.submit(e::detach);
            }
        }
        callbacks.shutdownNow();
    }

    private SandboxRecord knownSandbox(String id) {
        SandboxRecord r = registry.sandbox(id);
        if (r == null) {
            throw new IllegalArgumentException("no sandbox " + id);
        }
        return r;
    }

    private SandboxHandle handle(SandboxRecord r) {
        List<ContainerHandle> cs = registry.containersOf(r.id()).stream()
                .map(ContainerEntry::record)
                .sorted(Comparator.comparing(ContainerRecord::id))
                .map(this::handle)
                .toList();
        return new SandboxHandle(r.id(), r.labels(), cs);
    }

    private ContainerHandle handle(ContainerRecord r) {
        return new ContainerHandle(r.id(), r.sandboxId(), r.labels());
    }
}
