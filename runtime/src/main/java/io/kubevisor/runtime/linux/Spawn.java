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
import java.nio.file.Path;
import java.util.List;

/**
 * Starts programs with glibc's posix_spawn(3), which is safe in a process with many threads (it
 * never runs Java code in the child) and, unlike {@link ProcessBuilder}, needs no helper process:
 * <ul>
 * <li>{@link #runWithFd}: a launcher that inherits one of the JVM's descriptors, which
 *     ProcessBuilder cannot give a child (it passes only stdin, stdout and stderr);</li>
 * <li>{@link #start}: a child with its stdio from and to files, as a {@link Process}. The JDK
 *     starts a child through its {@code jspawnhelper} (a second exec and a handshake over a
 *     pipe): 2 to 4 ms median per start on a busy two-core node, on every pod start's path,
 *     against about 1.5 ms here (0.3 ms on an idle machine).</li>
 * </ul>
 * Children get no other descriptor of the JVM and an empty signal mask. Stateless, so
 * thread-safe; a spawn blocks its carrier thread until the child has exec'd.
 */
public final class Spawn {

    /** The descriptor number the child finds the inherited descriptor at. */
    public static final int INHERITED_FD = 3;

    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;
    private static final int O_RDONLY = 0;
    private static final int O_RDWR = 2;
    private static final int O_WRONLY_CREAT_APPEND = 01 | 0100 | 02000;
    /** What ProcessBuilder's appendTo creates a missing file with (less the umask). */
    private static final int NEW_FILE_MODE = 0666;
    /** The JVM's environment, which ProcessBuilder's children get too. */
    private static final List<String> ENVIRONMENT = System.getenv().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue()).toList();
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
        int pid = spawn(argv, env, (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK), (arena, actions) -> {
            check("addopen", (int) ADD_OPEN.invokeExact(actions, 0, arena.allocateFrom("/dev/null"), O_RDWR, 0));
            check("adddup2", (int) ADD_DUP2.invokeExact(actions, 0, 1));
            check("adddup2", (int) ADD_DUP2.invokeExact(actions, 0, 2));
            check("adddup2", (int) ADD_DUP2.invokeExact(actions, inherited.value(), INHERITED_FD));
            check("addclosefrom", (int) ADD_CLOSEFROM.invokeExact(actions, INHERITED_FD + 1));
        });
        return waitFor(pid);
    }

    /**
     * Starts {@code argv} (an absolute program path first) in the JVM's session and environment,
     * its stdin read from {@code stdin} and its stdout and stderr appended to files (created when
     * missing), as ProcessBuilder's {@code redirectInput(file)} and {@code appendTo(file)} do.
     * Returns once the child has exec'd the program. A platform thread waits for (and reaps) the
     * child; the returned process's streams are empty, as those of redirected ones are.
     *
     * @throws LinuxCallException when the child could not be made or the program not run (ENOENT, EACCES, ...)
     */
    public static Process start(List<String> argv, Path stdin, Path stdout, Path stderr) {
        int pid = spawn(argv, ENVIRONMENT, POSIX_SPAWN_SETSIGMASK, (arena, actions) -> {
            check("addopen", (int) ADD_OPEN.invokeExact(actions, 0, arena.allocateFrom(stdin.toString()), O_RDONLY,
                    0));
            check("addopen", (int) ADD_OPEN.invokeExact(actions, 1, arena.allocateFrom(stdout.toString()),
                    O_WRONLY_CREAT_APPEND, NEW_FILE_MODE));
            check("addopen", (int) ADD_OPEN.invokeExact(actions, 2, arena.allocateFrom(stderr.toString()),
                    O_WRONLY_CREAT_APPEND, NEW_FILE_MODE));
            check("addclosefrom", (int) ADD_CLOSEFROM.invokeExact(actions, 3));
        });
        return new SpawnedProcess(pid);
    }

    /** Adds a spawn's file actions (its descriptors), with the spawn's arena for the paths. */
    @FunctionalInterface
    private interface FileActions {
        void add(Arena arena, MemorySegment actions) throws Throwable;
    }

    /** posix_spawn of {@code argv} with the file actions, {@code flags} and an empty signal mask; its pid. */
    private static int spawn(List<String> argv, List<String> env, short flags, FileActions fileActions) {
        if (argv.isEmpty() || !argv.getFirst().startsWith("/")) {
            throw new IllegalArgumentException("not an absolute program path: " + argv);
        }
        try (var arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(OPAQUE_SIZE);
            MemorySegment attributes = arena.allocate(OPAQUE_SIZE);
            check("posix_spawn_file_actions_init", (int) ACTIONS_INIT.invokeExact(actions));
            check("posix_spawnattr_init", (int) ATTR_INIT.invokeExact(attributes));
            try {
                fileActions.add(arena, actions);
                check("setflags", (int) ATTR_FLAGS.invokeExact(attributes, flags));
                check("setsigmask", (int) ATTR_SIGMASK.invokeExact(attributes, arena.allocate(SIGSET_SIZE)));
                MemorySegment pid = arena.allocate(JAVA_INT);
                check("posix_spawn(" + argv.getFirst() + ")", (int) POSIX_SPAWN.invokeExact(pid,
                        arena.allocateFrom(argv.getFirst()), actions, attributes, strings(arena, argv),
                        strings(arena, env)));
                return pid.get(JAVA_INT, 0);
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

    /** Waits for the child {@code pid} and reaps it: its exit status, or 128 + the signal that ended it. */
    static int waitFor(int pid) {
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
