package io.kubevisor.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The threads that may change netns (root needed: unshare and setns): a task that moved its thread
 * into a new netns never leaves the next task there, threads are reused, failures and the caller's
 * interrupt come back as they were, and a task on a worker calling again runs in place.
 */
class NetnsWorkersTest {

    private final NetnsWorkers workers = new NetnsWorkers("test-netns");

    @BeforeEach
    void needsRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "unshare and setns need root");
    }

    @Test
    void aTaskRunsOnANamedPlatformThreadAndItsResultComesBack() throws Exception {
        var ran = new AtomicReference<Thread>();
        var returned = new AtomicReference<String>();
        Thread caller = Thread.ofVirtual().start(() -> returned.set(workers.call("task", () -> {
            ran.set(Thread.currentThread());
            return "done";
        })));
        assertThat(caller.join(Duration.ofSeconds(10))).isTrue();
        assertThat(returned.get()).isEqualTo("done");
        assertThat(ran.get().isVirtual()).isFalse();
        assertThat(ran.get().getName()).startsWith("test-netns-");
        assertThat(workers.supply(() -> 42).get(10, TimeUnit.SECONDS)).isEqualTo(42);
    }

    @Test
    void aTaskThatMovedItsThreadLeavesTheNextTaskInTheProcessNetns() throws Exception {
        String home = netns("/proc/self/ns/net");
        Set<String> seenInside = new HashSet<>();
        Set<Thread> threads = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            String startedIn = workers.call("move", () -> {
                String before = netns("/proc/thread-self/ns/net");
                LinuxCalls.unshare(LinuxCalls.CLONE_NEWNET);
                seenInside.add(netns("/proc/thread-self/ns/net"));
                threads.add(Thread.currentThread());
                return before;
            });
            assertThat(startedIn).as("task %d starts in the process's netns", i).isEqualTo(home);
            Thread.sleep(5);
        }
        // A freed netns's inode number is reused, so they need not all differ; none is the process's.
        assertThat(seenInside).as("each task was in a netns of its own").isNotEmpty().doesNotContain(home);
        assertThat(threads.size()).as("threads are reused").isLessThan(5);
        assertThat(netns("/proc/thread-self/ns/net")).as("the caller never moved").isEqualTo(home);
    }

    @Test
    void aTaskThatFailsInAForeignNetnsStillSendsItsThreadHome() throws Exception {
        String home = netns("/proc/self/ns/net");
        var boom = new IllegalStateException("boom");
        assertThat(catchThrowableOfType(IllegalStateException.class, () -> workers.call("failing", () -> {
            LinuxCalls.unshare(LinuxCalls.CLONE_NEWNET);
            throw boom;
        }))).isSameAs(boom);
        for (int i = 0; i < 5; i++) {
            assertThat(workers.call("check", () -> netns("/proc/thread-self/ns/net"))).isEqualTo(home);
        }
    }

    @Test
    void aCallFromAWorkerRunsInPlaceAndReturnsHomeAfterwards() throws Exception {
        String home = netns("/proc/self/ns/net");
        var outer = new AtomicReference<Thread>();
        var inner = new AtomicReference<Thread>();
        String afterInner = workers.supply(() -> {
            outer.set(Thread.currentThread());
            workers.call("inner", () -> {
                inner.set(Thread.currentThread());
                LinuxCalls.unshare(LinuxCalls.CLONE_NEWNET);
                return null;
            });
            return netns("/proc/thread-self/ns/net");
        }).get(10, TimeUnit.SECONDS);
        assertThat(inner.get()).isSameAs(outer.get());
        assertThat(afterInner).isEqualTo(home);
    }

    @Test
    void failuresComeBackAsThrownAndTheCallersInterruptIsKept() {
        var checked = catchThrowableOfType(IllegalStateException.class, () -> workers.call("checked", () -> {
            throw new IOException("io");
        }));
        assertThat(checked.getCause()).hasMessage("io");

        Thread.currentThread().interrupt();
        try {
            assertThat(workers.call("sleeper", () -> {
                Thread.sleep(50);
                return 1;
            })).as("waits for the task despite the interrupt").isEqualTo(1);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    private static String netns(String link) {
        try {
            return Files.readSymbolicLink(Path.of(link)).toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
