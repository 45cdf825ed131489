package io.kubevisor.runtime.runsc;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A container's stdin: a FIFO in its directory whose read end {@code runsc start} hands to the
 * container. This agent holds it open read-write, so the container never reads end-of-file
 * between attach sessions, and opening it for the container never blocks. Attach sessions open
 * writers of their own. When the holder and every writer are closed the container reads EOF —
 * which also happens when the agent process ends: the holder lives in the agent.
 */
final class StdinPipe implements AutoCloseable {

    private final Path fifo;
    private final FileChannel holder;

    private StdinPipe(Path fifo, FileChannel holder) {
        this.fifo = fifo;
        this.holder = holder;
    }

    /** Makes the FIFO and holds it open. */
    static StdinPipe create(Path fifo) {
        var made = Runsc.run(List.of("mkfifo", "-m", "600", fifo.toString()), Runsc.SHORT);
        if (!made.ok()) {
            throw new RunscException("cannot make the stdin FIFO " + fifo + ": " + made.message());
        }
        try {
            return new StdinPipe(fifo, FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new RunscException("cannot open the stdin FIFO " + fifo + ": " + e.getMessage(), e);
        }
    }

    Path path() {
        return fifo;
    }

    /** A writer for one session; also works on a FIFO left by an earlier agent while its reader lives. */
    static OutputStream writer(Path fifo) {
        if (!Files.exists(fifo)) {
            throw new IllegalStateException("the container was not started with stdin");
        }
        try {
            // Read-write, as Linux allows for a FIFO: the open never blocks, even with no reader left.
            return Channels.newOutputStream(FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the container's stdin: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            holder.close();
        } catch (IOException e) {
            // Closing a FIFO end has nothing to flush; the descriptor is gone either way.
        }
    }
}
