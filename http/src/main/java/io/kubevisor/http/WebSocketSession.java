package io.kubevisor.http;

/**
 * An upgraded WebSocket connection (RFC 6455) on the server side. Sends block until handed to
 * the connection; receiving is by callback on the event loop (keep it short). Any thread may
 * close.
 */
public interface WebSocketSession extends AutoCloseable {

    /** The subprotocol agreed in the handshake, or "" when none. */
    String subprotocol();

    /** Sends one binary message; false if the connection is gone. */
    boolean sendBinary(byte[] message);

    /** Sends one text message; false if the connection is gone. */
    boolean sendText(String message);

    /**
     * Called for every binary (or text, as UTF-8 bytes) message the client sends, on the event
     * loop. Messages that arrived before the handler was set are handed to it first, in order.
     */
    void onMessage(java.util.function.Consumer<byte[]> handler);

    boolean isOpen();

    /** Runs once when the connection closes, for whatever reason. */
    void onClose(Runnable callback);

    /** Sends a Close frame with the code and reason, then closes the connection. Idempotent. */
    void close(int code, String reason);

    /** A normal closure (1000). */
    @Override
    default void close() {
        close(1000, "");
    }

    /** This session as a stream of text messages, one per write (watch over WebSocket). */
    default ResponseStream asTextStream() {
        WebSocketSession self = this;
        return new ResponseStream() {
            @Override
            public boolean write(byte[] chunk) {
                return self.sendText(new String(chunk, java.nio.charset.StandardCharsets.UTF_8));
            }

            @Override
            public boolean isOpen() {
                return self.isOpen();
            }

            @Override
            public void onClose(Runnable callback) {
                self.onClose(callback);
            }

            @Override
            public void close() {
                self.close();
            }
        };
    }
}
