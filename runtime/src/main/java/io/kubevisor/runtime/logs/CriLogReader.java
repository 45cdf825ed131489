package io.kubevisor.runtime.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reads a container's CRI log (the current file and its rotated predecessors, oldest first) the
 * way {@code kubectl logs} wants it: the text of each line, partial entries joined, optionally
 * with the first fragment's timestamp in front, limited to the last lines, to lines since a time,
 * or to a number of bytes, and optionally followed as the file grows and rotates.
 *
 * <p>Stateless and thread-safe: each {@link #copy} call reads on its own.
 */
public final class CriLogReader {

    /**
     * What to read.
     *
     * @param follow     keep reading new lines until {@code keepFollowing} turns false
     * @param tailLines  only the last lines, or -1 for all
     * @param since      only entries at or after this time, or null
     * @param timestamps prefix each line with its RFC 3339 timestamp and a space
     * @param limitBytes stop after this many bytes of output, or -1
     */
    public record Options(boolean follow, long tailLines, Instant since, boolean timestamps, long limitBytes) {

        /** Everything once, without timestamps. */
        public static Options all() {
            return new Options(false, -1, null, false, -1);
        }
    }

    private final Path file;
    private final Duration pollInterval;

    /** Reads {@code file} (the current log; {@code file.1}, {@code file.2} … are its older ones). */
    public CriLogReader(Path file) {
        this(file, Duration.ofMillis(100));
    }

    /** As above, checking for new lines every {@code pollInterval} while following. */
    public CriLogReader(Path file, Duration pollInterval) {
        this.file = Objects.requireNonNull(file);
        this.pollInterval = pollInterval;
    }

    /**
     * Copies the log to {@code out}, flushing after each batch. Blocks while following; returns
     * when the log is done (not following), when {@code keepFollowing} is false and the last lines
     * have been read, when the byte limit is reached, or when the thread is interrupted.
     *
     * @param keepFollowing asked when no new line is there; false ends a follow (e.g. the
     *                      container exited). Ignored without {@link Options#follow()}.
     * @throws IOException when reading the files or writing to {@code out} fails
     */
    public void copy(Options options, OutputStream out, BooleanSupplier keepFollowing) throws IOException {
        var emitter = new Emitter(out, options);
        Cursor current = null;
        boolean handedOver = false;
        try {
            List<Path> older = olderFiles();
            current = Cursor.open(file);
            if (options.tailLines() >= 0) {
                var tail = new Tail(options.tailLines());
                for (Path p : older) {
                    readWhole(p, l -> tail.add(l, options.since()));
                }
                if (current != null) {
                    current.readLines(l -> tail.add(l, options.since()));
                }
                tail.emit(emitter);
            } else {
                for (Path p : older) {
                    readWhole(p, emitter::emitQuietly);
                }
                if (current != null) {
                    current.readLines(emitter::emitQuietly);
                }
            }
            emitter.rethrow();
            out.flush();
            if (options.follow()) {
                handedOver = true;
                follow(current, emitter, out, keepFollowing);
            }
        } catch (LimitReached e) {
            out.flush();
        } finally {
            if (current != null && !handedOver) {
                current.close();
            }
        }
    }

    private void follow(Cursor current, Emitter emitter, OutputStream out, BooleanSupplier keepFollowing)
            throws IOException {
        boolean lastRound = false;
        try {
            while (true) {
                boolean progressed = false;
                if (current != null) {
                    progressed = current.readLines(emitter::emitQuietly) > 0;
                    emitter.rethrow();
                }
                Object key = fileKey(file);
                if (key != null && (current == null || !key.equals(current.key))) {
                    // Rotated: the old file may still have had lines appended before the switch,
                    // and the next one may have rotated as well by now, so go on with the file that
                    // came right after the old one, not with the newest.
                    Path next = file;
                    if (current != null) {
                        current.readLines(emitter::emitQuietly);
                        emitter.rethrow();
                        current.close();
                        next = successor(current.key);
                    }
                    current = Cursor.open(next);
                    continue;
                }
                if (progressed) {
                    out.flush();
                    continue;
                }
                if (lastRound) {
                    out.flush();
                    return;
                }
                if (!keepFollowing.getAsBoolean()) {
                    lastRound = true;
                    continue;
                }
                out.flush();
                try {
                    Thread.sleep(pollInterval);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } finally {
            if (current != null) {
                current.close();
            }
        }
    }

    private List<Path> olderFiles() {
        var found = new ArrayList<Path>();
        for (int n = 1; ; n++) {
            Path p = CriLogWriter.rotated(file, n);
            if (!Files.exists(p)) {
                break;
            }
            found.addFirst(p);
        }
        return found;
    }

    /** The file written after the one with {@code key}: where it sits now, one step newer. */
    private Path successor(Object key) {
        for (int n = 1; ; n++) {
            Path p = CriLogWriter.rotated(file, n);
            if (!Files.exists(p)) {
                // Gone (rotated out): the oldest file left is the best guess.
                return n == 1 ? file : CriLogWriter.rotated(file, n - 1);
            }
            if (key.equals(fileKey(p))) {
                return n == 1 ? file : CriLogWriter.rotated(file, n - 1);
            }
        }
    }

    private static void readWhole(Path p, Consumer<CriLogLine> sink) throws IOException {
        Cursor c = Cursor.open(p);
        if (c != null) {
            try {
                c.readLines(sink);
            } finally {
                c.close();
            }
        }
    }

    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** A file read from a position, complete lines only; a line still being written waits. */
    private static final class Cursor {
        final FileChannel channel;
        final Object key;
        final ByteArrayOutputStream carry = new ByteArrayOutputStream();
        final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);

        private Cursor(FileChannel channel, Object key) {
            this.channel = channel;
            this.key = key;
        }

        static Cursor open(Path p) throws IOException {
            try {
                FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
                return new Cursor(ch, fileKey(p));
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        /** Reads to the current end; returns how many lines it passed on. */
        int readLines(Consumer<CriLogLine> sink) throws IOException {
            int lines = 0;
            while (true) {
                buf.clear();
                int n = channel.read(buf);
                if (n <= 0) {
                    return lines;
                }
                byte[] a = buf.array();
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (a[i] == '\n') {
                        CriLogLine line;
                        if (carry.size() > 0) {
                            carry.write(a, start, i - start);
                            byte[] whole = carry.toByteArray();
                            carry.reset();
                            line = CriLogLine.parse(whole, 0, whole.length);
                        } else {
                            line = CriLogLine.parse(a, start, i - start);
                        }
                        if (line != null) {
                            sink.accept(line);
                            lines++;
                        }
                        start = i + 1;
                    }
                }
                carry.write(a, start, n - start);
            }
        }

        void close() throws IOException {
            channel.close();
        }
    }

    /** The last N lines, a line being its partial fragments and the entry that ends it. */
    private static final class Tail {
        final long max;
        final Deque<List<CriLogLine>> lines = new ArrayDeque<>();
        List<CriLogLine> open = new ArrayList<>();

        Tail(long max) {
            this.max = max;
        }

        void add(CriLogLine l, Instant since) {
            if (since != null && l.time().isBefore(since)) {
                return;
            }
            open.add(l);
            if (!l.partial()) {
                push(open);
                open = new ArrayList<>();
            }
        }

        private void push(List<CriLogLine> line) {
            if (max == 0) {
                return;
            }
            if (lines.size() == max) {
                lines.removeFirst();
            }
            lines.addLast(line);
        }

        void emit(Emitter e) throws IOException {
            if (!open.isEmpty()) {
                push(open);
                open = new ArrayList<>();
            }
            for (List<CriLogLine> line : lines) {
                for (CriLogLine l : line) {
                    e.emit(l);
                }
            }
        }
    }

    private static final class LimitReached extends RuntimeException {
        LimitReached() {
            super(null, null, false, false);
        }
    }

    /** Writes entries as text: timestamps, the since filter and the byte limit. */
    private static final class Emitter {
        final OutputStream out;
        final Options options;
        long remaining;
        boolean atLineStart = true;
        IOException failure;

        Emitter(OutputStream out, Options options) {
            this.out = out;
            this.options = options;
            this.remaining = options.limitBytes() < 0 ? Long.MAX_VALUE : options.limitBytes();
        }

        void emitQuietly(CriLogLine l) {
            if (failure != null) {
                return;
            }
            try {
                emit(l);
            } catch (IOException e) {
                failure = e;
            }
        }

        void rethrow() throws IOException {
            if (failure != null) {
                throw failure;
            }
        }

        void emit(CriLogLine l) throws IOException {
            if (options.since() != null && l.time().isBefore(options.since())) {
                return;
            }
            if (options.timestamps() && atLineStart) {
                write((CriLogLine.formatTimestamp(l.time()) + " ").getBytes(StandardCharsets.US_ASCII));
            }
            write(l.content());
            if (!l.partial()) {
                write(new byte[]{'\n'});
            }
            atLineStart = !l.partial();
        }

        private void write(byte[] b) throws IOException {
            if (remaining <= 0) {
                throw new LimitReached();
            }
            int n = (int) Math.min(b.length, remaining);
            out.write(b, 0, n);
            remaining -= n;
            if (n < b.length || remaining == 0) {
                throw new LimitReached();
            }
        }
    }
}
