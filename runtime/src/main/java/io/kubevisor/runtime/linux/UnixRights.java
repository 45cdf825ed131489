package io.kubevisor.runtime.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Receiving a file descriptor that another process sends over a Unix socket (SCM_RIGHTS), which
 * Java's own socket channels cannot: how {@code runsc create --console-socket} hands over the
 * master of the pseudo-terminal it made for a container. The listener and every descriptor
 * returned are close-on-exec and owned by the caller. Stateless, so thread-safe.
 */
public final class UnixRights {

    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_NONBLOCK = 04000;
    private static final int MSG_CTRUNC = 0x8;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int SCM_RIGHTS = 1;
    /** sockaddr_un: a short family, then the path (NUL-terminated) in 108 bytes. */
    private static final int SUN_PATH = 108;
    /** struct msghdr on a 64-bit Linux: name, namelen, iov, iovlen, control, controllen, flags. */
    private static final int MSGHDR_SIZE = 56;
    private static final int CONTROL_SIZE = 64;

    private static final MethodHandle LISTEN = LinuxCalls.downcall("listen",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACCEPT4 = LinuxCalls.downcall("accept4",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMSG = LinuxCalls.downcall("recvmsg",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));

    private UnixRights() {
    }

    /**
     * A stream socket listening at {@code path}, which must not exist and must be shorter than
     * 108 bytes; a connection may wait in its backlog with its message before it is accepted.
     */
    public static Fd listen(Path path) {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= SUN_PATH) {
            throw new IllegalArgumentException("socket path too long (" + name.length + " bytes): " + path);
        }
        Fd socket = LinuxCalls.socket(AF_UNIX, SOCK_STREAM | LinuxCalls.SOCK_CLOEXEC, 0);
        try (var arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(2 + SUN_PATH);
            address.set(JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(name, 0, address, JAVA_BYTE, 2, name.length);
            LinuxCalls.bind(socket, address);
            LinuxCalls.call("listen(" + path + ")", arena, false,
                    state -> (int) LISTEN.invokeExact(state, socket.value(), 1));
            return socket;
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * A connection already waiting on the listener, without blocking.
     *
     * @throws LinuxCallException with EAGAIN when nobody connected
     */
    public static Fd acceptWaiting(Fd listener) {
        try (var arena = Arena.ofConfined()) {
            return new Fd((int) LinuxCalls.call("accept4", arena, true, state -> (int) ACCEPT4.invokeExact(state,
                    listener.value(), MemorySegment.NULL, MemorySegment.NULL,
                    LinuxCalls.SOCK_CLOEXEC | SOCK_NONBLOCK)));
        }
    }

    /**
     * The one descriptor of the next message on the connection (the message's bytes are
     * discarded); descriptors beyond the first are closed.
     *
     * @throws LinuxCallException with EAGAIN when no message waits
     * @throws IllegalStateException when the message carried no descriptor
     */
    public static Fd receiveFd(Fd connection) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(256);
            MemorySegment iov = arena.allocate(16);
            iov.set(ADDRESS, 0, data);
            iov.set(JAVA_LONG, 8, data.byteSize());
            MemorySegment control = arena.allocate(CONTROL_SIZE);
            MemorySegment msg = arena.allocate(MSGHDR_SIZE);
            msg.set(ADDRESS, 16, iov);
            msg.set(JAVA_LONG, 24, 1L);
            msg.set(ADDRESS, 32, control);
            msg.set(JAVA_LONG, 40, (long) CONTROL_SIZE);
            LinuxCalls.call("recvmsg", arena, true,
                    state -> (long) RECVMSG.invokeExact(state, connection.value(), msg, MSG_CMSG_CLOEXEC));
            // One control message at the start: cmsg_len (size_t), cmsg_level, cmsg_type, then the descriptors.
            long controlLength = msg.get(JAVA_LONG, 40);
            long cmsgLength = controlLength >= 16 ? control.get(JAVA_LONG, 0) : 0;
            int count = cmsgLength >= 20 && control.get(JAVA_INT, 8) == LinuxCalls.SOL_SOCKET
                    && control.get(JAVA_INT, 12) == SCM_RIGHTS ? (int) ((cmsgLength - 16) / 4) : 0;
            for (int i = 1; i < count; i++) {
                LinuxCalls.close(control.get(JAVA_INT, 16 + 4L * i));
            }
            if (count == 0 || (msg.get(JAVA_INT, 48) & MSG_CTRUNC) != 0) {
                throw new IllegalStateException("the message carried no file descriptor");
            }
            return new Fd(control.get(JAVA_INT, 16));
        }
    }
}
