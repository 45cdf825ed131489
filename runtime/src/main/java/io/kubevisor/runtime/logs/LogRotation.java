package io.kubevisor.runtime.logs;

/**
 * How a CRI log file rotates: when the current file would grow past {@code maxBytes}, it becomes
 * {@code log.1} (older files shift up) and files past {@code maxFiles} in total are deleted.
 *
 * @param maxBytes size at which the current file rotates (at least 1 KiB)
 * @param maxFiles files kept, the current one included (at least 1)
 */
public record LogRotation(long maxBytes, int maxFiles) {

    public LogRotation {
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("maxBytes must be at least 1024: " + maxBytes);
        }
        if (maxFiles < 1) {
            throw new IllegalArgumentException("maxFiles must be at least 1: " + maxFiles);
        }
    }

    /** The kubelet's defaults: 10 MiB, 5 files. */
    public static LogRotation defaults() {
        return new LogRotation(10L << 20, 5);
    }
}
