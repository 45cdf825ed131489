package io.kubevisor.runtime.provider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.Container;
import io.kubevisor.node.provider.ContainerLogs;
import io.kubevisor.node.provider.PodRef;
import io.kubevisor.node.provider.ProviderException;
import io.kubevisor.node.provider.StreamIo;
import io.kubevisor.runtime.logs.CriLogReader;
import io.kubevisor.runtime.sandbox.ContainerHandle;
import io.kubevisor.runtime.sandbox.ContainerState;
import io.kubevisor.runtime.sandbox.SandboxAttach;
import io.kubevisor.runtime.sandbox.SandboxExec;
import io.kubevisor.runtime.sandbox.SandboxRuntime;
import io.kubevisor.runtime.sandbox.TerminalSize;

/**
 * The streams {@code kubectl} opens through the kubelet endpoint: logs (the current or previous
 * instance's CRI log), exec, attach and port-forward. Attach streams the container's output from
 * now on, from its log (runsc hands stdout and stderr to the log at start) or, for a terminal
 * session on a container with one, from its terminal with the client's sizes applied; it feeds
 * the session's stdin to a container started with {@code stdin: true}, and ends when the
 * container exits or the client detaches. Port-forward relays one connection through
 * {@code busybox nc 127.0.0.1 PORT} run inside the sandbox, so it reaches servers bound to the
 * pod's loopback too. Thread-safe.
 */
final class PodStreams {

    private final SandboxRuntime runtime;
    private final PodLayout layout;
    private final Function<PodRef, PodWorker> pods;

    PodStreams(SandboxRuntime runtime, PodLayout layout, Function<PodRef, PodWorker> pods) {
        this.runtime = runtime;
        this.layout = layout;
        this.pods = pods;
    }

    void logs(PodRef ref, String container, ContainerLogs.Options o, OutputStream out) throws IOException {
        PodWorker w = worker(ref);
        PodState st = w.state();
        ContainerSlot slot = slot(st, container);
        Path file;
        String instance;
        synchronized (st) {
            if (o.previous()) {
                if (slot.restartCount == 0 || (slot.last == null && slot.terminated == null)) {
                    throw new ProviderException("previous terminated container \"" + container + "\" in pod \""
                            + ref.name() + "\" not found");
                }
                file = layout.log(ref, container, slot.restartCount - 1);
                instance = null;
            } else {
                if (slot.instanceId == null) {
                    String reason = slot.waiting == null ? "ContainerCreating" : slot.waiting.reason();
                    throw new ProviderException("container \"" + container + "\" in pod \"" + ref.name()
                            + "\" is waiting to start: " + reason);
                }
                file = layout.log(ref, container, slot.restartCount);
                instance = slot.running() ? slot.instanceId : null;
            }
        }
        if (!Files.exists(file) && o.previous()) {
            throw new ProviderException("previous terminated container \"" + container + "\" in pod \"" + ref.name()
                    + "\" not found");
        }
        var options = new CriLogReader.Options(o.follow() && instance != null, o.tailLines(), o.since(),
                o.timestamps(), o.limitBytes());
        new CriLogReader(file).copy(options, out, () -> stillRunning(st, slot, instance));
    }

    private static boolean stillRunning(PodState st, ContainerSlot slot, String instance) {
        synchronized (st) {
            return instance != null && instance.equals(slot.instanceId) && slot.running() && !st.deleting;
        }
    }

    int exec(PodRef ref, String container, List<String> command, StreamIo io) {
        ContainerHandle h = runningHandle(ref, container);
        if (!(runtime instanceof SandboxExec exec)) {
            throw new ProviderException("this node's runtime cannot exec in containers");
        }
        OutputStream out = io.stdout() == null ? OutputStream.nullOutputStream() : io.stdout();
        OutputStream err = io.tty() ? null : io.stderr() == null ? OutputStream.nullOutputStream() : io.stderr();
        Thread relay = null;
        try {
            if (io.tty() && io.resize() != null) {
                var sizes = new LinkedBlockingQueue<TerminalSize>();
                relay = followSizes(io.resize(), sizes::add);
                return exec.exec(h, command, List.of(), io.stdin(), out, sizes);
            }
            return exec.exec(h, command, List.of(), io.tty(), io.stdin(), out, err);
        } catch (ProviderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ProviderException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        } finally {
            if (relay != null) {
                relay.interrupt();
            }
        }
    }

