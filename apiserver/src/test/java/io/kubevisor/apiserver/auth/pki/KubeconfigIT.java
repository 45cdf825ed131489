package io.kubevisor.apiserver.auth.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import io.kubevisor.apiserver.auth.authn.Authenticator;
import io.kubevisor.apiserver.auth.authn.Credentials;
import io.kubevisor.apiserver.auth.authn.TokenFileAuthenticator;
import io.kubevisor.apiserver.auth.authn.UnionAuthenticator;
import io.kubevisor.apiserver.auth.authn.UserInfo;
import io.kubevisor.apiserver.auth.authn.X509Authenticator;

/**
 * Drives the real kubectl with the kubeconfigs we write. The server here is a stub built on the
 * JDK's HttpsServer that answers only {@code /version}: this tests the TLS material (CA, serving
 * certificate, client certificate, token) and our authenticators against the real client, not
 * the API server.
 */
class KubeconfigIT {

    private static final String VERSION_JSON = "{\"major\":\"1\",\"minor\":\"33\",\"gitVersion\":\"v1.33.1\"}";

    @TempDir
    Path dir;

    private HttpsServer server;
    private final List<Optional<UserInfo>> seen = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Starts the stub on loopback; each /version request is authenticated with {@code authn}. */
    private String start(ClusterCa ca, boolean requireClientCert, Authenticator authn) throws Exception {
        KeyMaterial serving = ServingCertificates.loadOrIssue(ca, dir, List.of(), List.of());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(serving.keyManagerFactory().getKeyManagers(), ca.trustManagerFactory().getTrustManagers(), null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = tls.getDefaultSSLParameters();
                if (requireClientCert) {
                    p.setNeedClientAuth(true);
                } else {
                    p.setWantClientAuth(true);
                }
                params.setSSLParameters(p);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/version", exchange -> {
            var https = (HttpsExchange) exchange;
            seen.add(authn.authenticate(Credentials.of(https.getSSLSession(),
                    exchange.getRequestHeaders().getFirst("Authorization"))));
            byte[] body = VERSION_JSON.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    private record Run(int exitCode, String output) {
    }

    private Run kubectl(String binary, Path kubeconfig) throws IOException, InterruptedException {
        Path exe = kubectlDirectory().resolve(binary);
        assertThat(exe).as("versioned kubectl binary").isExecutable();
        var pb = new ProcessBuilder(exe.toString(), "--kubeconfig", kubeconfig.toString(),
                "--request-timeout=20s", "get", "--raw", "/version");
        pb.environment().put("HOME", dir.toString());
        pb.environment().remove("KUBECONFIG");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kubectl did not finish: " + out);
        }
        return new Run(p.exitValue(), out);
    }

    /** The directory of the real kubectl, where the versioned binaries kubectl.1.27 … 1.33 sit. */
    private static Path kubectlDirectory() throws IOException {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(d, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toRealPath().getParent();
            }
        }
        throw new AssertionError("kubectl is not on PATH; this test needs the real kubectl binaries");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubectl.1.27", "kubectl.1.33"})
    void kubectlAuthenticatesWithTheAdminClientCertificate(String binary) throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir);
        String url = start(ca, true, new X509Authenticator(ca.certificate()));
        Path kubeconfig = dir.resolve(Kubeconfig.ADMIN_FILE);
        Kubeconfig.writeAdmin(kubeconfig, url, ca, "kubevisor", Duration.ofDays(1));

        Run run = kubectl(binary, kubeconfig);

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("\"gitVersion\":\"v1.33.1\"");
        assertThat(seen).isNotEmpty().allSatisfy(user -> assertThat(user).hasValueSatisfying(u -> {
            assertThat(u.name()).isEqualTo("kubevisor-admin");
            assertThat(u.groups()).containsExactly("system:masters", "system:authenticated");
        }));
    }

    @Test
    void kubectlSendsTheBearerToken() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir);
        var tokens = TokenFileAuthenticator.parse("tokens", "t0ken-for-alice,alice,42,\"devs,ops\"\n");
        String url = start(ca, false, UnionAuthenticator.of(new X509Authenticator(ca.certificate()), tokens));
        Path kubeconfig = dir.resolve("alice.kubeconfig");
        Kubeconfig.writeWithToken(kubeconfig, url, ca.certificate(), "t0ken-for-alice", "kubevisor", "alice");

        Run run = kubectl("kubectl.1.33", kubeconfig);

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(seen).isNotEmpty().allSatisfy(user -> assertThat(user).hasValueSatisfying(u -> {
            assertThat(u.name()).isEqualTo("alice");
            assertThat(u.uid()).isEqualTo("42");
            assertThat(u.groups()).containsExactly("devs", "ops", "system:authenticated");
        }));
    }

    @Test
    void serverRefusesAClientCertificateFromAnotherCa() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir);
        String url = start(ca, true, new X509Authenticator(ca.certificate()));
        ClusterCa other = ClusterCa.create("other-ca", Duration.ofDays(10), ca.clock());
        Path kubeconfig = dir.resolve("mallory.kubeconfig");
        Kubeconfig.write(kubeconfig, url, ca.certificate(),
                other.issueClient("mallory", List.of("system:masters"), Duration.ofDays(1)), "kubevisor", "mallory");

        Run run = kubectl("kubectl.1.33", kubeconfig);

        assertThat(run.exitCode()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("tls: unknown certificate");
        assertThat(seen).isEmpty();
    }

    @Test
    void kubectlRefusesAServerItsCaDidNotSign() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir);
        String url = start(ca, false, new X509Authenticator(ca.certificate()));
        ClusterCa other = ClusterCa.create("other-ca", Duration.ofDays(10), ca.clock());
        Path kubeconfig = dir.resolve("wrong-ca.kubeconfig");
        Kubeconfig.writeWithToken(kubeconfig, url, other.certificate(), "x", "kubevisor", "u");

        Run run = kubectl("kubectl.1.33", kubeconfig);

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("certificate signed by unknown authority");
        assertThat(seen).isEmpty();
    }
}
