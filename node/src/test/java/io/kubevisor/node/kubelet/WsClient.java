package io.kubevisor.node.kubelet;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

/** A test WebSocket client speaking the channel protocol: records every binary message and the close code. */
final class WsClient implements WebSocket.Listener {

    final List<byte[]> messages = Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    WebSocket ws;

    static WsClient open(SSLContext tls, URI uri, String... subprotocols) throws Exception {
        WsClient c = new WsClient();
        var b = HttpClient.newBuilder().sslContext(tls).build().newWebSocketBuilder();
        if (subprotocols.length > 0) {
            b.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        c.ws = b.buildAsync(uri, c).get(10, TimeUnit.SECONDS);
        return c;
    }

    void send(int channel, byte[] data) throws Exception {
        byte[] msg = new byte[data.length + 1];
        msg[0] = (byte) channel;
        System.arraycopy(data, 0, msg, 1, data.length);
        ws.sendBinary(ByteBuffer.wrap(msg), true).get(10, TimeUnit.SECONDS);
    }

    /** Concatenated payloads of the messages on {@code channel}, after the channel byte. */
    String channel(int channel) {
        StringBuilder sb = new StringBuilder();
        synchronized (messages) {
            for (byte[] m : messages) {
                if ((m[0] & 0xff) == channel) {
                    sb.append(new String(m, 1, m.length - 1, java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        return sb.toString();
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        partial.writeBytes(b);
        if (last) {
            messages.add(partial.toByteArray());
            partial.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }
}
