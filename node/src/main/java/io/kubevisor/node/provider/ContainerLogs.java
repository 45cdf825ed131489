package io.kubevisor.node.provider;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;

/** Optional ability: a container's log, as {@code kubectl logs} reads it. */
public interface ContainerLogs {

    /**
     * What to read.
     *
     * @param follow     keep streaming until the container (or the client) stops
     * @param previous   the previous instance of a restarted container
     * @param tailLines  only the last lines, or -1
     * @param since      only lines at or after this time, or null
     * @param timestamps prefix each line with its RFC 3339 timestamp
     * @param limitBytes stop after this many bytes, or -1
     */
    record Options(boolean follow, boolean previous, long tailLines, Instant since, boolean timestamps,
                   long limitBytes) {
    }

    /**
     * Copies the log to {@code out}, blocking while following. Returns when done, when the client
     * goes away (a write fails), or when the thread is interrupted.
     *
     * @throws ProviderException if the pod or container does not exist (message for the user)
     */
    void logs(PodRef pod, String container, Options options, OutputStream out) throws IOException;
}
