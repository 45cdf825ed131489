package io.kubevisor.runtime.net;

/**
 * What a command run inside a pod's network namespace did.
 *
 * @param exitCode the exit code, or -1 when it was killed on timeout
 * @param stdout   its standard output (UTF-8, truncated at 1 MiB)
 * @param stderr   its standard error (UTF-8, truncated at 1 MiB)
 * @param timedOut whether it ran past its timeout and was killed
 */
public record NetnsExecResult(int exitCode, String stdout, String stderr, boolean timedOut) {

    /** Exited by itself with code 0. */
    public boolean succeeded() {
        return !timedOut && exitCode == 0;
    }
}
