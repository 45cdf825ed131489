package io.kubevisor.runtime.sandbox;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.BlockingQueue;

/** Optional ability: run a process in a container (exec and exec probes). */
public interface SandboxExec {

    /**
     * Runs {@code command} in the container, blocking until it exits.
     *
     * @param stdin  fed to the process, or null
     * @param stdout receives its output (not closed by the runtime)
     * @param stderr receives its errors, or null to merge into stdout (with tty)
     * @return its exit code
     * @throws RuntimeException when the command cannot start (e.g. not found) or the container does
     *                          not run; the message is fit to show the user
     */
    int exec(ContainerHandle container, List<String> command, List<String> env, boolean tty, InputStream stdin,
             OutputStream stdout, OutputStream stderr);

    /**
     * As {@link #exec(ContainerHandle, List, List, boolean, InputStream, OutputStream, OutputStream)},
     * with a terminal that follows the client's size: each size taken from {@code resizes} is
     * applied to the process's terminal (which signals SIGWINCH to it). A runtime that cannot
     * resize runs the process with its terminal's size fixed.
     *
     * @param resizes sizes as the client changes its window, or null; read until the process ends
     */
    default int exec(ContainerHandle container, List<String> command, List<String> env, InputStream stdin,
                     OutputStream stdout, BlockingQueue<TerminalSize> resizes) {
        return exec(container, command, env, true, stdin, stdout, null);
    }

    /**
     * Runs a helper in the sandbox's network stack, loopback included, rather than in a
     * container's file system (e.g. a relay to the pod's loopback for port-forward), blocking
     * until it exits. The helper is a busybox applet from the runtime's own static busybox, so
     * that it runs whatever the images hold.
     *
     * @param command the applet and its arguments, e.g. {@code nc 127.0.0.1 8080}
     * @return its exit code
     * @throws UnsupportedOperationException when this runtime or sandbox has no such place
     * @throws RuntimeException              when the command cannot start (message for the user)
     */
    default int execInSandbox(SandboxHandle sandbox, List<String> command, InputStream stdin, OutputStream stdout,
                              OutputStream stderr) {
        throw new UnsupportedOperationException("this runtime cannot run helpers in a sandbox");
    }
}
