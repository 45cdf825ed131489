package io.kubevisor.runtime.linux;

import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;

/**
 * Runs a task on a platform thread of its own that ends with the task, for work that changes
 * the calling OS thread's kernel state: {@code setns} and {@code unshare} move one thread into
 * another network namespace, and sockets made there stay there. A virtual thread would carry
 * that state to whatever runs next on its carrier, a pooled thread to its next task; a thread
 * that ends takes it along. Starting one costs about 0.1 ms.
 */
public final class DisposableThread {

    private DisposableThread() {
    }

    /**
     * Runs {@code task} on a new platform thread and waits for it to end, also when the caller is
     * interrupted meanwhile (the task changes the kernel, and the caller's cleanup must not race
     * with it); the interrupt is kept for the caller to see.
     *
     * @return what the task returned
     * @throws RuntimeException or Error what the task threw, as thrown
     */
    public static <T> T call(String name, Callable<T> task) {
        var future = new FutureTask<>(task);
        Thread thread = Thread.ofPlatform().name(name).daemon().start(future);
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
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
                throw new IllegalStateException(name + " failed", failure);
            }
            case CANCELLED, RUNNING -> throw new IllegalStateException(name + " ended without a result");
        };
    }
}
