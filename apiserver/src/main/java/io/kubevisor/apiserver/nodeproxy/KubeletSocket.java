package io.kubevisor.apiserver.nodeproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A WebSocket to a kubelet's streaming endpoint (exec, attach, portForward) as blocking calls for
 * virtual threads: {@link #receive()} returns whole messages, {@link #send} waits until a message is
 * handed over. The next message is asked of the kubelet only once the last one was taken, so a
 * slow reader slows the kubelet rather than filling memory. One thread receives; any thread sends.
 */
public final class KubeletSocket implements WebSocket.Listener, AutoCloseable {

    private static final Object CLOSED = new Object();
    private static final long SEND_TIMEOUT_SECONDS = 60;

    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final Object sendLock = new Object();
    private volatile WebSocket socket;
    private volatile int closeCode = -1;

    private KubeletSocket() {
    }

    /**
     * Opens the socket, offering {@code subprotocols} (most preferred first).
     *
     * @throws io.kubevisor.api.ApiException when the kubelet cannot be reached or refuses
     */
    public static KubeletSocket open(KubeletClient kubelet, URI uri, List<String> subprotocols) {
        KubeletSocket s = new KubeletSocket();
        s.socket = kubelet.websocket(uri, subprotocols, s);
        return s;
    }

    /** The subprotocol the kubelet chose. */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    /** The next whole message (text as UTF-8), or null once the kubelet closed or the socket failed. */
    public byte[] receive() throws InterruptedException {
        Object next = inbox.take();
        if (next == CLOSED) {
            inbox.add(CLOSED);
            return null;
        }
        socket.request(1);
        return (byte[]) next;
    }

    /** The kubelet's close code, or -1 while open (or when the socket failed). */
    public int closeCode() {
        return closeCode;
    }

    /** Sends one binary message, waiting until it is handed over. */
    public void send(byte[] message) throws IOException {
        synchronized (sendLock) {
            WebSocket ws = socket;
            if (ws.isOutputClosed()) {
                throw new IOException("the connection to the node is closed");
            }
            try {
                ws.sendBinary(ByteBuffer.wrap(message), true).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while sending to the node", e);
            } catch (ExecutionException | TimeoutException e) {
                ws.abort();
                throw new IOException("sending to the node failed: " + e, e);
            }
        }
    }

    /** A normal closure (1000), the only end of input the channel protocols have. Idempotent. */
    @Override
    public void close() {
        WebSocket ws = socket;
        if (ws == null) {
            return;
        }
        synchronized (sendLock) {
            if (!ws.isOutputClosed()) {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> {
                    ws.abort();
                    return null;
                });
            }
        }
    }

    /** Drops the connection at once. */
    public void abort() {
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        inbox.add(CLOSED);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        this.socket = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        return collect(webSocket, chunk, last);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        return collect(webSocket, data.toString().getBytes(StandardCharsets.UTF_8), last);
    }

    private CompletionStage<?> collect(WebSocket webSocket, byte[] chunk, boolean last) {
        partial.writeBytes(chunk);
        if (last) {
            inbox.add(partial.toByteArray());
            partial.reset();
        } else {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        inbox.add(CLOSED);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        inbox.add(CLOSED);
    }
}
