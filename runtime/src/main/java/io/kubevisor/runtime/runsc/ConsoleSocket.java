package io.kubevisor.runtime.runsc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.kubevisor.runtime.linux.Fd;
import io.kubevisor.runtime.linux.LinuxCallException;
import io.kubevisor.runtime.linux.UnixRights;

/**
 * The socket that {@code runsc create --console-socket} sends an app container's terminal
 * master to: runsc makes the pseudo-terminal, keeps the other end for the container, and sends
 * the master over this socket before create returns (this runsc refuses to start a subcontainer
 * with {@code terminal: true} without one). The message waits in the listener's backlog, so it
 * is taken after create ended, with no thread of its own.
 *
 * <p>It lives in a private directory under the temp dir: a socket's path must be shorter than
 * 108 bytes, which the container's own directory is not.
 */
final class ConsoleSocket implements AutoCloseable {

    private final Path dir;
    private final Path path;
    private final Fd listener;

    private ConsoleSocket(Path dir, Path path, Fd listener) {
        this.dir = dir;
        this.path = path;
        this.listener = listener;
    }

    /** Listens at a fresh path, readable by root only. */
    static ConsoleSocket open() {
        Path dir;
        try {
            dir = Files.createTempDirectory("kubevisor-console");
        } catch (IOException e) {
            throw new RunscException("cannot make a console socket's directory: " + e.getMessage(), e);
        }
        Path path = dir.resolve("s");
        try {
            return new ConsoleSocket(dir, path, UnixRights.listen(path));
        } catch (RuntimeException e) {
            TextFiles.deleteTree(dir);
            throw new RunscException("cannot listen for a console at " + path + ": " + e.getMessage(), e);
        }
    }

    /** What to pass as {@code --console-socket}. */
    Path path() {
        return path;
    }

    /**
     * The terminal master runsc sent, owned by the caller; call after {@code runsc create}
     * succeeded.
     */
    Fd takeMaster() {
        try (Fd connection = UnixRights.acceptWaiting(listener)) {
            return UnixRights.receiveFd(connection);
        } catch (LinuxCallException | IllegalStateException e) {
            throw new RunscException("runsc sent no terminal over its console socket: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        listener.close();
        TextFiles.deleteTree(dir);
    }
}
