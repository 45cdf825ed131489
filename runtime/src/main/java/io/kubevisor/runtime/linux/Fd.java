package io.kubevisor.runtime.linux;

/**
 * An open file descriptor that its holder must close, e.g. in try-with-resources.
 *
 * @param value the descriptor number
 */
public record Fd(int value) implements AutoCloseable {

    @Override
    public void close() {
        LinuxCalls.close(value);
    }
}
