package io.kubevisor.runtime.sandbox;

/**
 * A terminal's size in character cells, as a client reports it when its window changes.
 *
 * @param width  columns
 * @param height rows
 */
public record TerminalSize(int width, int height) {

    /** Whether both are positive (a client may send zeros before it knows its size). */
    public boolean valid() {
        return width > 0 && height > 0;
    }
}
