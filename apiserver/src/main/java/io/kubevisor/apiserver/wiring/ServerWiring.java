package io.kubevisor.apiserver.wiring;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLException;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.codec.ProtobufCodec;
import io.kubevisor.api.resource.ResourceCatalog;
import io.kubevisor.apiserver.ApiServer;
import io.kubevisor.apiserver.ApiServerConfig;
import io.kubevisor.apiserver.auth.authn.Authenticator;
import io.kubevisor.apiserver.auth.pki.ClusterCa;
import io.kubevisor.apiserver.auth.pki.KeyMaterial;
import io.kubevisor.apiserver.auth.authn.UserInfo;
import io.kubevisor.apiserver.auth.node.NodeAuthorizer;
import io.kubevisor.apiserver.auth.node.NodeIdentity;
import io.kubevisor.apiserver.auth.rbac.Authorizer;
import io.kubevisor.apiserver.auth.rbac.BootstrapPolicy;
import io.kubevisor.apiserver.auth.rbac.RbacAuthorizer;
import io.kubevisor.apiserver.auth.rbac.RulesResolver;
import io.kubevisor.apiserver.auth.rbac.SubjectRules;
import io.kubevisor.apiserver.auth.rbac.UnionAuthorizer;
import io.kubevisor.apiserver.bootstrap.Bootstrap;
import io.kubevisor.apiserver.endpoints.BodyReader;
import io.kubevisor.apiserver.endpoints.SchemaOpenApi;
import io.kubevisor.api.schema.BuiltinSchemas;
import io.kubevisor.api.schema.UnknownFields;
import io.kubevisor.apiserver.endpoints.PrinterTables;
import io.kubevisor.apiserver.endpoints.Responses;
import io.kubevisor.apiserver.housekeeping.Compactor;
import io.kubevisor.apiserver.housekeeping.EventExpiry;
import io.kubevisor.http.HttpExchange;
import io.kubevisor.http.RequestHandler;
import io.kubevisor.apiserver.kinds.Strategies;
import io.kubevisor.apiserver.nodeproxy.KubeletClient;
import io.kubevisor.apiserver.fields.SchemaCanonicalizer;
import io.kubevisor.apiserver.fields.SchemaFieldTracker;
import io.kubevisor.store.Store;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import tools.jackson.databind.node.ObjectNode;

/**
 * Assembles a standard Kubevisor API server over a store: built-in kinds and strategies,
 * printers, protobuf bodies, the Node authorizer then RBAC backed by the server's own objects, and
 * the bootstrap objects.
 * As a {@link RequestHandler} it answers 503 until {@link #serve} has run, so a listener can open
 * before the server knows its port.
 */
public final class ServerWiring implements RequestHandler, AutoCloseable {

    private final Store store;
    private final Authenticator authenticator;
    private final InstantSource clock;
    private volatile ApiServer server;
    private volatile Authorizer authorizer;
    private volatile RulesResolver rulesResolver;
    private RegistryRbacSource rbac;
    private NodeGraphFeed nodeGraph;
    private KubeletClient kubelet;
    private Compactor compactor;
    private EventExpiry eventExpiry;

    private ServerWiring(Store store, Authenticator authenticator, InstantSource clock) {
        this.store = store;
        this.authenticator = authenticator;
        this.clock = clock;
    }

    public static ServerWiring create(Store store, Authenticator authenticator, InstantSource clock) {
        return new ServerWiring(store, authenticator, clock);
    }

    /**
     * Lets the server reach node agents (logs, exec, attach) with this client certificate; without
     * it those subresources answer 503.
     */
    public ServerWiring withKubeletClient(KeyMaterial clientCertificate) {
        this.kubelet = new KubeletClient(clientCertificate);
        return this;
    }

