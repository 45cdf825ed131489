package io.kubevisor.runtime.runsc;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's stdin: a FIFO in its directory whose read end runsc hands to the container. It
 * is held open read-write, so the container never reads end-of-file between attach sessions and
 * opening it for the container never blocks. Two hold it: this agent (at once, so that runsc's
 * open finds a writer) and a holder process ({@code sleep} with the FIFO open) that
 * outlives the agent, so that a container keeps its stdin across an agent restart and the next
 * agent adopts the holder from its pid file. Attach sessions open writers of their own. The
 * container reads end-of-file once the stdin is closed for good ({@link #close}: both holders
 * let go) and every session's writer is closed.
 */
final class StdinPipe implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StdinPipe.class);
    /**
     * The holder: {@code sleep} with the FIFO open as fd 3 (opened by the shell it replaces), one
     * process that nothing restarts; a later agent knows it by that open file.
     */
    private static final String HOLD = "exec 3<>\"$0\" || exit 1; exec sleep infinity";

    private final Path fifo;
    private FileChannel agentHold;
    private ProcessHandle processHold;

    private StdinPipe(Path fifo, FileChannel agentHold, ProcessHandle processHold) {
        this.fifo = fifo;
        this.agentHold = agentHold;
        this.processHold = processHold;
    }

    /** Makes the FIFO and holds it open, in this agent and in a holder process. */
    static StdinPipe create(Path fifo) {
        var made = Runsc.run(List.of("mkfifo", "-m", "600", fifo.toString()), Runsc.SHORT);
        if (!made.ok()) {
            throw new RunscException("cannot make the stdin FIFO " + fifo + ": " + made.message());
        }
        FileChannel hold;
        try {
            hold = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new RunscException("cannot open the stdin FIFO " + fifo + ": " + e.getMessage(), e);
        }
        ProcessHandle holder;
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", HOLD, fifo.toString()).redirectInput(Runsc.DEV_NULL)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            holder = p.toHandle();
            Files.writeString(pidFile(fifo), Long.toString(p.pid()));
        } catch (IOException e) {
            try {
                hold.close();
            } catch (IOException ignored) {
                // nothing was written through it
            }
            throw new RunscException("cannot start the holder of the stdin FIFO " + fifo + ": " + e.getMessage(), e);
        }
        return new StdinPipe(fifo, hold, holder);
    }

    /** The stdin an earlier agent made, held by its holder process; empty when there is none (or it ended). */
    static Optional<StdinPipe> adopt(Path fifo) {
        return holder(fifo).map(h -> new StdinPipe(fifo, null, h));
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

    /** The agent stops: it lets go of its own hold; the holder process keeps the stdin open. */
    synchronized void detach() {
        closeAgentHold();
    }

    /** Closes the stdin for good: both holds go. Idempotent. */
    @Override
    public synchronized void close() {
        closeAgentHold();
        if (processHold != null) {
            processHold.destroy();
            processHold = null;
        }
        try {
            Files.deleteIfExists(pidFile(fifo));
        } catch (IOException e) {
            LOG.debug("event=stdin-pidfile-left fifo={} error=\"{}\"", fifo, e.getMessage());
        }
    }

    private void closeAgentHold() {
        if (agentHold != null) {
            try {
                agentHold.close();
            } catch (IOException e) {
                // Closing a FIFO end has nothing to flush; the descriptor is gone either way.
            }
            agentHold = null;
        }
    }

    /** The live holder process of the FIFO, checked by its open files (a pid can be reused). */
    private static Optional<ProcessHandle> holder(Path fifo) {
        return HostHolders.find(pidFile(fifo), h -> HostHolders.holdsOpen(h.pid(), fifo));
    }

    private static Path pidFile(Path fifo) {
        return fifo.resolveSibling(fifo.getFileName() + ".holder");
    }
}
