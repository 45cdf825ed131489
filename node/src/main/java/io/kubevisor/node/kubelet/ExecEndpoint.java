package io.kubevisor.node.kubelet;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.api.Json;
import io.kubevisor.http.HttpExchange;
import io.kubevisor.http.WebSocketSession;
import io.kubevisor.node.provider.ContainerExec;
import io.kubevisor.node.provider.PodRef;
import io.kubevisor.node.provider.ProviderException;
import io.kubevisor.node.provider.StreamIo;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /exec/{ns}/{pod}[/{uid}]/{container}?command=..&stdin&stdout&stderr&tty} and
 * {@code /attach/...} over a WebSocket with {@code v5.channel.k8s.io} or {@code v4.channel.k8s.io}:
 * channels 0 stdin, 1 stdout, 2 stderr, 3 status (a metav1.Status, then a Close frame), 4 resize,
 * and in v5 255 to close a channel. SPDY is not served here: the API server speaks it to kubectl
 * and WebSocket to the node. Stateless; one call per request.
 */
final class ExecEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(ExecEndpoint.class);

    private ExecEndpoint() {
    }

    static void serve(HttpExchange ex, Query q, boolean attach, PodRef pod, String container, ContainerExec exec) {
        List<String> command = q.all("command");
        if (!attach && command.isEmpty()) {
            Replies.status(ex, 400, "BadRequest", "you must specify at least one command for the container");
            return;
        }
        boolean stdin = q.flag("stdin");
        boolean stdout = q.flag("stdout");
        boolean tty = q.flag("tty");
        boolean stderr = q.flag("stderr") && !tty;
        if (!stdin && !stdout && !stderr) {
            Replies.status(ex, 400, "BadRequest", "you must specify at least 1 of stdin, stdout, stderr");
            return;
        }
        if (!ex.wantsWebSocket()) {
            Replies.status(ex, 400, "BadRequest",
                    "this node serves exec and attach over WebSocket (" + Subprotocols.V5 + ", " + Subprotocols.V4
                            + ") only");
            return;
        }
        String protocol = Subprotocols.choose(Subprotocols.offered(ex), List.of(Subprotocols.V5, Subprotocols.V4));
        if (protocol == null) {
            Replies.status(ex, 400, "BadRequest", "no supported WebSocket subprotocol offered; this node speaks "
                    + Subprotocols.V5 + " and " + Subprotocols.V4);
            return;
        }
        WebSocketSession ws = ex.upgradeToWebSocket(protocol);
        if (ws == null) {
            Replies.status(ex, 400, "BadRequest", "cannot upgrade this request to a WebSocket");
            return;
        }
        var resize = tty ? new LinkedBlockingQueue<StreamIo.TerminalSize>() : null;
        ChannelStreams streams = new ChannelStreams(ws, protocol.equals(Subprotocols.V5), resize);
        StreamIo io = new StreamIo(stdin ? streams.input(ChannelStreams.STDIN) : null,
                stdout ? streams.output(ChannelStreams.STDOUT) : null,
                stderr ? streams.output(ChannelStreams.STDERR) : null, tty, resize);
        AtomicBoolean finished = new AtomicBoolean();
        Thread worker = Thread.currentThread();
        // A client that goes away mid-command must not leave the provider blocked on our streams.
        ws.onClose(() -> {
            if (!finished.get()) {
                worker.interrupt();
            }
        });
        ObjectNode status;
        try {
            int code = attach ? exec.attach(pod, container, io) : exec.exec(pod, container, command, io);
            status = code == 0 || (attach && code == -1) ? success() : nonZeroExit(code, command);
            LOG.info("event={} pod={} container={} exit_code={}", attach ? "attach_done" : "exec_done", pod,
                    container, code);
        } catch (RuntimeException e) {
            // ProviderException carries a message for the user; anything else is a provider bug.
            status = Replies.failure(500, "InternalError", e instanceof ProviderException || e.getMessage() != null
                    ? e.getMessage() : e.toString());
            status.remove("kind");
            status.remove("apiVersion");
            LOG.info("event=exec_failed pod={} container={} cause=\"{}\"", pod, container, e.getMessage());
        } finally {
            finished.set(true);
            Thread.interrupted();
        }
        try {
            flush(io.stdout());
            flush(io.stderr());
            streams.send(ChannelStreams.STATUS, Json.bytes(status));
        } catch (IOException e) {
            LOG.debug("event=exec_client_gone pod={} container={}", pod, container);
        }
        ws.close(1000, "");
    }

    private static void flush(OutputStream out) throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    static ObjectNode success() {
        ObjectNode s = Json.object();
        s.putObject("metadata");
        s.put("status", "Success");
        return s;
    }

    /** The Status kubectl turns into "command terminated with exit code N" and exit code N. */
    static ObjectNode nonZeroExit(int code, List<String> command) {
        ObjectNode s = Json.object();
        s.putObject("metadata");
        s.put("status", "Failure");
        s.put("message", "command terminated with non-zero exit code: command " + command + " exited with " + code);
        s.put("reason", "NonZeroExitCode");
        s.putObject("details").putArray("causes").addObject().put("reason", "ExitCode")
                .put("message", Integer.toString(code));
        return s;
    }
}
