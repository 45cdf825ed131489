package io.kubevisor.http.spdy;

import java.time.Duration;

/**
 * Tuning of a {@link SpdySession}.
 *
 * @param windowGrace      how long a writer whose flow-control window is used up waits for a
 *                         WINDOW_UPDATE from a peer that has never sent one, before concluding that
 *                         the peer does no flow control and sending on regardless. Kubernetes'
 *                         SPDY library (moby/spdystream, in every kubectl) never sends WINDOW_UPDATE
 *                         nor SETTINGS; a peer that sends either is held to its windows strictly.
 * @param maxBufferedBytes received bytes the application has not read yet, over all streams, above
 *                         which the connection stops reading (TCP backpressure) until half is read:
 *                         the memory bound for peers that ignore our windows
 */
public record SpdyOptions(Duration windowGrace, int maxBufferedBytes) {

    public SpdyOptions {
        if (windowGrace.isNegative() || maxBufferedBytes < SpdyConnection.WINDOW) {
            throw new IllegalArgumentException("windowGrace must be >= 0 and maxBufferedBytes >= " + SpdyConnection.WINDOW);
        }
    }

    /** 250 ms of grace, 1 MiB of buffer. */
    public static SpdyOptions defaults() {
        return new SpdyOptions(Duration.ofMillis(250), 1 << 20);
    }
}
