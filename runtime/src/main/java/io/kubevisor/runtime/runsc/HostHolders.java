package io.kubevisor.runtime.runsc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Host processes that hold a container's stdin or terminal beyond the agent (a stdin holder, a
 * terminal relay): a later agent finds them again by the pid file they were started with, and
 * makes sure the pid is still theirs (a pid can be reused) by what the process is or holds open.
 */
final class HostHolders {

    private HostHolders() {
    }

    /** The live process whose pid {@code pidFile} names, if {@code ours} recognizes it. */
    static Optional<ProcessHandle> find(Path pidFile, Predicate<ProcessHandle> ours) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(ours);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether process {@code pid} has {@code file} open (per /proc; false once it is gone). */
    static boolean holdsOpen(long pid, Path file) {
        Path wanted = file.toAbsolutePath();
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(wanted);
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }
}
