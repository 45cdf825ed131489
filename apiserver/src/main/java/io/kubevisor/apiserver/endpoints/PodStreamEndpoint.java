package io.kubevisor.apiserver.endpoints;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.kubevisor.api.ApiException;
import io.kubevisor.apiserver.nodeproxy.KubeletClient;
import io.kubevisor.apiserver.nodeproxy.KubeletSocket;
import io.kubevisor.apiserver.nodeproxy.PortForwardBridge;
import io.kubevisor.apiserver.nodeproxy.RemoteCommandBridge;
import io.kubevisor.apiserver.nodeproxy.WebSocketRelay;
import io.kubevisor.apiserver.request.Query;
import io.kubevisor.http.ResponseStream;
import io.kubevisor.http.WebSocketSession;
import io.kubevisor.http.spdy.SpdyOptions;
import io.kubevisor.http.spdy.SpdySession;
import io.kubevisor.http.spdy.SpdyUpgrade;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code pods/log}, {@code pods/exec}, {@code pods/attach} and {@code pods/portforward}: checked
 * here (pod scheduled, container valid), then served by the node the pod runs on, through its
 * kubelet endpoint. Logs stream through. exec and attach over WebSocket (kubectl ≥ 1.30) relay the
 * channels as they are; over SPDY/3.1 (older kubectl) they are translated to the kubelet's
 * WebSocket channels ({@link RemoteCommandBridge}). port-forward is always SPDY from kubectl,
 * plain or tunnelled in a WebSocket, and is translated to one kubelet port-forward WebSocket per
 * forwarded connection ({@link PortForwardBridge}).
 */
final class PodStreamEndpoint {

    private static final List<String> LOG_PARAMS = List.of("follow", "previous", "sinceSeconds", "sinceTime",
            "timestamps", "tailLines", "limitBytes");
    private static final List<String> EXEC_PARAMS = List.of("command", "stdin", "stdout", "stderr", "tty");

    private final KubeletClient kubelet;
    private final Function<String, Optional<ObjectNode>> nodes;

    /**
     * @param kubelet the API server's kubelet client, or null when it has none (streams are a 503)
     * @param nodes   looks a Node up by name
     */
    PodStreamEndpoint(KubeletClient kubelet, Function<String, Optional<ObjectNode>> nodes) {
        this.kubelet = kubelet;
        this.nodes = nodes;
    }

    void serve(ResourceContext ctx) throws InterruptedException {
        String sub = ctx.subresource();
        if (kubelet == null) {
            throw new ApiException.ServiceUnavailable("this API server has no connection to nodes");
        }
        ObjectNode pod = ctx.resources().get(ctx.namespace(), ctx.name());
        switch (sub) {
            case "log" -> logs(ctx, pod, container(pod, ctx.query().get("container", ""), ctx.name()), node(pod, ctx));
            case "exec", "attach" -> {
                String container = container(pod, ctx.query().get("container", ""), ctx.name());
                remoteCommand(ctx, container, node(pod, ctx), sub);
            }
            case "portforward" -> portForward(ctx, node(pod, ctx));
            default -> throw ApiException.NotFound.path();
        }
    }

    private static String node(ObjectNode pod, ResourceContext ctx) {
        String node = pod.path("spec").path("nodeName").asString("");
        if (node.isEmpty()) {
            throw new ApiException.BadRequest("pod " + ctx.name() + " does not have a host assigned");
        }
        return node;
    }

    private void logs(ResourceContext ctx, ObjectNode pod, String container, String node) {
        if (!ctx.query().flag("previous")) {
            JsonNode waiting = containerStatus(pod, container).path("state").path("waiting");
            if (waiting.isObject()) {
                throw new ApiException.BadRequest("container \"" + container + "\" in pod \"" + ctx.name()
                        + "\" is waiting to start: " + waiting.path("reason").asString("ContainerCreating"));
            }
        }
        URI uri = base(node).resolve("/containerLogs/" + ctx.namespace() + "/" + ctx.name() + "/" + container
                + query(ctx, LOG_PARAMS));
        try (InputStream in = kubelet.get(uri)) {
            ResponseStream out = ctx.exchange().stream(200, Responses.headers("text/plain"));
            try (out) {
                byte[] buf = new byte[16 * 1024];
                int n;
                while ((n = in.read(buf)) > 0) {
                    byte[] chunk = java.util.Arrays.copyOf(buf, n);
                    if (!out.write(chunk)) {
                        break;
                    }
                }
            }
        } catch (IOException e) {
            // the node or the client went away mid-stream: the response simply ends
        }
    }

