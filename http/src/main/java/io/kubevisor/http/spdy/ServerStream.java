package io.kubevisor.http.spdy;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;

/**
 * A stream the peer opened. The receive side is filled by the event loop and drained by one
 * reader thread; the send side is written by one writer thread. Receive-window bookkeeping
 * ({@link #unacked}) is confined to the event loop.
 */
final class ServerStream implements SpdyStream {

    /** Largest DATA payload we send in one frame. */
    static final int MAX_DATA_FRAME = 16 * 1024;

    private final SpdyConnection session;
    private final int id;
    private final Map<String, List<String>> headers;
    final SendWindows.Window sendWindow;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int headOffset;
    private int unread;
    private boolean remoteFin;
    private String failure;
    private final AtomicBoolean localFin = new AtomicBoolean();
    private final AtomicBoolean reset = new AtomicBoolean();

    /** Event loop only: bytes read by the application and not yet credited back to the peer. */
    int unacked;
    /** Event loop only: our receive window as the peer should see it (negative if it overran). */
    long receiveWindow = SpdyConnection.WINDOW;

    private final InputStream input = new Input();
    private final OutputStream output = new Output();

    ServerStream(SpdyConnection session, int id, Map<String, List<String>> headers, SendWindows.Window sendWindow) {
        this.session = session;
        this.id = id;
        this.headers = headers;
        this.sendWindow = sendWindow;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public Map<String, List<String>> headers() {
        return headers;
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public void reset() {
        if (reset.compareAndSet(false, true)) {
            session.resetStream(this, SpdyStreamStatus.CANCEL);
        }
    }

    // ---- called by the session on the event loop ----

    /** DATA from the peer. */
    void received(byte[] data) {
        lock.lock();
        try {
            chunks.add(data);
            unread += data.length;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The peer's FIN: readers get the rest, then -1. */
    void remoteFinished() {
        lock.lock();
        try {
            remoteFin = true;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isRemoteFinished() {
        lock.lock();
        try {
            return remoteFin;
        } finally {
            lock.unlock();
        }
    }

    boolean isLocalFinished() {
        return localFin.get();
    }

    /**
     * The stream is aborted (RST either way): unread data is dropped and both directions fail.
     *
     * @return the unread bytes dropped, whose session credit the caller gives back
     */
    int aborted(String reason) {
        reset.set(true);
        session.windows().close(sendWindow, reason);
        lock.lock();
        try {
            int dropped = unread;
            chunks.clear();
            unread = 0;
            headOffset = 0;
            if (failure == null && !remoteFin) {
                failure = reason;
            }
            readable.signalAll();
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** The connection is gone: what was received can still be read; then EOF after a FIN, else an error. */
    void connectionLost() {
        session.windows().close(sendWindow, "the SPDY connection is closed");
        lock.lock();
        try {
            if (!remoteFin && failure == null) {
                failure = "the SPDY connection closed before the stream ended";
            }
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private final class Input extends InputStream {
        private final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            int n;
            lock.lock();
            try {
                while (chunks.isEmpty()) {
                    if (closed.get()) {
                        throw new IOException("stream input closed");
                    }
                    if (failure != null) {
                        throw new IOException(failure);
                    }
                    if (remoteFin) {
                        return -1;
                    }
                    readable.await();
                }
                byte[] head = chunks.peek();
                n = Math.min(len, head.length - headOffset);
                System.arraycopy(head, headOffset, b, off, n);
                headOffset += n;
                if (headOffset == head.length) {
                    chunks.poll();
                    headOffset = 0;
                }
                unread -= n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading a SPDY stream");
            } finally {
                lock.unlock();
            }
            session.consumed(ServerStream.this, n);
            return n;
        }

        @Override
        public int available() {
            lock.lock();
            try {
                return unread;
            } finally {
                lock.unlock();
            }
        }

        /** Drops what is unread (its credit goes back to the peer); the stream itself stays open. */
        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            int dropped;
            lock.lock();
            try {
                dropped = unread;
                chunks.clear();
                unread = 0;
                headOffset = 0;
                readable.signalAll();
            } finally {
                lock.unlock();
            }
            if (dropped > 0) {
                session.consumed(ServerStream.this, dropped);
            }
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            while (len > 0) {
                if (localFin.get()) {
                    throw new IOException("stream " + id + " is closed for writing");
                }
                int n = session.windows().acquire(sendWindow, Math.min(len, MAX_DATA_FRAME));
                session.send(new DefaultSpdyDataFrame(id, Unpooled.copiedBuffer(b, off, n)), true);
                off += n;
                len -= n;
            }
        }

        /** Sends FIN (an empty DATA frame flagged last). Idempotent; a reset stream sends nothing. */
        @Override
        public void close() throws IOException {
            if (!localFin.compareAndSet(false, true) || reset.get()) {
                return;
            }
            session.windows().close(sendWindow, "stream " + id + " is closed for writing");
            session.finish(ServerStream.this);
        }
    }
}
