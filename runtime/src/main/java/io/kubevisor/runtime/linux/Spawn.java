package io.kubevisor.runtime.linux;

import static io.kubevisor.runtime.linux.LinuxCalls.downcallReturningError;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * Starts a program that inherits one of the JVM's descriptors, which {@link ProcessBuilder}
 * cannot give a child (it passes only stdin, stdout and stderr, from files or pipes): glibc's
 * posix_spawn(3), which is safe in a process with many threads (it never runs Java code in the
 * child). The child gets the descriptor as fd 3, /dev/null as 0-2, no other descriptor of the
 * JVM, a session of its own (it takes no signal meant for the agent's terminal or process group)
 * and an empty signal mask. Stateless, so thread-safe; the call blocks its carrier thread while
 * it waits.
 */
public final class Spawn {

    /** The descriptor number the child finds the inherited descriptor at. */
    public static final int INHERITED_FD = 3;

    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;
    private static final int O_RDWR = 2;
    /** glibc's posix_spawn_file_actions_t is 80 bytes and posix_spawnattr_t 336 on 64-bit: room for both. */
    private static final long OPAQUE_SIZE = 512;
    private static final long SIGSET_SIZE = 128;

    private static final MethodHandle ACTIONS_INIT = downcallReturningError("posix_spawn_file_actions_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ACTIONS_DESTROY = downcallReturningError("posix_spawn_file_actions_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ADD_DUP2 = downcallReturningError("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle ADD_OPEN = downcallReturningError("posix_spawn_file_actions_addopen",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle ADD_CLOSEFROM = downcallReturningError("posix_spawn_file_actions_addclosefrom_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle ATTR_INIT = downcallReturningError("posix_spawnattr_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_DESTROY = downcallReturningError("posix_spawnattr_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_FLAGS = downcallReturningError("posix_spawnattr_setflags",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    private static final MethodHandle ATTR_SIGMASK = downcallReturningError("posix_spawnattr_setsigmask",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle POSIX_SPAWN = downcallReturningError("posix_spawn",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle WAITPID = LinuxCalls.downcall("waitpid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));

    private Spawn() {
    }

    /**
     * Runs {@code argv} (an absolute program path first) with {@code env}, {@code inherited} as
     * its fd {@value #INHERITED_FD}, and waits for it to end; meant for a short launcher that
     * leaves its long-lived work to a background child (which then belongs to no JVM).
     *
     * @return its exit status, or 128 + the signal that ended it
     */
    public static int runWithFd(List<String> argv, List<String> env, Fd inherited) {
        if (inherited.value() <= INHERITED_FD) {
            // dup2 onto itself would keep close-on-exec; a JVM has far more descriptors open than that.
            throw new IllegalArgumentException("descriptor " + inherited.value() + " is too low to pass on");
        }
        try (var arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(OPAQUE_SIZE);
            MemorySegment attributes = arena.allocate(OPAQUE_SIZE);
            check("posix_spawn_file_actions_init", (int) ACTIONS_INIT.invokeExact(actions));
            check("posix_spawnattr_init", (int) ATTR_INIT.invokeExact(attributes));
            try {
                MemorySegment devNull = arena.allocateFrom("/dev/null");
                check("addopen", (int) ADD_OPEN.invokeExact(actions, 0, devNull, O_RDWR, 0));
                check("adddup2", (int) ADD_DUP2.invokeExact(actions, 0, 1));
                check("adddup2", (int) ADD_DUP2.invokeExact(actions, 0, 2));
                check("adddup2", (int) ADD_DUP2.invokeExact(actions, inherited.value(), INHERITED_FD));
                check("addclosefrom", (int) ADD_CLOSEFROM.invokeExact(actions, INHERITED_FD + 1));
                check("setflags", (int) ATTR_FLAGS.invokeExact(attributes,
                        (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK)));
                check("setsigmask", (int) ATTR_SIGMASK.invokeExact(attributes, arena.allocate(SIGSET_SIZE)));
                MemorySegment pid = arena.allocate(JAVA_INT);
                MemorySegment path = arena.allocateFrom(argv.getFirst());
                MemorySegment args = strings(arena, argv);
                MemorySegment envp = strings(arena, env);
                check("posix_spawn(" + argv.getFirst() + ")",
                        (int) POSIX_SPAWN.invokeExact(pid, path, actions, attributes, args, envp));
                return waitFor(pid.get(JAVA_INT, 0));
            } finally {
                // Both only free memory; glibc's return 0.
                int actionsFreed = (int) ACTIONS_DESTROY.invokeExact(actions);
                int attributesFreed = (int) ATTR_DESTROY.invokeExact(attributes);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot call posix_spawn", t);
        }
    }

    private static int waitFor(int pid) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(JAVA_INT);
            LinuxCalls.call("waitpid(" + pid + ")", arena, true,
                    state -> (int) WAITPID.invokeExact(state, pid, status, 0));
            int s = status.get(JAVA_INT, 0);
            return (s & 0x7f) == 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f);
        }
    }

    /** A NULL-terminated array of C strings. */
    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }

    /** The posix_spawn family returns an error number instead of setting errno. */
    private static void check(String call, int result) {
        if (result != 0) {
            throw new LinuxCallException(call, result);
        }
    }
}
