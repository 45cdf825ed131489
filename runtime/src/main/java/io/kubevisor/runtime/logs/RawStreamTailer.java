package io.kubevisor.runtime.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Turns one raw output stream that a sandbox appends to a file into CRI entries. The file is
 * never truncated by anyone; this tailer only reads it from {@link #offset()}, the first byte not
 * yet passed on, which the owner persists so a restarted agent resumes where the previous one
 * stopped.
 *
 * <p>Lines longer than {@link #MAX_LINE} and text without a newline that waits longer than the
 * partial delay go out as partial ({@code P}) entries, so a prompt or a progress bar shows up in a
 * followed log; the rest of the line follows in later entries.
 *
 * <p>Not thread-safe: one pump thread drives it.
 */
final class RawStreamTailer {

    /** containerd's limit for one CRI entry. */
    static final int MAX_LINE = 16 * 1024;

    private final Path file;
    private final CriLogLine.Stream stream;
    private final Clock clock;
    private final Duration partialDelay;
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private FileChannel channel;
    private long offset;
    private long readOffset;
    private Instant pendingSince;

    RawStreamTailer(Path file, CriLogLine.Stream stream, long offset, Clock clock, Duration partialDelay) {
        this.file = file;
        this.stream = stream;
        this.offset = offset;
        this.readOffset = offset;
        this.clock = clock;
        this.partialDelay = partialDelay;
    }

    /** The first byte of the file not yet passed on as an entry. */
    long offset() {
        return offset;
    }

    /**
     * Reads what the file gained and passes complete lines on.
     *
     * @param atEnd the writer is gone: pass on a last unterminated line as a full entry
     * @return bytes read
     */
    long poll(Consumer<CriLogLine> sink, boolean atEnd) throws IOException {
        long total = 0;
        if (channel == null) {
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return 0;
            }
        }
        while (true) {
            buf.clear();
            int n = channel.read(buf, readOffset);
            if (n <= 0) {
                break;
            }
            total += n;
            Instant now = clock.instant();
            byte[] a = buf.array();
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (a[i] == '\n') {
                    append(a, start, i - start, now, sink);
                    emit(pending.toByteArray(), false, now, sink);
                    pending.reset();
                    pendingSince = null;
                    offset = readOffset + i + 1;
                    start = i + 1;
                }
            }
            append(a, start, n - start, now, sink);
            readOffset += n;
        }
        if (pending.size() > 0) {
            Instant now = clock.instant();
            if (atEnd) {
                emit(pending.toByteArray(), false, now, sink);
                pending.reset();
                pendingSince = null;
                offset = readOffset;
            } else if (Duration.between(pendingSince, now).compareTo(partialDelay) >= 0) {
                emit(pending.toByteArray(), true, now, sink);
                pending.reset();
                pendingSince = null;
                offset = readOffset;
            }
        }
        return total;
    }

    /** Adds text without a newline to the pending line, cutting off full-size fragments. */
    private void append(byte[] a, int off, int len, Instant now, Consumer<CriLogLine> sink) {
        if (len == 0) {
            return;
        }
        if (pending.size() == 0) {
            pendingSince = now;
        }
        pending.write(a, off, len);
        while (pending.size() >= MAX_LINE) {
            byte[] all = pending.toByteArray();
            sink.accept(new CriLogLine(now, stream, true, Arrays.copyOf(all, MAX_LINE)));
            pending.reset();
            pending.write(all, MAX_LINE, all.length - MAX_LINE);
            // Everything before the pending rest of this chunk has gone out.
            offset = readOffset + off + len - pending.size();
            pendingSince = now;
        }
    }

    private void emit(byte[] content, boolean partial, Instant now, Consumer<CriLogLine> sink) {
        int from = 0;
        while (content.length - from > MAX_LINE) {
            sink.accept(new CriLogLine(now, stream, true, Arrays.copyOfRange(content, from, from + MAX_LINE)));
            from += MAX_LINE;
        }
        sink.accept(new CriLogLine(now, stream, partial, Arrays.copyOfRange(content, from, content.length)));
    }

    void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
