package io.kubevisor.runtime.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/** The one pseudo-terminal question the runtime asks itself. Stateless, so thread-safe. */
public final class PtyCalls {

    private static final long TIOCGPTN = 0x80045430L;
    // ioctl(2) is variadic: the argument pointer is its first variadic argument.
    private static final MethodHandle IOCTL = LinuxCalls.downcall("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));

    private PtyCalls() {
    }

    /** The path of the terminal whose master {@code master} is ({@code /dev/pts/N}, by TIOCGPTN). */
    public static String slavePath(Fd master) {
        try (var arena = Arena.ofConfined()) {
            var number = arena.allocate(JAVA_INT);
            LinuxCalls.call("ioctl(TIOCGPTN)", arena, true,
                    state -> (int) IOCTL.invokeExact(state, master.value(), TIOCGPTN, number));
            return "/dev/pts/" + number.get(JAVA_INT, 0);
        }
    }
}
