package io.kubevisor.runtime.linux;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Platform threads for work that moves its OS thread into other network namespaces ({@code setns}
 * and {@code unshare} of {@code CLONE_NEWNET}; sockets made there stay there). A virtual thread
 * would carry the foreign namespace to whatever runs next on its carrier; these threads go back to
 * the process's own netns after every task, so the next task starts where a new thread would. A
 * thread that cannot go back ends, taking the foreign netns with it. Tasks may change nothing else
 * about their thread (no other namespace, no credentials).
 *
 * <p>Threads are kept for a while and reused: a pod's network attach began with starting one,
 * which took 1.1-1.3 ms on a busy node, and ended with a join. A task never waits for a free
 * thread (there is always a new one), so tasks that wait for each other cannot deadlock here.
 * Thread-safe.
 */
public final class NetnsWorkers implements Executor {

    /** The process's netns: the main thread's, which never moves. */
    private static final String HOME = "/proc/self/ns/net";
    private static final long KEEP_IDLE_SECONDS = 30;

    private final ThreadPoolExecutor pool;

    /** @param name prefix of the threads' names */
    public NetnsWorkers(String name) {
        var count = new AtomicInteger();
        pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_IDLE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> new Worker(name + "-" + count.incrementAndGet(), r));
    }

    /** Runs {@code task} on a worker; the worker goes home afterwards, or ends. */
    @Override
    public void execute(Runnable task) {
        pool.execute(() -> {
            try {
                task.run();
            } finally {
                goHome();
            }
        });
    }

    /** {@link #call}'s work begun on a worker, without waiting for it. */
    public <T> CompletableFuture<T> supply(Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, this);
    }

    /**
     * Runs {@code task} on a worker and waits for it, also when the caller is interrupted meanwhile
     * (the task changes the kernel, and the caller's cleanup must not race with it); the interrupt
     * is kept for the caller to see. On a worker already, it runs right here, and this thread goes
     * home afterwards.
     *
     * @return what the task returned
     * @throws RuntimeException or Error what the task threw, as thrown
     */
    public <T> T call(String what, Callable<T> task) {
        var future = new FutureTask<>(task);
        if (Thread.currentThread() instanceof Worker) {
            try {
                future.run();
            } finally {
                goHome();
            }
        } else {
            execute(future);
            awaitUninterruptibly(future);
        }
        return switch (future.state()) {
            case SUCCESS -> future.resultNow();
            case FAILED -> {
                Throwable failure = future.exceptionNow();
                if (failure instanceof RuntimeException e) {
                    throw e;
                }
                if (failure instanceof Error e) {
                    throw e;
                }
                throw new IllegalStateException(what + " failed", failure);
            }
            case CANCELLED, RUNNING -> throw new IllegalStateException(what + " ended without a result");
        };
    }

    private static void awaitUninterruptibly(FutureTask<?> future) {
        boolean interrupted = false;
        while (!future.isDone()) {
            try {
                future.get();
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Back to the process's netns. A thread that cannot get there must not run another task: the
     * error ends it (the pool makes a new one for the next task).
     */
    private static void goHome() {
        try (Fd home = LinuxCalls.open(HOME, LinuxCalls.O_RDONLY | LinuxCalls.O_CLOEXEC, 0)) {
            LinuxCalls.setns(home, LinuxCalls.CLONE_NEWNET);
        } catch (RuntimeException e) {
            throw new LostThread(e);
        }
    }

    /** Ends a worker that is stuck in a foreign netns. */
    static final class LostThread extends Error {
        LostThread(Throwable cause) {
            super("a network-namespace worker could not return to the process's netns; it ends", cause);
        }
    }

    private static final class Worker extends Thread {
        Worker(String name, Runnable r) {
            super(null, r, name, 0, false);
            setDaemon(true);
        }
    }
}
