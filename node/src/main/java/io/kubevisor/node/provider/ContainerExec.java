package io.kubevisor.node.provider;

import java.util.List;

/** Optional ability: run a command in a container, and attach to a container's own process. */
public interface ContainerExec {

    /**
     * Runs {@code command} in the container with the given streams, blocking until it exits.
     *
     * @return the command's exit code
     * @throws ProviderException if the pod or container does not run, or the command cannot start
     *                           (e.g. not found: the message says so, as kubectl prints it)
     */
    int exec(PodRef pod, String container, List<String> command, StreamIo io);

    /**
     * Connects the streams to the container's main process (its stdin if it was started with
     * {@code stdin: true}, its stdout/stderr from now on), until the client detaches or the
     * process exits.
     *
     * @return the process's exit code if it exited while attached, or -1 when the client detached
     */
    int attach(PodRef pod, String container, StreamIo io);
}
