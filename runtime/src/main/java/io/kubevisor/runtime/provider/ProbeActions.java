package io.kubevisor.runtime.provider;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.kubevisor.node.provider.PodRef;
import io.kubevisor.runtime.net.NetnsExecResult;
import io.kubevisor.runtime.net.PodNetwork;
import io.kubevisor.runtime.sandbox.ContainerHandle;
import io.kubevisor.runtime.sandbox.SandboxExec;
import io.kubevisor.runtime.sandbox.SandboxRuntime;

/**
 * Runs one probe as the kubelet does: exec in the container (exit code 0 succeeds), httpGet to the
 * pod's IP (or the probe's host) from the node's side of the pod network (a status of 200-399
 * succeeds), tcpSocket as a connect. The HTTP and TCP checks run the host's static busybox
 * ({@code wget}, {@code nc}) in the pod's bridge namespace: the pod's own netns is the sandbox's
 * (its network stack took eth0 over), so the pod is reached as the kubelet reaches it, by its IP.
 * Thread-safe.
 */
final class ProbeActions {

    /** A probe's verdict and what it printed (the event's message when it failed). */
    record Result(boolean success, String output) {
    }

    /** An exec's outcome. */
    record ExecResult(int exitCode, String output, boolean timedOut) {
    }

    private static final Pattern STATUS = Pattern.compile("HTTP/\\d(?:\\.\\d)? (\\d{3})");
    private static final int MAX_OUTPUT = 10 * 1024;

    private final SandboxRuntime runtime;
    private final PodNetwork network;
    private final Path busybox;

    ProbeActions(SandboxRuntime runtime, PodNetwork network, Path busybox) {
        this.runtime = runtime;
        this.network = network;
        this.busybox = busybox;
    }

    Result run(Probe p, Container c, ContainerHandle h, PodRef pod, String podIp, Duration timeout) {
        if (p.getExec() != null) {
            if (!(runtime instanceof SandboxExec exec)) {
                return new Result(false, "exec probes are not supported by this runtime");
            }
            List<String> cmd = FieldRefs.nz(p.getExec().getCommand());
            try {
                ExecResult r = execWithTimeout(exec, h, cmd, timeout);
                if (r.timedOut()) {
                    return new Result(false, "command \"" + String.join(" ", cmd) + "\" timed out");
                }
                return new Result(r.exitCode() == 0, r.output());
            } catch (RuntimeException e) {
                return new Result(false, e.getMessage());
            }
        }
        if (p.getHttpGet() != null) {
            var g = p.getHttpGet();
            String host = g.getHost() == null || g.getHost().isEmpty() ? podIp : g.getHost();
            int port = port(g.getPort(), c);
            String path = g.getPath() == null || g.getPath().isEmpty() ? "/" : g.getPath();
            if (!path.startsWith("/")) {
                path = "/" + path;
            }
            boolean https = "HTTPS".equalsIgnoreCase(g.getScheme());
            String url = (https ? "https" : "http") + "://" + host + ":" + port + path;
            List<String> cmd = new ArrayList<>(List.of(busybox.toString(), "wget", "-q", "-S", "-O", "/dev/null",
                    "-U", "kube-probe/1.33"));
            for (var header : FieldRefs.nz(g.getHttpHeaders())) {
                cmd.add("--header");
                cmd.add(header.getName() + ": " + header.getValue());
            }
            if (https) {
                cmd.add("--no-check-certificate");
            }
            cmd.add(url);
            NetnsExecResult r = network.runBesidePod(pod.uid(), cmd, timeout);
            if (r.timedOut()) {
                return new Result(false, "Get \"" + url + "\": context deadline exceeded (Client.Timeout exceeded "
                        + "while awaiting headers)");
            }
            String code = null;
            Matcher m = STATUS.matcher(r.stderr());
            while (m.find()) {
                code = m.group(1);
            }
            if (r.exitCode() == 0) {
                return new Result(true, "");
            }
            if (code != null) {
                return new Result(false, "HTTP probe failed with statuscode: " + code);
            }
            if (r.stderr().contains("Connection refused")) {
                return new Result(false, "Get \"" + url + "\": dial tcp " + host + ":" + port
                        + ": connect: connection refused");
            }
            return new Result(false, "Get \"" + url + "\": " + r.stderr().strip());
        }
        if (p.getTcpSocket() != null) {
            var t = p.getTcpSocket();
            String host = t.getHost() == null || t.getHost().isEmpty() ? podIp : t.getHost();
            int port = port(t.getPort(), c);
            long secs = Math.max(1, timeout.toSeconds());
            NetnsExecResult r = network.runBesidePod(pod.uid(), List.of(busybox.toString(), "nc", "-w",
                    Long.toString(secs), host, Integer.toString(port), "-e", "/bin/true"), timeout.plusSeconds(1));
            if (r.exitCode() == 0 && !r.timedOut()) {
                return new Result(true, "");
            }
            String why = r.timedOut() || r.stderr().contains("timed out") ? "i/o timeout" : "connect: connection refused";
            return new Result(false, "dial tcp " + host + ":" + port + ": " + why);
        }
        if (p.getGrpc() != null) {
            return new Result(false, "grpc probes are not supported on this node");
        }
        return new Result(false, "probe has no action");
    }

    /** A named port is looked up among the container's ports. */
    static int port(IntOrString port, Container c) {
        if (port == null) {
            throw new IllegalArgumentException("probe has no port");
        }
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        String name = port.getStrVal();
        for (ContainerPort p : FieldRefs.nz(c.getPorts())) {
            if (name.equals(p.getName())) {
                return p.getContainerPort();
            }
        }
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("couldn't find port: " + name + " in " + c.getName());
        }
    }

    /** Runs a command in a container, giving up (and killing it) after {@code timeout}. */
    static ExecResult execWithTimeout(SandboxExec exec, ContainerHandle h, List<String> cmd, Duration timeout) {
        var out = new Bounded();
        int[] rc = {-1};
        RuntimeException[] failure = {null};
        Thread t = Thread.ofVirtual().name("probe-exec").start(() -> {
            try {
                rc[0] = exec.exec(h, cmd, List.of(), false, null, out, out);
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        });
        try {
            if (!t.join(timeout.isPositive() ? timeout : Duration.ofSeconds(1))) {
                t.interrupt();
                t.join(Duration.ofSeconds(10));
                return new ExecResult(-1, out.text(), true);
            }
        } catch (InterruptedException e) {
            t.interrupt();
            Thread.currentThread().interrupt();
            return new ExecResult(-1, out.text(), true);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return new ExecResult(rc[0], out.text(), false);
    }

    /** Keeps the first 10 KiB of a probe's output, as the kubelet does. */
    private static final class Bounded extends OutputStream {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (buf.size() < MAX_OUTPUT) {
                buf.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int n = Math.min(len, MAX_OUTPUT - buf.size());
            if (n > 0) {
                buf.write(b, off, n);
            }
        }

        synchronized String text() {
            return buf.toString(StandardCharsets.UTF_8);
        }
    }
}