    /** exec/attach: a WebSocket client is relayed as is; a SPDY client is translated. */
    private void remoteCommand(ResourceContext ctx, String container, String node, String sub)
            throws InterruptedException {
        Query q = ctx.query();
        if (!q.flag("stdin") && !q.flag("stdout") && !q.flag("stderr")) {
            throw new ApiException.BadRequest("you must specify at least 1 of stdin, stdout, stderr");
        }
        URI uri = base(node).resolve("/" + sub + "/" + ctx.namespace() + "/" + ctx.name() + "/" + container
                + query(ctx, EXEC_PARAMS));
        URI ws = URI.create("wss" + uri.toString().substring("https".length()));
        if (ctx.exchange().wantsWebSocket()) {
            relay(ctx, ws);
        } else if (SpdyUpgrade.requested(ctx.exchange().headers())) {
            spdyRemoteCommand(ctx, ws);
        } else {
            throw new ApiException.BadRequest("Upgrade request required");
        }
    }

    private void relay(ResourceContext ctx, URI ws) throws InterruptedException {
        String protocol = negotiate(ctx.exchange().headers().get("Sec-WebSocket-Protocol"));
        WebSocketRelay relay = new WebSocketRelay();
        WebSocket nodeSide = kubelet.websocket(ws, protocol, relay);
        WebSocketSession clientSide = ctx.exchange().upgradeToWebSocket(protocol);
        if (clientSide == null) {
            nodeSide.abort();
            throw new ApiException.BadRequest("the connection cannot be upgraded to a WebSocket");
        }
        relay.connect(nodeSide, clientSide);
        try {
            relay.done().get();
        } catch (java.util.concurrent.ExecutionException e) {
            // ended: nothing more to do
        }
    }

    private void spdyRemoteCommand(ResourceContext ctx, URI ws) throws InterruptedException {
        String protocol = spdyProtocol(ctx, RemoteCommandBridge.SPDY_PROTOCOLS);
        // The node first: its refusal (no such container, not running) is still an HTTP answer.
        KubeletSocket nodeSide = KubeletSocket.open(kubelet, ws, RemoteCommandBridge.KUBELET_PROTOCOLS);
        SpdySession clientSide = SpdyUpgrade.upgrade(ctx.exchange(), protocol, SpdyOptions.defaults());
        if (clientSide == null) {
            nodeSide.abort();
            throw new ApiException.BadRequest("the connection cannot be upgraded to SPDY/3.1");
        }
        Query q = ctx.query();
        var streams = new RemoteCommandBridge.Streams(q.flag("stdin"), q.flag("stdout"), q.flag("stderr"), q.flag("tty"));
        new RemoteCommandBridge(clientSide, nodeSide, streams, RemoteCommandBridge.STREAM_CREATION_TIMEOUT).run();
    }

    /** port-forward: SPDY, plain or tunnelled in a WebSocket, each connection to its own kubelet socket. */
    private void portForward(ResourceContext ctx, String node) throws InterruptedException {
        var headers = ctx.exchange().headers();
        SpdySession session;
        if (ctx.exchange().wantsWebSocket()) {
            String subprotocol = SpdyUpgrade.tunnelSubprotocol(headers, List.of(PortForwardBridge.PROTOCOL))
                    .orElseThrow(() -> new ApiException.BadRequest("port-forward over WebSocket needs the subprotocol "
                            + SpdyUpgrade.TUNNEL_PREFIX + PortForwardBridge.PROTOCOL));
            session = SpdyUpgrade.upgradeTunnel(ctx.exchange(), subprotocol, SpdyOptions.defaults());
        } else if (SpdyUpgrade.requested(headers)) {
            String protocol = spdyProtocol(ctx, List.of(PortForwardBridge.PROTOCOL));
            session = SpdyUpgrade.upgrade(ctx.exchange(), protocol, SpdyOptions.defaults());
        } else {
            throw new ApiException.BadRequest("Upgrade request required");
        }
        if (session == null) {
            throw new ApiException.BadRequest("the connection cannot be upgraded");
        }
        URI base = base(node);
        String path = "/portForward/" + ctx.namespace() + "/" + ctx.name();
        new PortForwardBridge(session, port -> KubeletSocket.open(kubelet,
                // "port" as the kubelet reads it; "ports" too, for node agents that took the plural
                URI.create("wss" + base.resolve(path + "?port=" + port + "&ports=" + port).toString()
                        .substring("https".length())),
                List.of("v4.channel.k8s.io"))).run();
    }

