package io.kubevisor.runtime.linux;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child started by {@link Spawn#start}, as a {@link Process}: a platform thread of its own waits
 * for it with waitpid(2), reaps it and completes {@link #onExit()}. Platform, because the wait
 * is a native call that would pin a virtual thread's carrier for the child's whole life (the
 * JDK also keeps one reaper thread per child). Signals go through {@link ProcessHandle}, which
 * checks the process's start time, so a reused pid is never signalled. Thread-safe.
 */
final class SpawnedProcess extends Process {

    /** The waiter does one blocking call: a small stack is enough. */
    private static final long WAITER_STACK = 64 * 1024;

    private final int pid;
    private final ProcessHandle handle;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    SpawnedProcess(int pid) {
        this.pid = pid;
        // Taken now, while the child cannot have been reaped yet: it pins the child's start time.
        this.handle = ProcessHandle.of(pid).orElse(null);
        Thread.ofPlatform().daemon().name("pid-" + pid + "-waiter").stackSize(WAITER_STACK).start(() -> {
            try {
                exit.complete(Spawn.waitFor(pid));
            } catch (RuntimeException e) {
                exit.completeExceptionally(e);
            }
        });
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot wait for process " + pid, e.getCause());
        }
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            exit.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot wait for process " + pid, e.getCause());
        }
    }

    @Override
    public int exitValue() {
        if (!exit.isDone()) {
            throw new IllegalThreadStateException("process " + pid + " has not exited");
        }
        return exit.join();
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return exit.handle((code, failure) -> this);
    }

    @Override
    public void destroy() {
        signal(false);
    }

    @Override
    public Process destroyForcibly() {
        signal(true);
        return this;
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    @Override
    public ProcessHandle toHandle() {
        if (handle == null) {
            throw new IllegalStateException("process " + pid + " ended before it could be looked at");
        }
        return handle;
    }

    private void signal(boolean kill) {
        if (handle != null && isAlive()) {
            if (kill) {
                handle.destroyForcibly();
            } else {
                handle.destroy();
            }
        }
    }

    /** Its stdio went to files: nothing to write to or read from, as with ProcessBuilder's redirects. */
    @Override
    public OutputStream getOutputStream() {
        return OutputStream.nullOutputStream();
    }

    @Override
    public InputStream getInputStream() {
        return InputStream.nullInputStream();
    }

    @Override
    public InputStream getErrorStream() {
        return InputStream.nullInputStream();
    }

    @Override
    public String toString() {
        return "SpawnedProcess[pid=" + pid + ", " + (exit.isDone() ? "exitValue=" + exit.getNow(null) : "alive") + "]";
    }
}
