package io.kubevisor.runtime.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc calls the runtime makes itself instead of starting {@code ip} or {@code mount}
 * processes (a few ms each): namespaces, mounts, and the socket calls of a netlink client. Each
 * failure throws {@link LinuxCallException} with the errno, read through the linker's captured
 * call state (the JVM may change errno between the call and a later read).
 *
 * <p>Needs {@code --enable-native-access=ALL-UNNAMED} to run without a warning. Stateless apart
 * from the method handles, so thread-safe; but {@link #unshare} and {@link #setns} change the
 * calling OS thread only, so call them on one of the {@link NetnsWorkers} (which go back to the
 * process's netns after each task), never on a virtual thread or any other pooled one.
 */
public final class LinuxCalls {

    public static final int O_RDONLY = 0;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_CLOEXEC = 02000000;

    public static final int CLONE_NEWNET = 0x40000000;

    public static final long MS_BIND = 4096;
    public static final int MNT_DETACH = 2;

    public static final int AF_NETLINK = 16;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 02000000;
    public static final int NETLINK_ROUTE = 0;
    public static final int SOL_SOCKET = 1;
    public static final int SO_RCVTIMEO = 20;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(PathElement.groupElement("errno"));

    // open(2) is variadic: the mode is its first variadic argument.
    private static final MethodHandle OPEN = downcall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT,
            JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle UNSHARE = downcall("unshare", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SETNS = downcall("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle MOUNT = downcall("mount", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS,
            ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle UMOUNT2 = downcall("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS,
            JAVA_INT));
    private static final MethodHandle IF_NAMETOINDEX = downcall("if_nametoindex", FunctionDescriptor.of(JAVA_INT,
            ADDRESS));
    private static final MethodHandle SOCKET = downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT,
            JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT,
            JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle BIND = downcall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS,
            JAVA_INT));
    private static final MethodHandle SEND = downcall("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS,
            JAVA_LONG, JAVA_INT));
    private static final MethodHandle RECV = downcall("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS,
            JAVA_LONG, JAVA_INT));

    private LinuxCalls() {
    }

    /**
     * Links the calls and makes two harmless ones, so that the FFM runtime's one-time start-up
     * (100–250 ms on a small machine) is paid here rather than by the first pod. Idempotent.
     */
    public static void warmUp() {
        ifNameToIndex("lo");
        socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE).close();
    }

    /** open(2); the caller owns the descriptor. Always add {@link #O_CLOEXEC}: the JVM starts processes. */
    public static Fd open(String path, int flags, int mode) {
        try (var arena = Arena.ofConfined()) {
            var p = arena.allocateFrom(path);
            return new Fd((int) call("open(" + path + ")", arena, true,
                    state -> (int) OPEN.invokeExact(state, p, flags, mode)));
        }
    }

    /** close(2); an EINTR is success (Linux has closed the descriptor anyway). */
    static void close(int fd) {
        try (var arena = Arena.ofConfined()) {
            try {
                call("close(" + fd + ")", arena, false, state -> (int) CLOSE.invokeExact(state, fd));
            } catch (LinuxCallException e) {
                if (!e.is(Errno.EINTR)) {
                    throw e;
                }
            }
        }
    }

    /** unshare(2): moves the calling OS thread into new namespaces of the given kinds. */
    public static void unshare(int flags) {
        try (var arena = Arena.ofConfined()) {
            call("unshare", arena, false, state -> (int) UNSHARE.invokeExact(state, flags));
        }
    }

    /** setns(2): moves the calling OS thread into the namespace {@code fd} refers to. */
    public static void setns(Fd fd, int nstype) {
        try (var arena = Arena.ofConfined()) {
            call("setns", arena, false, state -> (int) SETNS.invokeExact(state, fd.value(), nstype));
        }
    }

    /** mount(2); {@code fstype} and {@code data} may be null. */
    public static void mount(String source, String target, String fstype, long flags, String data) {
        try (var arena = Arena.ofConfined()) {
            var src = arena.allocateFrom(source);
            var tgt = arena.allocateFrom(target);
            var type = fstype == null ? MemorySegment.NULL : arena.allocateFrom(fstype);
            var options = data == null ? MemorySegment.NULL : arena.allocateFrom(data);
            call("mount(" + target + ")", arena, true,
                    state -> (int) MOUNT.invokeExact(state, src, tgt, type, flags, options));
        }
    }

    /** umount2(2). */
    public static void umount2(String target, int flags) {
        try (var arena = Arena.ofConfined()) {
            var tgt = arena.allocateFrom(target);
            call("umount2(" + target + ")", arena, true, state -> (int) UMOUNT2.invokeExact(state, tgt, flags));
        }
    }

    /** The index of the named interface in the calling thread's network namespace (ENODEV if none). */
    public static int ifNameToIndex(String name) {
        try (var arena = Arena.ofConfined()) {
            var n = arena.allocateFrom(name);
            return (int) call("if_nametoindex(" + name + ")", arena, false, state -> {
                int index = (int) IF_NAMETOINDEX.invokeExact(state, n);
                return index == 0 ? -1 : Integer.toUnsignedLong(index);
            });
        }
    }

    /** socket(2), in the calling thread's network namespace; the caller owns the descriptor. */
    public static Fd socket(int domain, int type, int protocol) {
        try (var arena = Arena.ofConfined()) {
            return new Fd((int) call("socket", arena, false,
                    state -> (int) SOCKET.invokeExact(state, domain, type, protocol)));
        }
    }

    /** setsockopt(2) with the option value's bytes. */
    public static void setsockopt(Fd socket, int level, int option, MemorySegment value) {
        try (var arena = Arena.ofConfined()) {
            call("setsockopt(" + option + ")", arena, false, state -> (int) SETSOCKOPT.invokeExact(state,
                    socket.value(), level, option, value, (int) value.byteSize()));
        }
    }

    /** bind(2) to the socket address in {@code address}. */
    public static void bind(Fd socket, MemorySegment address) {
        try (var arena = Arena.ofConfined()) {
            call("bind", arena, false,
                    state -> (int) BIND.invokeExact(state, socket.value(), address, (int) address.byteSize()));
        }
    }

    /** send(2) of all of {@code data}; returns the bytes sent. */
    public static long send(Fd socket, MemorySegment data) {
        try (var arena = Arena.ofConfined()) {
            return call("send", arena, true,
                    state -> (long) SEND.invokeExact(state, socket.value(), data, data.byteSize(), 0));
        }
    }

    /** recv(2) into {@code buffer}; returns the bytes received. */
    public static long recv(Fd socket, MemorySegment buffer) {
        try (var arena = Arena.ofConfined()) {
            return call("recv", arena, true,
                    state -> (long) RECV.invokeExact(state, socket.value(), buffer, buffer.byteSize(), 0));
        }
    }

    /** One native call: returns -1 on failure, the errno then in the call state. */
    @FunctionalInterface
    interface NativeCall {
        long invoke(MemorySegment callState) throws Throwable;
    }

    static long call(String name, Arena arena, boolean retryOnEintr, NativeCall c) {
        var state = arena.allocate(CALL_STATE);
        while (true) {
            long result;
            try {
                result = c.invoke(state);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("cannot call " + name, t);
            }
            if (result != -1) {
                return result;
            }
            int errno = (int) ERRNO.get(state, 0L);
            if (!(retryOnEintr && errno == Errno.EINTR.number())) {
                throw new LinuxCallException(name, errno);
            }
        }
    }

    /**
     * Restricted (the JVM cannot check a native signature): hence the native-access flag. Also
     * used by the package's other bindings ({@link UnixRights}, {@link Spawn}).
     */
    static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... more) {
        var options = new Linker.Option[more.length + 1];
        options[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(more, 0, options, 1, more.length);
        return link(name, descriptor, options);
    }

    /** As {@link #downcall}, for calls that return their error number instead of setting errno (posix_spawn's). */
    static MethodHandle downcallReturningError(String name, FunctionDescriptor descriptor) {
        return link(name, descriptor);
    }

    @SuppressWarnings("restricted")
    private static MethodHandle link(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        var symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc lacks " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }
}
