package io.kubevisor.runtime.runsc;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A container's raw terminal output followed from where it ends now: reads block until the
 * terminal writes more, and the stream ends once the container ended and all it wrote was read.
 * Polls the file every {@value #POLL_MS} ms, short enough for typed keys to echo without a lag
 * one notices.
 */
final class TerminalOutput extends InputStream {

    private static final long POLL_MS = 20;

    private final FileChannel file;
    private final BooleanSupplier ended;
    private long position;

    /** @param ended whether the container ended (its writer is gone) */
    TerminalOutput(Path raw, BooleanSupplier ended) throws IOException {
        this.file = FileChannel.open(raw, StandardOpenOption.READ);
        this.ended = ended;
        this.position = file.size();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            // Asked before reading: what an ended container wrote is all there once it counts as ended.
            boolean last = ended.getAsBoolean();
            int n = file.read(ByteBuffer.wrap(b, off, len), position);
            if (n > 0) {
                position += n;
                return n;
            }
            if (last) {
                return -1;
            }
            try {
                Thread.sleep(Duration.ofMillis(POLL_MS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while following terminal output");
            }
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
