package io.kubevisor.runtime.sandbox;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * Optional ability: writing to the stdin of a container started with {@code stdin} set, as
 * {@code kubectl attach -i} and {@code kubectl run -i} do. The container's output goes to its
 * log, which attach follows; a container on a terminal also has it raw ({@link #openOutput}).
 */
public interface SandboxAttach {

    /**
     * A new writer to the container's stdin for one attach session. Closing it ends the session
     * but not the container's stdin, which stays open for later sessions until
     * {@link #closeStdin}. Thread-safe; the caller owns and closes the stream.
     *
     * @throws IllegalStateException when the container was not started with stdin or is gone
     */
    OutputStream openStdin(ContainerHandle container);

    /**
     * Closes the container's stdin for good: it reads end-of-file once every session's writer is
     * closed ({@code stdinOnce} after the first session). Idempotent.
     */
    void closeStdin(ContainerHandle container);

    /**
     * The output of a container that runs on a terminal ({@code tty}), from now until it ends, as
     * the terminal writes it: what an attach session with a terminal shows at once (the log would
     * hold back a prompt or an echoed key until a line ends). The caller closes the stream.
     *
     * @throws UnsupportedOperationException when this runtime or container has no terminal
     */
    default InputStream openOutput(ContainerHandle container) {
        throw new UnsupportedOperationException("container " + container.id() + " has no terminal here");
    }

    /**
     * Sets the size of a container's terminal, as {@code kubectl attach -t} reports its window's
     * size; the process gets SIGWINCH. A no-op for a runtime or container without one.
     */
    default void resize(ContainerHandle container, TerminalSize size) {
    }
}
