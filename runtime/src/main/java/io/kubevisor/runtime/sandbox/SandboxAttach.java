package io.kubevisor.runtime.sandbox;

import java.io.OutputStream;

/**
 * Optional ability: writing to the stdin of a container started with {@code stdin} set, as
 * {@code kubectl attach -i} and {@code kubectl run -i} do. The container's output is not here:
 * it goes to the container's log, which attach follows.
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
}
