package io.kubevisor.runtime.net;

import java.util.List;

import io.kubevisor.node.provider.ProviderException;
import io.kubevisor.runtime.linux.Errno;
import io.kubevisor.runtime.linux.LinuxCallException;

/**
 * Why pod networking failed. A substrate failure: the agent logs it and retries the pod with
 * backoff; every subtype's message names what to look at.
 */
public abstract sealed class PodNetworkException extends ProviderException {

    protected PodNetworkException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * An {@code ip} command exited non-zero, or a step done in-process instead of one (system
     * calls and netlink requests) failed with an errno.
     */
    public static final class CommandFailed extends PodNetworkException {

        /** What the kernel or {@code ip} said, so callers can treat repeats of work as done. */
        public enum Kind {
            /** "File exists", "Address already assigned": the object is already there. */
            EXISTS,
            /** "Cannot find device", "No such file or directory", "No such process": it is gone. */
            NOT_FOUND,
            /** "Operation not permitted": the agent is not root or lacks CAP_NET_ADMIN/CAP_SYS_ADMIN. */
            PERMISSION,
            /** Anything else. */
            OTHER
        }

        private final transient List<String> command;
        private final int exitCode;
        private final String stderr;
        private final Kind kind;

        public CommandFailed(List<String> command, int exitCode, String stderr) {
            super(String.join(" ", command) + " failed (exit " + exitCode + "): "
                    + (stderr.isBlank() ? "no message" : stderr.strip()), null);
            this.command = List.copyOf(command);
            this.exitCode = exitCode;
            this.stderr = stderr;
            this.kind = classify(stderr);
        }

        /**
         * An in-process step failed.
         *
         * @param netns the network namespace the step acted in
         * @param step  the step, spelled as the {@code ip} command it stands for
         * @param cause the call that failed, with its errno
         */
        public CommandFailed(String netns, List<String> step, LinuxCallException cause) {
            super("in netns " + netns + ": " + String.join(" ", step) + " failed: " + cause.getMessage(), cause);
            this.command = List.copyOf(step);
            this.exitCode = -1;
            this.stderr = cause.getMessage();
            this.kind = classify(cause.errno());
        }

        static Kind classify(int errno) {
            return switch (Errno.of(errno).orElse(Errno.EIO)) {
                case EEXIST, EADDRINUSE -> Kind.EXISTS;
                case ENOENT, ENODEV, ESRCH, ENXIO, EADDRNOTAVAIL -> Kind.NOT_FOUND;
                case EPERM, EACCES -> Kind.PERMISSION;
                default -> Kind.OTHER;
            };
        }

        static Kind classify(String stderr) {
            if (stderr.contains("File exists") || stderr.contains("already assigned")
                    || stderr.contains("already exists")) {
                return Kind.EXISTS;
            }
            if (stderr.contains("Cannot find device") || stderr.contains("No such file or directory")
                    || stderr.contains("No such process") || stderr.contains("does not exist")
                    || stderr.contains("Address not found")) {
                return Kind.NOT_FOUND;
            }
            if (stderr.contains("Operation not permitted") || stderr.contains("Permission denied")) {
                return Kind.PERMISSION;
            }
            return Kind.OTHER;
        }

        /** The command, or the in-process step as the {@code ip} command it stands for. */
        public List<String> command() {
            return command;
        }

        /** The command's exit code; -1 for an in-process step. */
        public int exitCode() {
            return exitCode;
        }

        /** The command's standard error, or the failed call and its errno. */
        public String stderr() {
            return stderr;
        }

        public Kind kind() {
            return kind;
        }
    }

    /** An {@code ip} command ran past its timeout and was killed. */
    public static final class CommandTimedOut extends PodNetworkException {
        public CommandTimedOut(List<String> command, long millis) {
            super(String.join(" ", command) + " did not finish within " + millis + " ms and was killed", null);
        }
    }

    /** An {@code ip} command could not be started at all (no iproute2 installed). */
    public static final class CommandUnavailable extends PodNetworkException {
        public CommandUnavailable(List<String> command, Throwable cause) {
            super("cannot run " + String.join(" ", command) + ": " + cause.getMessage()
                    + " (is iproute2 installed?)", cause);
        }
    }

    /** No address, or no subnet for a new namespace, is left in the pod CIDR. */
    public static final class AddressesExhausted extends PodNetworkException {
        public AddressesExhausted(String message) {
            super(message, null);
        }
    }

    /** The persisted allocations cannot be read or written, or disagree with the options. */
    public static final class StateInvalid extends PodNetworkException {
        public StateInvalid(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The pod has no network on this node (never attached, or detached). */
    public static final class UnknownPod extends PodNetworkException {
        public UnknownPod(String podUid) {
            super("pod uid=" + podUid + " has no network on this node", null);
        }
    }
}
