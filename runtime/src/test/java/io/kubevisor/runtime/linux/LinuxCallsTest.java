package io.kubevisor.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** Calls that need no privileges: errno capture and naming. */
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
}
