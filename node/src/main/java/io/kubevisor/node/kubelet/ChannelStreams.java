package io.kubevisor.node.kubelet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

import io.kubevisor.api.Json;
import io.kubevisor.http.WebSocketSession;
import io.kubevisor.node.provider.StreamIo;
import tools.jackson.databind.JsonNode;

/**
 * Kubernetes' channel protocol over one WebSocket ({@code v4.channel.k8s.io},
 * {@code v5.channel.k8s.io}): every binary message starts with a channel byte. Inbound data is
 * queued per channel for blocking readers; outbound streams prefix their channel. In v5, a message
 * {@code [255, n]} closes inbound channel {@code n} (EOF). Thread-safe.
 */
final class ChannelStreams {

    static final int STDIN = 0;
    static final int STDOUT = 1;
    static final int STDERR = 2;
    static final int STATUS = 3;
    static final int RESIZE = 4;
    static final int CLOSE = 255;
    /** Outbound messages are cut to this size so one write does not make one huge frame. */
    private static final int MAX_FRAME = 32 * 1024;

    private final WebSocketSession ws;
    private final boolean v5;
    private final Map<Integer, ChannelInput> inputs = new ConcurrentHashMap<>();
    private final BlockingQueue<StreamIo.TerminalSize> resize;

    /** @param resize where terminal sizes from channel 4 go, or null when channel 4 is not special */
    ChannelStreams(WebSocketSession ws, boolean v5, BlockingQueue<StreamIo.TerminalSize> resize) {
        this.ws = ws;
        this.v5 = v5;
        this.resize = resize;
        ws.onMessage(this::receive);
        ws.onClose(() -> inputs.values().forEach(ChannelInput::end));
    }

    /** The blocking stream of what the client sends on {@code channel}; EOF when it closes it. */
    InputStream input(int channel) {
        ChannelInput in = inputs.computeIfAbsent(channel, c -> new ChannelInput());
        if (!ws.isOpen()) {
            in.end();
        }
        return in;
    }

    /** A stream whose writes become messages on {@code channel}; IOException once the client is gone. */
    OutputStream output(int channel) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    int n = Math.min(len, MAX_FRAME);
                    send(channel, b, off, n);
                    off += n;
                    len -= n;
                }
            }
        };
    }

    /** Sends one message on {@code channel}. */
    void send(int channel, byte[] data, int off, int len) throws IOException {
        byte[] msg = new byte[len + 1];
        msg[0] = (byte) channel;
        System.arraycopy(data, off, msg, 1, len);
        if (!ws.sendBinary(msg)) {
            throw new IOException("the client closed the connection");
        }
    }

    void send(int channel, byte[] data) throws IOException {
        send(channel, data, 0, data.length);
    }

    private void receive(byte[] msg) {
        if (msg.length == 0) {
            return;
        }
        int channel = msg[0] & 0xff;
        if (channel == CLOSE && v5) {
            if (msg.length > 1) {
                inputs.computeIfAbsent(msg[1] & 0xff, c -> new ChannelInput()).end();
            }
            return;
        }
        if (channel == RESIZE && resize != null) {
            try {
                JsonNode size = Json.parse(Arrays.copyOfRange(msg, 1, msg.length));
                resize.offer(new StreamIo.TerminalSize(size.path("Width").asInt(0), size.path("Height").asInt(0)));
            } catch (RuntimeException e) {
                // A malformed resize is dropped, as the kubelet does.
            }
            return;
        }
        if (msg.length > 1) {
            inputs.computeIfAbsent(channel, c -> new ChannelInput()).feed(Arrays.copyOfRange(msg, 1, msg.length));
        }
    }

    /** Bytes of one inbound channel, fed from the event loop and read by a blocking reader. */
    private static final class ChannelInput extends InputStream {
        private static final byte[] EOF = new byte[0];
        private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
        private byte[] current;
        private int pos;
        private boolean ended;

        void feed(byte[] data) {
            chunks.offer(data);
        }

        void end() {
            chunks.offer(EOF);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (current == null || pos >= current.length) {
                if (ended) {
                    return -1;
                }
                try {
                    current = chunks.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while reading from the client");
                }
                pos = 0;
                if (current == EOF) {
                    ended = true;
                    current = null;
                    return -1;
                }
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public synchronized int available() {
            return current == null ? 0 : current.length - pos;
        }
    }
}
