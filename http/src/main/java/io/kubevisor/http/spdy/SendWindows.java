package io.kubevisor.http.spdy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send side of SPDY/3.1 flow control for one session: the session window (stream 0) and each
 * stream's window, both starting at 64 KiB, spent by DATA and refilled by the peer's
 * WINDOW_UPDATEs; SETTINGS_INITIAL_WINDOW_SIZE moves every open stream's window by the change.
 *
 * <p>Whether the peer keeps such windows at all is learnt: a peer that sends a WINDOW_UPDATE or
 * an INITIAL_WINDOW_SIZE setting is held to its windows from then on. A peer that lets a window
 * run dry for {@link SpdyOptions#windowGrace()} without ever having sent either is taken to do no
 * flow control (moby/spdystream, used by kubectl, reads neither frame and never sends them), and
 * writes go on unmetered; TCP backpressure still applies. Thread-safe: writers block here; the
 * event loop only updates and wakes them.
 */
final class SendWindows {

    private static final Logger LOG = LoggerFactory.getLogger(SendWindows.class);
    private static final long MAX_WINDOW = Integer.MAX_VALUE;

    /** What the peer has shown of its flow control. */
    enum Peer { UNKNOWN, KEEPS_WINDOWS, IGNORES_WINDOWS }

    /** A stream's window; guarded by the owning {@link SendWindows}' lock. */
    static final class Window {
        private long size;
        private String closedReason;

        Window(long size) {
            this.size = size;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final long graceNanos;
    private long session = SpdyConnection.WINDOW;
    private int initialStreamWindow = SpdyConnection.WINDOW;
    private Peer peer = Peer.UNKNOWN;
    private String closedReason;

    SendWindows(Duration grace) {
        this.graceNanos = grace.toNanos();
    }

    /** A window for a stream opened now. */
    Window open() {
        lock.lock();
        try {
            return new Window(initialStreamWindow);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes up to {@code wanted} bytes of credit from both windows, waiting while either is empty.
     *
     * @return the bytes that may be sent now (1..wanted)
     * @throws IOException when the stream or the session ends meanwhile
     */
    int acquire(Window w, int wanted) throws IOException {
        lock.lock();
        try {
            long deadline = 0;
            while (true) {
                if (w.closedReason != null) {
                    throw new IOException(w.closedReason);
                }
                if (closedReason != null) {
                    throw new IOException(closedReason);
                }
                if (peer == Peer.IGNORES_WINDOWS) {
                    return wanted;
                }
                long available = Math.min(w.size, session);
                if (available > 0) {
                    int n = (int) Math.min(available, wanted);
                    w.size -= n;
                    session -= n;
                    return n;
                }
                if (peer == Peer.KEEPS_WINDOWS) {
                    changed.await();
                    continue;
                }
                long now = System.nanoTime();
                if (deadline == 0) {
                    deadline = now + graceNanos;
                }
                if (now - deadline >= 0) {
                    peer = Peer.IGNORES_WINDOWS;
                    LOG.debug("event=spdy_peer_ignores_flow_control graceMillis={}", graceNanos / 1_000_000);
                    changed.signalAll();
                    continue;
                }
                changed.awaitNanos(deadline - now);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the peer's flow-control window");
        } finally {
            lock.unlock();
        }
    }

    /** A WINDOW_UPDATE for the session. @return false when it overflows the window (a protocol error) */
    boolean refillSession(int delta) {
        lock.lock();
        try {
            learntWindows();
            if (session + delta > MAX_WINDOW) {
                return false;
            }
            session += delta;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A WINDOW_UPDATE for a stream. @return false when it overflows the window (a stream error) */
    boolean refill(Window w, int delta) {
        lock.lock();
        try {
            learntWindows();
            if (w.size + delta > MAX_WINDOW) {
                return false;
            }
            w.size += delta;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** SETTINGS_INITIAL_WINDOW_SIZE: every open stream's window moves by the change (and may go below 0). */
    void initialWindow(int size, Collection<Window> open) {
        lock.lock();
        try {
            learntWindows();
            int delta = size - initialStreamWindow;
            initialStreamWindow = size;
            for (Window w : open) {
                w.size += delta;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void learntWindows() {
        if (peer == Peer.UNKNOWN) {
            peer = Peer.KEEPS_WINDOWS;
        }
    }

    /** The stream can send no more (FIN sent, reset, or gone): wakes its writer with {@code reason}. */
    void close(Window w, String reason) {
        lock.lock();
        try {
            if (w.closedReason == null) {
                w.closedReason = reason;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The session is over: every waiting writer fails with {@code reason}. */
    void closeAll(String reason) {
        lock.lock();
        try {
            if (closedReason == null) {
                closedReason = reason;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    Peer peer() {
        lock.lock();
        try {
            return peer;
        } finally {
            lock.unlock();
        }
    }

    /** For tests: the session window now. */
    long sessionWindow() {
        lock.lock();
        try {
            return session;
        } finally {
            lock.unlock();
        }
    }

    /** For tests and diagnostics: a stream's window now. */
    long size(Window w) {
        lock.lock();
        try {
            return w.size;
        } finally {
            lock.unlock();
        }
    }
}
