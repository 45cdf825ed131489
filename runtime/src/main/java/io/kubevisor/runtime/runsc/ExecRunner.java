package io.kubevisor.runtime.runsc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.api.Json;
import io.kubevisor.runtime.sandbox.TerminalSize;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs a process in a container with {@code runsc exec}: the container's environment, working
 * directory and user, stdio piped to the caller's streams, the exit code passed through. runsc
 * answers 128 and prints why when the command cannot start (e.g. {@code failed to load
 * /bin/nonexistent: no such file or directory}); that becomes a {@link RunscException}.
 *
 * <p>With a tty the process gets a terminal: runsc runs it from a {@code process.json} with
 * {@code terminal: true} and, having no console socket, hands its own stdin terminal to the
 * sandbox — so runsc itself runs under {@code script}, which gives it a pseudo-terminal on the
 * host whose other end is piped to the caller (stderr is merged, as on any terminal). The
 * client's terminal sizes are set on that host terminal ({@link TerminalResizer}), which the
 * sandbox reads its size from.
 */
final class ExecRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ExecRunner.class);
    private static final String CANNOT_START = "executing processes for container";

    private final Runsc runsc;

    ExecRunner(Runsc runsc) {
        this.runsc = runsc;
    }

    /** @param resizes with a tty, the client's terminal sizes (or null: the terminal keeps its size) */
    int exec(SandboxRecord sandbox, ContainerEntry entry, List<String> command, List<String> env, boolean tty,
             InputStream stdin, OutputStream stdout, OutputStream stderr, BlockingQueue<TerminalSize> resizes) {
        ContainerRecord r = entry.record();
        if (!ContainerRecord.RUNNING.equals(r.status()) || entry.isExited()) {
            throw new RunscException("container " + r.id() + " is not running");
        }
        return run(sandbox, r, command, env, tty, stdin, stdout, stderr, resizes);
    }

    /**
     * Runs a busybox applet where it shares the pod's network stack, loopback included: in a
     * pause-rooted sandbox in the pause container, whose root holds only {@code /bin/busybox}; in
     * a single-container sandbox in its running container, as that container's user, from the
     * copy mounted at {@link OciBundle#HELPER_BUSYBOX} (the image need not have a busybox).
     *
     * @param applet  the applet and its arguments
     * @param running the single-container sandbox's running container; ignored for a pause-rooted one
     */
    int execHelper(SandboxRecord sandbox, ContainerEntry running, List<String> applet, InputStream stdin,
                   OutputStream stdout, OutputStream stderr) {
        ContainerRecord where;
        var argv = new ArrayList<String>();
        if (sandbox.singleContainer()) {
            if (running == null || running.isExited()) {
                throw new RunscException("sandbox " + sandbox.id() + " runs no container");
            }
            where = running.record();
            argv.add(OciBundle.HELPER_BUSYBOX);
        } else {
            where = new ContainerRecord(sandbox.id(), sandbox.id(), java.util.Map.of(), null, List.of(), "/", 0, 0,
                    ContainerRecord.RUNNING, null, null, 0, false);
            argv.add("/bin/busybox");
        }
        argv.addAll(applet);
        return run(sandbox, where, argv, List.of(), false, stdin, stdout, stderr, null);
    }

    private int run(SandboxRecord sandbox, ContainerRecord r, List<String> command, List<String> env, boolean tty,
                    InputStream stdin, OutputStream stdout, OutputStream stderr, BlockingQueue<TerminalSize> resizes) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        var args = new ArrayList<String>(List.of("exec"));
        args.add("--cwd");
        args.add(r.workingDir() == null || r.workingDir().isEmpty() ? "/" : r.workingDir());
        if (r.uid() >= 0) {
            args.add("--user");
            args.add(r.uid() + (r.gid() >= 0 ? ":" + r.gid() : ""));
        }
        boolean hasPath = false;
        for (String e : concat(r.env(), env)) {
            args.add("--env");
            args.add(e);
            hasPath |= e.startsWith("PATH=");
        }
        if (!hasPath) {
            args.add("--env");
            args.add(OciBundle.DEFAULT_PATH);
        }
        args.add(r.id());
        args.addAll(command);
        boolean merge = tty || stderr == null;
        Path processJson = null;
        List<String> argv;
        if (tty) {
            processJson = writeProcessJson(r, command, env);
            argv = Runsc.onTerminal(runsc.command(sandbox.network(), List.of("exec", "--process", processJson.toString(),
                    r.id())));
        } else {
            argv = runsc.command(sandbox.network(), args);
        }
        var pb = new ProcessBuilder(argv).redirectErrorStream(merge);
        if (stdin == null) {
            pb.redirectInput(Runsc.DEV_NULL);
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new RunscException("cannot run runsc exec: " + e.getMessage(), e);
        }
        var errTail = new Tail();
        Thread in = stdin == null ? null : Thread.ofVirtual().start(() -> feed(stdin, p.getOutputStream()));
        Thread out = Thread.ofVirtual().start(() -> copy(p.getInputStream(), stdout, merge ? errTail : null));
        Thread err = merge ? null : Thread.ofVirtual().start(() -> copy(p.getErrorStream(), stderr, errTail));
        Thread resizer = tty && resizes != null ? TerminalResizer.follow(p, resizes) : null;
        int rc;
        try {
            rc = p.waitFor();
            // A background process inside may hold the pipes open: give the copiers a moment, then stop.
            out.join(2000);
            if (err != null) {
                err.join(2000);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new RunscException("exec interrupted", e);
        } finally {
            closeQuietly(p.getInputStream());
            closeQuietly(p.getErrorStream());
            if (in != null) {
                in.interrupt();
            }
            if (resizer != null) {
                resizer.interrupt();
            }
            deleteQuietly(processJson);
        }
        if (rc == 128 && errTail.text().contains(CANNOT_START)) {
            String msg = errTail.text().strip();
            int i = msg.lastIndexOf(CANNOT_START);
            throw new RunscException(msg.substring(i).replace('\n', ' '));
        }
        return rc;
    }

    /**
     * The OCI process of an exec with a terminal: what the flags say otherwise (arguments,
     * environment with a PATH and TERM, working directory, user).
     */
    private static Path writeProcessJson(ContainerRecord r, List<String> command, List<String> env) {
        ObjectNode process = Json.object();
        process.put("terminal", true);
        ObjectNode user = process.putObject("user");
        user.put("uid", Math.max(0, r.uid()));
        user.put("gid", Math.max(0, r.gid()));
        ArrayNode args = process.putArray("args");
        command.forEach(args::add);
        ArrayNode envs = process.putArray("env");
        boolean hasPath = false;
        boolean hasTerm = false;
        for (String e : concat(r.env(), env)) {
            envs.add(e);
            hasPath |= e.startsWith("PATH=");
            hasTerm |= e.startsWith("TERM=");
        }
        if (!hasPath) {
            envs.add(OciBundle.DEFAULT_PATH);
        }
        if (!hasTerm) {
            envs.add("TERM=xterm");
        }
        process.put("cwd", r.workingDir() == null || r.workingDir().isEmpty() ? "/" : r.workingDir());
        try {
            Path file = Files.createTempFile("kubevisor-exec-", ".json");
            Files.writeString(file, Json.string(process));
            return file;
        } catch (IOException e) {
            throw new RunscException("cannot write the exec's process.json: " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("event=exec-process-json-not-deleted file={} error=\"{}\"", file, e.getMessage());
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        var all = new ArrayList<String>(a == null ? List.of() : a);
        if (b != null) {
            all.addAll(b);
        }
        return all;
    }

    private static void feed(InputStream from, OutputStream to) {
        // Flushed per read: the process's stdin is buffered, and an interactive peer (a shell, a
        // port-forward relay) waits for each chunk rather than for the end of the input.
        try (to) {
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = from.read(buf)) >= 0) {
                to.write(buf, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            LOG.debug("event=exec-stdin-closed error=\"{}\"", e.getMessage());
        }
    }

    private static void copy(InputStream from, OutputStream to, Tail tail) {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = from.read(buf)) > 0) {
                if (tail != null) {
                    tail.add(buf, n);
                }
                to.write(buf, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            LOG.debug("event=exec-stream-closed error=\"{}\"", e.getMessage());
        }
    }

    private static void closeQuietly(InputStream s) {
        try {
            s.close();
        } catch (IOException e) {
            LOG.debug("event=exec-close-failed error=\"{}\"", e.getMessage());
        }
    }

    /** The last bytes of a stream, to find runsc's own message. */
    private static final class Tail {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        synchronized void add(byte[] b, int n) {
            buf.write(b, 0, n);
            if (buf.size() > 8192) {
                byte[] all = buf.toByteArray();
                buf.reset();
                buf.write(all, all.length - 4096, 4096);
            }
        }

        synchronized String text() {
            return buf.toString(StandardCharsets.UTF_8);
        }
    }
}
