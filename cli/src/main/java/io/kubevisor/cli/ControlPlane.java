package io.kubevisor.cli;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.api.resource.BuiltinResources;
import io.kubevisor.apiserver.ApiServer;
import io.kubevisor.apiserver.ApiServerConfig;
import io.kubevisor.apiserver.auth.authn.Authenticator;
import io.kubevisor.apiserver.auth.authn.TokenFileAuthenticator;
import io.kubevisor.apiserver.auth.authn.UnionAuthenticator;
import io.kubevisor.apiserver.auth.authn.X509Authenticator;
import io.kubevisor.apiserver.auth.pki.ClusterCa;
import io.kubevisor.apiserver.auth.pki.KeyMaterial;
import io.kubevisor.apiserver.auth.pki.Kubeconfig;
import io.kubevisor.apiserver.auth.pki.ServingCertificates;
import io.kubevisor.http.HttpServer;
import io.kubevisor.apiserver.wiring.ServerWiring;
import io.kubevisor.controllers.ClientCredentials;
import io.kubevisor.controllers.nodelifecycle.NodeLifecycleController;
import io.kubevisor.store.Store;
import io.kubevisor.store.sqlite.SqliteOptions;
import io.kubevisor.store.sqlite.SqliteStore;

/**
 * The assembly of one control plane: data dir, CA and certificates, store, API server, TLS
 * listener, admin kubeconfig. Everything it makes it owns and closes.
 */
public final class ControlPlane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

    /** How to run. {@code port} 0 picks a free port. */
    public record Options(Path dataDir, String bindAddress, int port, String store, Path tokenFile,
                          String pathPrefix, Duration compactionInterval,
                          NodeLifecycleController.Options nodeLifecycle) {

        /** With Kubernetes' node monitoring defaults. */
        public Options(Path dataDir, String bindAddress, int port, String store, Path tokenFile, String pathPrefix,
                       Duration compactionInterval) {
            this(dataDir, bindAddress, port, store, tokenFile, pathPrefix, compactionInterval,
                    NodeLifecycleController.Options.defaults());
        }
    }

    private final Store store;
    private final ServerWiring wiring;
    private final HttpServer http;
    private final EmbeddedControllers controllers;
    private final Path kubeconfig;
    private final String url;
    private final ClusterCa ca;

    private ControlPlane(Store store, ServerWiring wiring, HttpServer http, EmbeddedControllers controllers,
                         Path kubeconfig, String url, ClusterCa ca) {
        this.ca = ca;
        this.store = store;
        this.wiring = wiring;
        this.http = http;
        this.controllers = controllers;
        this.kubeconfig = kubeconfig;
        this.url = url;
    }

    public static ControlPlane start(Options o) throws Exception {
        Path dataDir = o.dataDir().toAbsolutePath();
        Files.createDirectories(dataDir);
        StoreUrl storeUrl = StoreUrl.parse(o.store(), dataDir);
        if (storeUrl instanceof StoreUrl.Etcd) {
            throw new IllegalArgumentException("--store etcd: is not supported yet; use sqlite:PATH (the default)");
        }
        Path pki = dataDir.resolve("pki");
        Files.createDirectories(pki);
        ClusterCa ca = ClusterCa.loadOrCreate(pki);
        List<InetAddress> ips = new ArrayList<>();
        InetAddress bind = InetAddress.getByName(o.bindAddress());
        if (!bind.isAnyLocalAddress()) {
            ips.add(bind);
        }
        KeyMaterial serving = ServingCertificates.loadOrIssue(ca, pki, List.of(), ips);

        Store store = SqliteStore.open(((StoreUrl.Sqlite) storeUrl).file(), SqliteOptions.defaults());
        try {
            List<Authenticator> authns = new ArrayList<>();
            authns.add(new X509Authenticator(ca.certificate()));
            if (o.tokenFile() != null) {
                authns.add(TokenFileAuthenticator.load(o.tokenFile()));
            }
            String advertiseIp = bind.isAnyLocalAddress() ? "127.0.0.1" : bind.getHostAddress();
            ServerWiring wiring = ServerWiring.create(store, new UnionAuthenticator(authns), InstantSource.system())
                    .withKubeletClient(ca.issueClient("kube-apiserver-kubelet-client", List.of("system:masters"),
                            Duration.ofDays(365)));
            // The port is known only after binding; the handler reads config lazily through the wiring.
            HttpServer http = HttpServer.start(new HttpServer.Options(o.bindAddress(), o.port(), 3 * 1024 * 1024, 0),
                    ServerWiring.tls(serving, ca), wiring);
            int port = http.address().getPort();
            ApiServer server = wiring.serve(new ApiServerConfig(o.pathPrefix(), Duration.ofMinutes(30),
                    "10.96.0.0/12", advertiseIp + ":" + port, o.compactionInterval()), BuiltinResources.catalog(),
                    advertiseIp, port);
            String url = "https://" + (advertiseIp.contains(":") ? "[" + advertiseIp + "]" : advertiseIp) + ":" + port
                    + server.config().pathPrefix();
            Path kubeconfig = dataDir.resolve(Kubeconfig.ADMIN_FILE);
            KeyMaterial admin = Kubeconfig.writeAdmin(kubeconfig, url, ca, "kubevisor", Duration.ofDays(365));
            EmbeddedControllers controllers;
            try {
                controllers = EmbeddedControllers.start(url, ca, admin, o.nodeLifecycle());
            } catch (RuntimeException e) {
                http.close();
                wiring.close();
                throw e;
            }
            LOG.info("event=control_plane_ready url={} kubeconfig={} resources={} controllers={}", url, kubeconfig,
                    server.catalog().all().size(), controllers.names());
            return new ControlPlane(store, wiring, http, controllers, kubeconfig, url, ca);
        } catch (Exception | Error e) {
            store.close();
            throw e;
        }
    }

    public String url() {
        return url;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** The cluster CA, which issues identities to components started beside the control plane. */
    ClusterCa ca() {
        return ca;
    }

    /** Credentials for {@code user} in {@code groups}, issued now by the cluster CA. */
    ClientCredentials credentials(String user, List<String> groups, Duration validity) {
        return credentials(ca.issueClient(user, groups, validity));
    }

    private ClientCredentials credentials(KeyMaterial client) {
        return new ClientCredentials(url, ca.certificatePem(), client.certificatePem(), client.privateKeyPem(),
                client.privateKey().getAlgorithm());
    }

    @Override
    public void close() {
        controllers.close();
        http.close();
        wiring.close();
        store.close();
    }
}