    /** Builds the server, bootstraps its objects and starts answering requests. */
    public ApiServer serve(ApiServerConfig config, ResourceCatalog catalog, String advertiseIp, int advertisePort) {
        BuiltinSchemas schemas = BuiltinSchemas.load();
        BodyReader bodies = new BodyReader(body -> ProtobufCodec.decode(body).object(),
                (gvk, obj) -> schemas.forKind(gvk).map(schema -> UnknownFields.find(schema, obj)).orElse(List.of()));
        Authorizer deferred = a -> authorizer.authorize(a);
        ApiServer s = new ApiServer(config, catalog, new ApiServer.Dependencies(store, schemas, authenticator,
                deferred, new PrinterTables(clock), bodies, new Strategies(), new SchemaFieldTracker(schemas, clock),
                new SchemaCanonicalizer(schemas), new SchemaOpenApi(catalog),
                this::rulesFor, kubelet, clock));
        List<Bootstrap.Ensure> policy = new ArrayList<>();
        for (ObjectNode role : BootstrapPolicy.clusterRoles()) {
            policy.add(new Bootstrap.Ensure("rbac.authorization.k8s.io", "v1", "clusterroles", role));
        }
        for (ObjectNode binding : BootstrapPolicy.clusterRoleBindings()) {
            policy.add(new Bootstrap.Ensure("rbac.authorization.k8s.io", "v1", "clusterrolebindings", binding));
        }
        Bootstrap.run(s, advertiseIp, advertisePort, policy);
        List<io.kubevisor.apiserver.registry.ResourceStore> rbacStores = new ArrayList<>();
        for (String plural : List.of("roles", "rolebindings", "clusterroles", "clusterrolebindings")) {
            rbacStores.add(s.resource("rbac.authorization.k8s.io", "v1", plural).orElseThrow());
        }
        this.rbac = new RegistryRbacSource(rbacStores);
        this.nodeGraph = new NodeGraphFeed(s.resource("", "v1", "pods").orElseThrow());
        // Kubernetes' --authorization-mode=Node,RBAC: what belongs to nodes is the node authorizer's.
        this.authorizer = new UnionAuthorizer(List.of(new NodeAuthorizer(nodeGraph.graph()), new RbacAuthorizer(rbac)));
        this.rulesResolver = new RulesResolver(rbac);
        this.compactor = Compactor.start(store, config.compactionInterval());
        this.eventExpiry = EventExpiry.start(s.resource("", "v1", "events").orElseThrow(), Duration.ofHours(1),
                Duration.ofMinutes(1), clock);
        this.server = s;
        return s;
    }

    /**
     * What RBAC grants; for a node the list is incomplete, as in Kubernetes, since the node
     * authorizer decides per object.
     */
    private SubjectRules rulesFor(UserInfo user, String namespace) {
        SubjectRules rules = rulesResolver.rulesFor(user, namespace);
        return NodeIdentity.of(user).isPresent()
                ? rules.incomplete("node authorizer does not support user rule resolution") : rules;
    }

    @Override
    public void handle(HttpExchange exchange) {
        ApiServer s = server;
        if (s == null) {
            Responses.error(exchange, new ApiException.ServiceUnavailable("the server is starting"));
            return;
        }
        s.handle(exchange);
    }

    /**
     * TLS for the API: the serving certificate, client certificates requested (not required; the
     * x509 authenticator verifies them against the cluster CA), ALPN offering h2 and http/1.1.
     * BoringSSL when its native library loads (Linux x86-64), else the JDK's engine: in a pod
     * start, TLS took 14% of the JVM's CPU, half of it on the API's side.
     */
    public static SslContext tls(KeyMaterial serving, ClusterCa ca) throws SSLException {
        return SslContextBuilder.forServer(serving.privateKey(), serving.chainArray())
                .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                // Like kube-apiserver, request any client certificate and verify it in the x509
                // authenticator, so a foreign one is a 401 rather than a failed handshake.
                .trustManager(io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE)
                .clientAuth(ClientAuth.OPTIONAL)
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                .build();
    }

    @Override
    public void close() {
        if (rbac != null) {
            rbac.close();
        }
        if (nodeGraph != null) {
            nodeGraph.close();
        }
        if (compactor != null) {
            compactor.close();
        }
        if (eventExpiry != null) {
            eventExpiry.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
