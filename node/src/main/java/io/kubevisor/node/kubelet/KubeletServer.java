package io.kubevisor.node.kubelet;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubevisor.api.Json;
import io.kubevisor.http.HttpExchange;
import io.kubevisor.http.HttpServer;
import io.kubevisor.node.NodeAgentConfig;
import io.kubevisor.node.provider.ContainerExec;
import io.kubevisor.node.provider.ContainerLogs;
import io.kubevisor.node.provider.PodProvider;
import io.kubevisor.node.provider.PodRef;
import io.kubevisor.node.provider.PodStats;
import io.kubevisor.node.provider.PortForwarder;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

/**
 * The kubelet's HTTPS endpoint (port 10250), serving what the API server's node proxy and
 * metrics-server ask a kubelet for:
 * <ul>
 *   <li>{@code GET /healthz}: {@code ok} (no credentials needed, as a probe)</li>
 *   <li>{@code GET /pods}: a PodList of the pods this node runs</li>
 *   <li>{@code GET /containerLogs/{ns}/{pod}/{container}}: the log ({@link ContainerLogs})</li>
 *   <li>{@code GET /stats/summary}: usage as stats/v1alpha1 Summary ({@link PodStats})</li>
 *   <li>{@code /exec/...}, {@code /attach/...}: WebSocket channel protocol ({@link ContainerExec})</li>
 *   <li>{@code /portForward/{ns}/{pod}}: WebSocket port-forward protocol ({@link PortForwarder})</li>
 * </ul>
 * Every other path needs a client certificate signed by the configured CA (else 401) that the
 * {@link KubeletAuthorizer} allows (else 403). Paths the provider has no ability for answer 501.
 * Thread-safe; requests run on virtual threads.
 */
