package io.kubevisor.http;

/**
 * The body of a streamed response. {@link #write} blocks until the bytes are handed to the
 * connection, which applies backpressure to the producer. One producer thread writes; any
 * thread may close.
 */
public interface ResponseStream extends AutoCloseable {

    /**
     * Writes and flushes one chunk.
     *
     * @return false if the client has gone away (the producer should stop)
     */
    boolean write(byte[] chunk);

    /** Whether the client is still connected. */
    boolean isOpen();

    /** Registers a callback run once when the client disconnects or the stream closes. */
    void onClose(Runnable callback);

    /** Ends the response. Idempotent. */
    @Override
    void close();
}
