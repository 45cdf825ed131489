package io.kubevisor.node.provider;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;

/**
 * The streams of an exec or attach, as the kubelet endpoint demultiplexes them from WebSocket or
 * SPDY channels. Absent streams are null. The provider owns none of them: it must not close
 * stdout/stderr (the endpoint does, after the call returns).
 *
 * @param resize terminal sizes as the client resizes (only with tty); null without tty
 */
public record StreamIo(InputStream stdin, OutputStream stdout, OutputStream stderr, boolean tty,
                       BlockingQueue<TerminalSize> resize) {

    /** A terminal size in character cells. */
    public record TerminalSize(int width, int height) {
    }
}