    /** The client's first X-Stream-Protocol-Version we speak; a 400 as Kubernetes words it otherwise. */
    private static String spdyProtocol(ResourceContext ctx, List<String> supported) {
        List<String> offered = SpdyUpgrade.offered(ctx.exchange().headers());
        if (offered.isEmpty()) {
            throw new ApiException.BadRequest("unable to upgrade: " + SpdyUpgrade.PROTOCOL_HEADER + " is required");
        }
        return SpdyUpgrade.negotiate(offered, supported).orElseThrow(() -> new ApiException.BadRequest(
                "unable to upgrade: unable to negotiate protocol: client supports " + offered + ", server accepts "
                        + supported));
    }

    private static String negotiate(String offered) {
        if (offered != null) {
            List<String> client = new ArrayList<>();
            for (String p : offered.split(",")) {
                client.add(p.trim());
            }
            for (String p : KubeletClient.CHANNEL_PROTOCOLS) {
                if (client.contains(p)) {
                    return p;
                }
            }
        }
        throw new ApiException.BadRequest("none of the offered WebSocket subprotocols is supported; use one of "
                + KubeletClient.CHANNEL_PROTOCOLS);
    }

    /** The container the request names, or the pod's only container; errors as Kubernetes words them. */
    static String container(ObjectNode pod, String requested, String podName) {
        List<String> containers = names(pod.path("spec").path("containers"));
        List<String> init = names(pod.path("spec").path("initContainers"));
        if (requested.isEmpty()) {
            if (containers.size() == 1) {
                return containers.getFirst();
            }
            String msg = "a container name must be specified for pod " + podName + ", choose one of: "
                    + "[" + String.join(" ", containers) + "]";
            if (!init.isEmpty()) {
                msg += " or one of the init containers: [" + String.join(" ", init) + "]";
            }
            throw new ApiException.BadRequest(msg);
        }
        if (!containers.contains(requested) && !init.contains(requested)
                && !names(pod.path("spec").path("ephemeralContainers")).contains(requested)) {
            throw new ApiException.BadRequest("container " + requested + " is not valid for pod " + podName);
        }
        return requested;
    }

    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : list) {
            out.add(c.path("name").asString(""));
        }
        return out;
    }

    private static JsonNode containerStatus(ObjectNode pod, String container) {
        for (String list : List.of("containerStatuses", "initContainerStatuses")) {
            for (JsonNode s : pod.path("status").path(list)) {
                if (s.path("name").asString("").equals(container)) {
                    return s;
                }
            }
        }
        return tools.jackson.databind.node.MissingNode.getInstance();
    }

    private URI base(String nodeName) {
        return kubeletBase(nodes.apply(nodeName).orElseThrow(() -> new ApiException.NotFound("", "nodes", nodeName)));
    }

    /** https://&lt;InternalIP&gt;:&lt;kubelet port&gt; of a node. */
    static URI kubeletBase(ObjectNode node) {
        String nodeName = node.path("metadata").path("name").asString("");
        String address = null;
        for (JsonNode a : node.path("status").path("addresses")) {
            String type = a.path("type").asString("");
            if (type.equals("InternalIP") || address == null && type.equals("Hostname")) {
                address = a.path("address").asString("");
            }
        }
        if (address == null || address.isEmpty()) {
            throw new ApiException.InternalError("node " + nodeName + " has no address");
        }
        int port = node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(10250);
        String host = address.contains(":") ? "[" + address + "]" : address;
        return URI.create("https://" + host + ":" + port);
    }

    private static String query(ResourceContext ctx, List<String> allowed) {
        StringBuilder sb = new StringBuilder();
        for (String name : allowed) {
            for (String v : ctx.query().all(name)) {
                sb.append(sb.isEmpty() ? '?' : '&').append(name).append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        return sb.toString();
    }
}
