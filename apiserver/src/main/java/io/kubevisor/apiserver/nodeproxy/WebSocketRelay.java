package io.kubevisor.apiserver.nodeproxy;

import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.kubevisor.http.WebSocketSession;

/**
 * Copies WebSocket messages between a client session (kubectl) and the node's session (the
 * kubelet), both ways, until either side closes; the close code and reason pass through, as
 * kubectl needs the kubelet's Close frame after the status channel (kubectl-wire.md §6).
 */
public final class WebSocketRelay implements WebSocket.Listener {

    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private volatile WebSocketSession client;
    private volatile WebSocket node;
    private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);

    /** Completes when both sides are closed. */
    public CompletableFuture<Void> done() {
        return done;
    }

    /** Starts relaying once both sides are open. */
    public void connect(WebSocket nodeSide, WebSocketSession clientSide) {
        this.node = nodeSide;
        this.client = clientSide;
        clientSide.onMessage(this::fromClient);
        clientSide.onClose(() -> {
            if (!nodeSide.isOutputClosed()) {
                nodeSide.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
            }
            nodeSide.abort();
            done.complete(null);
        });
        nodeSide.request(1);
    }

    // The JDK allows one outstanding send: chain them in arrival order.
    private synchronized void fromClient(byte[] message) {
        WebSocket n = node;
        sends = sends.thenCompose(x -> n.sendBinary(ByteBuffer.wrap(message), true)).exceptionally(e -> null);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        // request() is called in connect(), once the client side exists
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        partial.writeBytes(chunk);
        if (last) {
            byte[] message = partial.toByteArray();
            partial.reset();
            client.sendBinary(message);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.writeBytes(data.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (last) {
            String message = partial.toString(java.nio.charset.StandardCharsets.UTF_8);
            partial.reset();
            client.sendText(message);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        WebSocketSession c = client;
        if (c != null) {
            c.close(statusCode, reason == null ? "" : reason);
        }
        done.complete(null);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        WebSocketSession c = client;
        if (c != null) {
            c.close(1011, "error talking to the node: " + error.getMessage());
        }
        done.complete(null);
    }
}
