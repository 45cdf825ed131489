package io.kubevisor.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** Calls that need no privileges: errno capture, naming, and the disposable thread. */
class LinuxCallsTest {

    @Test
    void aFailedCallCarriesItsNameAndErrno() {
        var e = catchThrowableOfType(LinuxCallException.class,
                () -> LinuxCalls.open("/nonexistent/kubevisor", LinuxCalls.O_RDONLY | LinuxCalls.O_CLOEXEC, 0));
        assertThat(e.call()).isEqualTo("open(/nonexistent/kubevisor)");
        assertThat(e.is(Errno.ENOENT)).isTrue();
        assertThat(e).hasMessage("open(/nonexistent/kubevisor): ENOENT (No such file or directory)");

        var missing = catchThrowableOfType(LinuxCallException.class, () -> LinuxCalls.ifNameToIndex("kvnosuch0"));
        assertThat(missing.errno()).isEqualTo(Errno.ENODEV.number());
        assertThat(missing.call()).isEqualTo("if_nametoindex(kvnosuch0)");
    }

    @Test
    void successfulCallsReturnTheirResult() {
        assertThat(LinuxCalls.ifNameToIndex("lo")).isPositive();
        try (Fd fd = LinuxCalls.open("/proc/thread-self/ns/net", LinuxCalls.O_RDONLY | LinuxCalls.O_CLOEXEC, 0)) {
            assertThat(fd.value()).isGreaterThan(2);
        }
        LinuxCalls.warmUp();
    }

    @Test
    void errnoNamesKnownAndUnknown() {
        assertThat(Errno.describe(17)).isEqualTo("EEXIST (File exists)");
        assertThat(Errno.describe(19)).isEqualTo("ENODEV (No such device)");
        assertThat(Errno.describe(133)).isEqualTo("errno 133");
        assertThat(Errno.of(-1)).isEmpty();
    }

    @Test
    void aDisposableThreadRunsTheTaskOnAPlatformThreadOfItsOwn() throws Exception {
        var ran = new AtomicReference<Thread>();
        var returned = new AtomicReference<String>();
        Thread caller = Thread.ofVirtual().start(() -> returned.set(DisposableThread.call("test-task", () -> {
            ran.set(Thread.currentThread());
            return "done";
        })));
        assertThat(caller.join(Duration.ofSeconds(10))).isTrue();
        assertThat(returned.get()).isEqualTo("done");
        assertThat(ran.get().isVirtual()).isFalse();
        assertThat(ran.get().getName()).isEqualTo("test-task");
        assertThat(ran.get().isAlive()).as("ended with its task").isFalse();
    }

    @Test
    void aDisposableThreadRethrowsAndKeepsTheCallersInterrupt() {
        var boom = new IllegalStateException("boom");
        assertThat(catchThrowableOfType(IllegalStateException.class,
                () -> DisposableThread.call("failing", () -> {
                    throw boom;
                }))).isSameAs(boom);
        var checked = catchThrowableOfType(IllegalStateException.class,
                () -> DisposableThread.call("checked", () -> {
                    throw new java.io.IOException("io");
                }));
        assertThat(checked.getCause()).hasMessage("io");

        Thread.currentThread().interrupt();
        try {
            assertThat(DisposableThread.call("sleeper", () -> {
                Thread.sleep(50);
                return 1;
            })).as("waits for the task despite the interrupt").isEqualTo(1);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
