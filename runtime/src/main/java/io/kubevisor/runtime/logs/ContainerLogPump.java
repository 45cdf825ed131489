package io.kubevisor.runtime.logs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts a container's raw stdout and stderr files into its CRI log.
 *
 * <p><b>Why files and not pipes.</b> A sandbox keeps the stdio descriptors it was started with
 * for as long as it runs, beyond the life of the agent that started it. A pipe read by the agent
 * breaks when the agent restarts (the container then gets EPIPE or blocks), and a restarted agent
 * cannot reopen it. Instead the container writes to two files opened with {@code O_APPEND} (every
 * write lands at the end whatever the writer's offset), which the agent never truncates; this pump
 * reads them from the offsets it saved in {@code offsetsFile} and writes CRI entries. A restarted
 * agent starts a new pump that resumes from the saved offsets, so nothing is lost and the
 * container never blocks on its output. The costs: entries carry the time the pump read them
 * (up to one poll interval late, later for output written while no agent ran); an agent that
 * dies between writing entries and saving the offsets repeats those entries once; and the raw
 * files keep their full length: the pump punches holes into the part already converted (when the
 * file system supports it) so the disk space is returned while the offsets stay valid.
 *
 * <p>Thread-safe. {@link #start()} starts one virtual thread; {@link #finish()} drains and ends
 * it once the container has exited; {@link #close()} ends it without treating the streams as
 * ended (agent shutdown). The CRI writer is owned by the pump and closed with it.
 */
public final class ContainerLogPump implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerLogPump.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final long PUNCH_EVERY = 8L << 20;

    private final String name;
    private final Path offsetsFile;
    private final CriLogWriter writer;
    private final RawStreamTailer out;
    private final RawStreamTailer err;
    private final Path stdoutFile;
    private final Path stderrFile;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean finishing;
    private volatile boolean closing;
    private Thread thread;
    private long savedOut = -1;
    private long savedErr = -1;
    private long punchedOut;
    private long punchedErr;
    private boolean punchWorks = true;

    /**
     * @param name        for log messages (the container id)
     * @param stdoutFile  the raw stdout file the sandbox appends to
     * @param stderrFile  the raw stderr file
     * @param offsetsFile where the converted offsets live across agent restarts
     * @param writer      the container's CRI log; owned by the pump from now on
     */
    public ContainerLogPump(String name, Path stdoutFile, Path stderrFile, Path offsetsFile, CriLogWriter writer,
                            Clock clock, Duration partialDelay) {
        this.name = name;
        this.offsetsFile = offsetsFile;
        this.writer = writer;
        this.stdoutFile = stdoutFile;
        this.stderrFile = stderrFile;
        long[] saved = readOffsets(offsetsFile);
        this.out = new RawStreamTailer(stdoutFile, CriLogLine.Stream.STDOUT, saved[0], clock, partialDelay);
        this.err = new RawStreamTailer(stderrFile, CriLogLine.Stream.STDERR, saved[1], clock, partialDelay);
        this.punchedOut = saved[0];
        this.punchedErr = saved[1];
    }

    /** Starts converting in the background. Call once. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = Thread.ofVirtual().name("logs-" + name).start(this::run);
    }

    /**
     * The container has exited: converts what is left (an unterminated last line as a full entry)
     * and stops. Blocks until done, at most {@code timeout}.
     */
    public void finish(Duration timeout) {
        finishing = true;
        await(timeout);
    }

    /**
     * Converts what the raw files hold now, on the caller's thread, without ending the streams:
     * once the container is frozen (checkpointed), its CRI log then shows all it wrote. A no-op
     * after the pump ended.
     */
    public synchronized void flush() {
        if (done.getCount() == 0) {
            return;
        }
        try {
            step(false);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("event=log-pump-failed container={} error=\"{}\"", name, e.getMessage());
        }
    }

    /** Stops without ending the streams (the container may still run); keeps the offsets. */
    @Override
    public void close() {
        closing = true;
        await(Duration.ofSeconds(5));
    }

    private void await(Duration timeout) {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) {
            runOnce();
            return;
        }
        try {
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("event=log-pump-slow container={} timeoutMs={}", name, timeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Without a thread (never started): one synchronous drain, as after the container ended. */
    private synchronized void runOnce() {
        if (done.getCount() == 0) {
            return;
        }
        try {
            step(finishing);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("event=log-pump-failed container={} error=\"{}\"", name, e.getMessage());
        } finally {
            shutdown();
        }
    }

    private void run() {
        try {
            while (true) {
                boolean ending = finishing;
                if (closing) {
                    synchronized (this) {
                        step(false);
                    }
                    return;
                }
                long n;
                synchronized (this) {
                    n = step(ending);
                }
                if (ending) {
                    return;
                }
                if (n == 0) {
                    Thread.sleep(IDLE_POLL);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.warn("event=log-pump-failed container={} error=\"{}\"", name, e.getMessage());
        } finally {
            shutdown();
        }
    }

    private synchronized void shutdown() {
        try {
            out.close();
            err.close();
        } catch (IOException e) {
            LOG.debug("event=log-pump-close-failed container={} error=\"{}\"", name, e.getMessage());
        }
        writer.close();
        done.countDown();
    }

    private long step(boolean atEnd) throws IOException {
        long n = out.poll(writer::write, atEnd) + err.poll(writer::write, atEnd);
        saveOffsets();
        punchHoles();
        return n;
    }

    private void saveOffsets() throws IOException {
        long o = out.offset();
        long e = err.offset();
        if (o == savedOut && e == savedErr) {
            return;
        }
        Path tmp = offsetsFile.resolveSibling(offsetsFile.getFileName() + ".tmp");
        Files.writeString(tmp, "stdout " + o + "\nstderr " + e + "\n");
        try {
            Files.move(tmp, offsetsFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException x) {
            Files.move(tmp, offsetsFile, StandardCopyOption.REPLACE_EXISTING);
        }
        savedOut = o;
        savedErr = e;
    }

    /** Gives the converted part of the raw files back to the file system, keeping their length. */
    private void punchHoles() {
        if (!punchWorks) {
            return;
        }
        long o = out.offset() & ~4095L;
        if (o - punchedOut >= PUNCH_EVERY) {
            punchWorks = HolePunch.punch(stdoutFile, o);
            punchedOut = o;
        }
        long e = err.offset() & ~4095L;
        if (punchWorks && e - punchedErr >= PUNCH_EVERY) {
            punchWorks = HolePunch.punch(stderrFile, e);
            punchedErr = e;
        }
    }

    /** The saved offsets: {stdout, stderr}; zeros when none were saved. */
    static long[] readOffsets(Path file) {
        long[] r = new long[2];
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] f = line.trim().split(" ");
                if (f.length == 2 && f[0].equals("stdout")) {
                    r[0] = Long.parseLong(f[1]);
                } else if (f.length == 2 && f[0].equals("stderr")) {
                    r[1] = Long.parseLong(f[1]);
                }
            }
        } catch (NoSuchFileException e) {
            return r;
        } catch (IOException | NumberFormatException e) {
            LOG.warn("event=log-offsets-unreadable file={} error=\"{}\"", file, e.getMessage());
        }
        return r;
    }
}
