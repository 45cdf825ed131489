package io.kubevisor.runtime.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.kubevisor.runtime.net.PodNetworkException.CommandFailed;

/**
 * Runs iproute2's {@code ip}, always in the {@code -n <netns>} form when a namespace is named,
 * each call with a timeout. Stateless apart from its settings, so thread-safe.
 */
final class IpRunner {

    private static final int OUTPUT_LIMIT = 1 << 20;

    private final String ip;
    private final Duration timeout;

    /**
     * The absolute path of a system binary: agents often run with a PATH that lacks the sbin
     * directories. Falls back to the bare name (a PATH lookup).
     */
    static String locate(String name) {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            var p = java.nio.file.Path.of(dir, name);
            if (java.nio.file.Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return name;
    }

    IpRunner(String ip, Duration timeout) {
        this.ip = ip;
        this.timeout = timeout;
    }

    /**
     * Runs {@code ip [-n netns] args...} and returns its stdout.
     *
     * @param netns the network namespace to act in, or null for the agent's own (only for
     *              {@code netns add/del}: links are always created inside a named namespace)
     * @throws CommandFailed on a non-zero exit
     */
    String ip(String netns, String... args) {
        var cmd = new ArrayList<String>();
        cmd.add(ip);
        if (netns != null) {
            cmd.add("-n");
            cmd.add(netns);
        }
        cmd.addAll(List.of(args));
        return check(cmd, run(cmd, null, timeout));
    }

    /**
     * Runs several {@code ip} commands in one process ({@code ip -n netns -batch -}), stopping at
     * the first failure: one process instead of one per command, as each costs a few ms.
     *
     * @throws CommandFailed naming all the commands; the message says which one failed
     */
    void batch(String netns, List<List<String>> commands) {
        var cmd = List.of(ip, "-n", netns, "-batch", "-");
        var script = new StringBuilder();
        for (var c : commands) {
            script.append(String.join(" ", c)).append('\n');
        }
        var shown = new ArrayList<>(cmd);
        shown.add("<<< " + script.toString().strip().replace("\n", "; "));
        check(shown, run(cmd, script.toString().getBytes(StandardCharsets.UTF_8), timeout));
    }

    private String check(List<String> cmd, NetnsExecResult r) {
        if (r.timedOut()) {
            throw new PodNetworkException.CommandTimedOut(cmd, timeout.toMillis());
        }
        if (r.exitCode() != 0) {
            throw new CommandFailed(cmd, r.exitCode(), r.stderr());
        }
        return r.stdout();
    }

    /**
     * Like {@link #ip}, but an error of the given kind counts as done (the object already
     * exists, or is already gone). Returns false in that case.
     */
    boolean ipUnless(CommandFailed.Kind done, String netns, String... args) {
        try {
            ip(netns, args);
            return true;
        } catch (CommandFailed e) {
            if (e.kind() == done) {
                return false;
            }
            throw e;
        }
    }

    /** Runs a command inside a named network namespace; a non-zero exit is a result, not an error. */
    NetnsExecResult exec(String netns, List<String> command, Duration limit) {
        return run(netnsExec(netns, command), null, limit);
    }

    /** Runs a command inside a named network namespace with the command timeout; non-zero exit throws. */
    void execChecked(String netns, List<String> command) {
        var cmd = netnsExec(netns, command);
        check(cmd, run(cmd, null, timeout));
    }

    /** Starts a command inside a named network namespace; the caller owns and must end the process. */
    Process start(String netns, List<String> command) {
        var cmd = netnsExec(netns, command);
        try {
            return new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new PodNetworkException.CommandUnavailable(cmd, e);
        }
    }

    private List<String> netnsExec(String netns, List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        var cmd = new ArrayList<String>(command.size() + 4);
        cmd.addAll(List.of(ip, "netns", "exec", netns));
        cmd.addAll(command);
        return cmd;
    }

    private static NetnsExecResult run(List<String> cmd, byte[] stdin, Duration limit) {
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new PodNetworkException.CommandUnavailable(cmd, e);
        }
        try {
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            var out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()), Thread::startVirtualThread);
            var err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()), Thread::startVirtualThread);
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                // Children first: "ip netns exec timeout 3 wget" leaves wget behind otherwise.
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new NetnsExecResult(-1, text(out), text(err), true);
            }
            return new NetnsExecResult(p.exitValue(), text(out), text(err), false);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", cmd), e);
        } catch (IOException e) {
            p.destroyForcibly();
            throw new UncheckedIOException(e);
        }
    }

    private static String text(CompletableFuture<String> f) throws InterruptedException {
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // A grandchild still holds the pipe open; the output so far is not worth a hang.
            return "";
        }
    }

    private static String drain(InputStream in) {
        var buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                if (buf.size() < OUTPUT_LIMIT) {
                    buf.write(chunk, 0, Math.min(n, OUTPUT_LIMIT - buf.size()));
                }
            }
        } catch (IOException e) {
            // The process was killed; keep what arrived.
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