    /** Hands each terminal size the session sends to {@code apply}, on a virtual thread, until interrupted. */
    private static Thread followSizes(BlockingQueue<StreamIo.TerminalSize> from, Consumer<TerminalSize> apply) {
        return Thread.ofVirtual().name("terminal-sizes").start(() -> {
            try {
                while (true) {
                    StreamIo.TerminalSize s = from.take();
                    apply.accept(new TerminalSize(s.width(), s.height()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    int attach(PodRef ref, String container, StreamIo io) {
        runningHandle(ref, container);
        PodWorker w = worker(ref);
        PodState st = w.state();
        ContainerSlot slot = slot(st, container);
        String instance;
        Path file;
        synchronized (st) {
            instance = slot.instanceId;
            file = layout.log(ref, container, slot.restartCount);
        }
        OutputStream out = io.stdout() != null ? io.stdout() : io.stderr() != null ? io.stderr()
                : OutputStream.nullOutputStream();
        Container spec = st.spec(slot);
        ContainerHandle h0 = slot.handle;
        SandboxAttach attach = runtime instanceof SandboxAttach a ? a : null;
        if (io.stdin() != null && Boolean.TRUE.equals(spec.getStdin()) && attach != null && h0 != null) {
            feedStdin(attach, h0, io.stdin(), Boolean.TRUE.equals(spec.getStdinOnce()));
        }
        try {
            if (io.tty() && Boolean.TRUE.equals(spec.getTty()) && attach != null && h0 != null
                    && followTerminal(attach, h0, io, out)) {
                return exitCode(st, slot, instance);
            }
            new CriLogReader(file).copy(new CriLogReader.Options(true, 0, null, false, -1), out,
                    () -> stillRunning(st, slot, instance));
        } catch (IOException e) {
            return -1;
        }
        return exitCode(st, slot, instance);
    }

    /**
     * A terminal session: the container's terminal output as it comes, and the client's sizes
     * set on that terminal. False when the runtime has no terminal for the container (the log
     * is followed instead).
     */
    private static boolean followTerminal(SandboxAttach attach, ContainerHandle h, StreamIo io, OutputStream out)
            throws IOException {
        InputStream terminal;
        try {
            terminal = attach.openOutput(h);
        } catch (UnsupportedOperationException e) {
            return false;
        }
        Thread sizes = io.resize() == null ? null : followSizes(io.resize(), size -> attach.resize(h, size));
        try (terminal) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = terminal.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } finally {
            if (sizes != null) {
                sizes.interrupt();
            }
        }
        return true;
    }

    private int exitCode(PodState st, ContainerSlot slot, String instance) {
        if (Thread.currentThread().isInterrupted()) {
            return -1;
        }
        synchronized (st) {
            if (instance.equals(slot.instanceId) && slot.terminated != null) {
                return slot.terminated.exitCode();
            }
        }
        ContainerHandle h = slot.handle;
        if (h != null && runtime.state(h) instanceof ContainerState.Exited e) {
            return e.exitCode();
        }
        return -1;
    }

    void forward(PodRef ref, int port, InputStream fromClient, OutputStream toClient) {
        PodWorker w = worker(ref);
        var sandbox = w.state().sandbox;
        if (sandbox == null) {
            throw new ProviderException("pod " + ref.name() + " has no running sandbox");
        }
        if (!(runtime instanceof SandboxExec exec)) {
            throw new ProviderException("this node's runtime cannot forward ports");
        }
        var err = new ByteArrayOutputStream();
        int rc;
        try {
            rc = exec.execInSandbox(sandbox, List.of("nc", "127.0.0.1", Integer.toString(port)),
                    fromClient, toClient, err);
        } catch (RuntimeException e) {
            throw new ProviderException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
        String msg = err.toString(StandardCharsets.UTF_8).strip();
        if (rc != 0 && !msg.isEmpty()) {
            throw new ProviderException("failed to connect to localhost:" + port + " inside namespace \""
                    + ref.uid() + "\", IPv4: " + msg);
        }
    }

    /**
     * Copies the session's stdin to the container's until the client closes it; with
     * {@code stdinOnce} the container's stdin then closes for good, as the kubelet does.
     */
    private static void feedStdin(SandboxAttach attach, ContainerHandle h, InputStream from, boolean once) {
        OutputStream to = attach.openStdin(h);
        Thread.ofVirtual().name("attach-stdin-" + h.id()).start(() -> {
            try (to) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = from.read(buf)) >= 0) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // The session or the container ended: nothing more to feed.
            } finally {
                if (once) {
                    attach.closeStdin(h);
                }
            }
        });
    }

    private ContainerHandle runningHandle(PodRef ref, String container) {
        PodWorker w = worker(ref);
        PodState st = w.state();
        ContainerSlot slot = slot(st, container);
        synchronized (st) {
            if (!slot.running() || slot.handle == null) {
                throw new ProviderException("container not found (\"" + container + "\")");
            }
            return slot.handle;
        }
    }

    private PodWorker worker(PodRef ref) {
        PodWorker w = pods.apply(ref);
        if (w == null) {
            throw new ProviderException("pod \"" + ref.name() + "\" is not running on this node");
        }
        return w;
    }

    private static ContainerSlot slot(PodState st, String container) {
        ContainerSlot slot = st.slot(container);
        if (slot == null) {
            throw new ProviderException("container " + container + " is not valid for pod " + st.ref.name());
        }
        return slot;
    }
}
