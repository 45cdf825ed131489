package io.kubevisor.runtime.linux;

/**
 * A system call (or a netlink request, which the kernel answers with an errno too) failed.
 * Carries the errno so that callers can tell "already there" from "missing" from "not allowed".
 */
public final class LinuxCallException extends RuntimeException {

    private final String call;
    private final int errno;

    /**
     * @param call  what was called, with the argument that tells the calls apart, e.g.
     *              {@code if_nametoindex(br0)} or {@code RTM_NEWLINK}
     * @param errno the positive errno value
     */
    public LinuxCallException(String call, int errno) {
        super(call + ": " + Errno.describe(errno));
        this.call = call;
        this.errno = errno;
    }

    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }

    public boolean is(Errno e) {
        return errno == e.number();
    }
}