public final class KubeletServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KubeletServer.class);
    private static final int MAX_BODY = 1024 * 1024;

    /** The pods the endpoint may reach: those the agent runs. Implementations are thread-safe. */
    public interface PodDirectory {
        /** The running incarnation of {@code namespace/name}, or empty. */
        Optional<PodRef> find(String namespace, String name);

        /** The API objects of the running pods. */
        List<Pod> pods();
    }

    private final String nodeName;
    private final PodProvider provider;
    private final PodDirectory pods;
    private final CallerAuthenticator authenticator;
    private final KubeletAuthorizer authorizer;
    private final Clock clock;
    private final Instant started;
    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private HttpServer server;

    private KubeletServer(String nodeName, PodProvider provider, PodDirectory pods, CallerAuthenticator authenticator,
                          KubeletAuthorizer authorizer, Clock clock) {
        this.nodeName = nodeName;
        this.provider = provider;
        this.pods = pods;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.clock = clock;
        this.started = clock.instant();
    }

    /**
     * Binds and starts serving.
     *
     * @throws IllegalStateException when the port cannot be bound or the TLS material is unusable
     */
    public static KubeletServer start(String nodeName, NodeAgentConfig.KubeletEndpoint endpoint, PodProvider provider,
                                      PodDirectory pods, KubeletAuthorizer authorizer, Clock clock) {
        KubeletServer k = new KubeletServer(nodeName, provider, pods, new CallerAuthenticator(endpoint.clientCas()),
                authorizer, clock);
        try {
            k.server = HttpServer.start(new HttpServer.Options(endpoint.bindAddress(), endpoint.port(), MAX_BODY, 1),
                    tls(endpoint), k::handle);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the kubelet endpoint", e);
        } catch (SSLException e) {
            throw new IllegalStateException("the kubelet's TLS material is unusable: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen on " + endpoint.bindAddress() + ":" + endpoint.port()
                    + ": " + e.getMessage(), e);
        }
        return k;
    }

    static SslContext tls(NodeAgentConfig.KubeletEndpoint endpoint) throws SSLException {
        return SslContextBuilder.forServer(endpoint.servingKey(), endpoint.servingChain().toArray(
                        new java.security.cert.X509Certificate[0]))
                .sslProvider(SslProvider.JDK)
                // Ask for any certificate and verify it per request, so a foreign one is a 401
                // rather than a failed handshake, and /healthz needs none.
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .clientAuth(ClientAuth.OPTIONAL)
                // HTTP/1.1 only: exec, attach and port-forward upgrade to WebSocket, which HTTP/2 cannot.
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_1_1))
                .build();
    }

    /** The bound address (its port when 0 was asked). */
    public InetSocketAddress address() {
        return server.address();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }

    void handle(HttpExchange ex) {
        Query q = Query.parse(ex.uri());
        List<String> s = q.segments();
        String head = s.isEmpty() ? "" : s.getFirst();
        if (head.equals("healthz") && s.size() == 1) {
            Replies.text(ex, 200, "ok");
            return;
        }
        var caller = authenticator.authenticate(ex.peerCertificates(), clock.instant());
        if (caller.isEmpty()) {
            Replies.status(ex, 401, "Unauthorized", "Unauthorized");
            return;
        }
        String subresource = subresource(head);
        String verb = verb(ex.method());
        if (!authorizer.allowed(caller.get().user(), caller.get().groups(), verb, subresource)) {
            Replies.status(ex, 403, "Forbidden", "Forbidden (user=" + caller.get().user() + ", verb=" + verb
                    + ", resource=nodes, subresource(s)=[" + subresource + "])");
            return;
        }
        try {
            route(ex, q, head, s);
        } catch (IllegalArgumentException e) {
            Replies.status(ex, 400, "BadRequest", e.getMessage());
        }
    }

    private void route(HttpExchange ex, Query q, String head, List<String> s) {
        switch (head) {
            case "pods" -> {
                if (s.size() != 1) {
                    notFound(ex);
                    return;
                }
                var list = new PodListBuilder().withNewMetadata().endMetadata().withItems(pods.pods()).build();
                list.setApiVersion("v1");
                list.setKind("PodList");
                Replies.json(ex, 200, serialization.asJson(list).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            case "stats" -> {
                if (s.size() != 2 || !s.get(1).equals("summary")) {
                    notFound(ex);
                    return;
                }
                List<PodStats.PodUsage> usage = provider instanceof PodStats st ? st.usage() : List.of();
                Replies.json(ex, 200, Json.bytes(StatsSummary.of(nodeName, started, clock.instant(), usage)));
            }
            case "containerLogs" -> {
                if (s.size() != 4) {
                    notFound(ex);
                    return;
                }
                if (!(provider instanceof ContainerLogs logs)) {
                    unsupported(ex, "container logs");
                    return;
                }
                withPod(ex, s.get(1), s.get(2), ref -> LogsEndpoint.serve(ex, q, ref, s.get(3), logs, clock.instant()));
            }
            case "exec", "attach" -> {
                // /exec/{ns}/{pod}/{container} or /exec/{ns}/{pod}/{uid}/{container}
                if (s.size() != 4 && s.size() != 5) {
                    notFound(ex);
                    return;
                }
                if (!(provider instanceof ContainerExec exec)) {
                    unsupported(ex, head);
                    return;
                }
                String uid = s.size() == 5 ? s.get(3) : null;
                withPod(ex, s.get(1), s.get(2), uid, ref -> ExecEndpoint.serve(ex, q, head.equals("attach"), ref,
                        s.getLast(), exec));
            }
            case "portForward" -> {
                if (s.size() != 3 && s.size() != 4) {
                    notFound(ex);
                    return;
                }
                if (!(provider instanceof PortForwarder pf)) {
                    unsupported(ex, "port forwarding");
                    return;
                }
                String uid = s.size() == 4 ? s.get(3) : null;
                withPod(ex, s.get(1), s.get(2), uid, ref -> PortForwardEndpoint.serve(ex, q, ref, pf));
            }
            default -> notFound(ex);
        }
    }

    private void withPod(HttpExchange ex, String ns, String name, java.util.function.Consumer<PodRef> then) {
        withPod(ex, ns, name, null, then);
    }

    private void withPod(HttpExchange ex, String ns, String name, String uid, java.util.function.Consumer<PodRef> then) {
        Optional<PodRef> ref = pods.find(ns, name).filter(r -> uid == null || uid.equals(r.uid()));
        if (ref.isEmpty()) {
            Replies.status(ex, 404, "NotFound", "pod \"" + name + "\" in namespace \"" + ns
                    + "\" does not run on node \"" + nodeName + "\"");
            return;
        }
        LOG.debug("event=kubelet_request method={} uri={}", ex.method(), ex.uri());
        then.accept(ref.get());
    }

    private static void notFound(HttpExchange ex) {
        Replies.status(ex, 404, "NotFound", "the server could not find the requested resource");
    }

    private static void unsupported(HttpExchange ex, String what) {
        Replies.status(ex, 501, "NotImplemented", "this node's provider does not support " + what);
    }

    /** The kubelet's mapping of a path to the node subresource it authorizes. */
    static String subresource(String head) {
        return switch (head) {
            case "stats" -> "stats";
            case "metrics" -> "metrics";
            case "logs" -> "log";
            case "spec" -> "spec";
            default -> "proxy";
        };
    }

    static String verb(String method) {
        return switch (method) {
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "get";
        };
    }
}
