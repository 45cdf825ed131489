package io.kubevisor.http.spdy;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * One stream the peer opened in a {@link SpdySession}: its SYN_STREAM headers and a blocking
 * byte stream each way.
 *
 * <p>{@link #input()} yields the peer's DATA, ends (-1) at the peer's FIN, and throws an
 * {@code IOException} once the stream is reset or the connection drops before the FIN. Each read
 * hands the bytes' flow-control credit back to the peer (WINDOW_UPDATE). {@link #output()}
 * sends DATA frames, waiting for the peer's flow-control window and for the connection's
 * write buffer; closing it sends FIN (a half-close: the peer may still send). One thread may
 * read and another write at the same time; each direction belongs to one thread.
 */
public interface SpdyStream {

    /** The stream id (odd: the peer is the client). */
    int id();

    /** The SYN_STREAM headers: lower-case names to their values. Immutable. */
    Map<String, List<String>> headers();

    /** The first value of a header (any case), or null. */
    default String header(String name) {
        List<String> values = headers().get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** The peer's data. Owned by the stream; closing it discards what is left unread. */
    InputStream input();

    /** Data to the peer. {@code close()} sends FIN; {@code flush()} does nothing (writes are sent at once). */
    OutputStream output();

    /** Aborts the stream both ways with RST_STREAM (CANCEL). Idempotent. */
    void reset();
}
