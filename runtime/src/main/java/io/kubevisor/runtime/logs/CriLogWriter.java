package io.kubevisor.runtime.logs;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Appends CRI log lines to a file ({@code log}) and rotates it by size: the full file becomes
 * {@code log.1}, older ones shift to {@code log.2} and so on, and files beyond
 * {@link LogRotation#maxFiles()} are deleted. Each line is one write, so a reader never sees half
 * a line except at the very end of the current file.
 *
 * <p>Thread-safe: the stdout and stderr of one container share one writer. The caller owns it and
 * closes it.
 */
public final class CriLogWriter implements Closeable {

    private final Path file;
    private final LogRotation rotation;
    private FileChannel channel;
    private long size;
    private boolean closed;

    /** Opens (or creates) {@code file} for appending; its directory is created if missing. */
    public CriLogWriter(Path file, LogRotation rotation) {
        this.file = file;
        this.rotation = rotation;
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open log " + file, e);
        }
    }

    /** The current file. */
    public Path file() {
        return file;
    }

    /** Appends one entry, rotating first when it would not fit. */
    public synchronized void write(CriLogLine line) {
        byte[] bytes = line.encode();
        try {
            if (closed) {
                throw new IllegalStateException("log writer closed: " + file);
            }
            if (size > 0 && size + bytes.length > rotation.maxBytes()) {
                rotate();
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                size += channel.write(buf);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write log " + file, e);
        }
    }

    private void open() throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        size = channel.size();
    }

    private void rotate() throws IOException {
        channel.close();
        channel = null;
        int keep = rotation.maxFiles() - 1;
        if (keep == 0) {
            Files.deleteIfExists(file);
        } else {
            Files.deleteIfExists(rotated(file, keep));
            for (int i = keep - 1; i >= 1; i--) {
                Path from = rotated(file, i);
                if (Files.exists(from)) {
                    Files.move(from, rotated(file, i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, rotated(file, 1), StandardCopyOption.REPLACE_EXISTING);
        }
        open();
    }

    /** The n-th older file of {@code file}: {@code log.1}, {@code log.2}, … */
    public static Path rotated(Path file, int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                channel = null;
            }
        }
    }
}
