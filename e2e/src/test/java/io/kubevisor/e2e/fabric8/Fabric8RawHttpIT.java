package io.kubevisor.e2e.fabric8;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Fabric8;
import io.kubevisor.e2e.support.KubeTls;
import io.kubevisor.e2e.support.RawHttp;
import io.kubevisor.e2e.support.TcpProxy;

/**
 * Bad requests sent by hand (each answered with the right Status, storing nothing, leaving the
 * server serving), and HTTP/2: negotiated by ALPN and multiplexing many requests on one connection.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Fabric8RawHttpIT {

    static final String NS = "raw";
    static final String CM = "/api/v1/namespaces/" + NS + "/configmaps";
    static final String EXISTING = "existing";

    @TempDir
    static Path tmp;
    static Cluster cluster;
    static KubernetesClient client;
    static RawHttp admin;

    /** A request that must fail, and how. {@code leftover} must not exist afterwards. */
    record Bad(String label, String method, String path, String contentType, byte[] body, int code, String reason,
               String messagePart, String leftover) {
        @Override
        public String toString() {
            return label;
        }
    }

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.start(tmp.resolve("kv"));
        client = Fabric8.client(cluster);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
        admin = RawHttp.admin(cluster);
        client.configMaps().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName(EXISTING).endMetadata().addToData("k", "v").build()).create();
    }

    @AfterAll
    static void down() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static Stream<Bad> badRequests() {
        byte[] big = new byte[3 * 1024 * 1024 + 1024];
        Arrays.fill(big, (byte) ' ');
        byte[] head = "{\"metadata\":{\"name\":\"huge\"},\"data\":{\"k\":\"".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, big, 0, head.length);
        big[big.length - 3] = '"';
        big[big.length - 2] = '}';
        big[big.length - 1] = '}';
        byte[] prefixedGarbage = new byte[] {'k', '8', 's', 0, (byte) 0xff, (byte) 0xfe, 0x01, 0x02, 0x7f};
        return Stream.of(
                new Bad("malformed JSON", "POST", CM, "application/json",
                        utf8("{\"metadata\":{\"name\":\"mal-json\"},\"data\":{"), 400, "BadRequest", null, "mal-json"),
                new Bad("malformed YAML", "POST", CM, "application/yaml",
                        utf8("metadata:\n  name: mal-yaml\ndata: [unclosed\n  k: v\n"), 400, "BadRequest", null,
                        "mal-yaml"),
                new Bad("protobuf garbage", "POST", CM, "application/vnd.kubernetes.protobuf",
                        utf8("definitely not protobuf"), 400, "BadRequest", null, null),
                new Bad("protobuf garbage after the k8s prefix", "POST", CM, "application/vnd.kubernetes.protobuf",
                        prefixedGarbage, 400, "BadRequest", null, null),
                new Bad("wrong kind", "POST", CM, "application/json",
                        utf8("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"wrong-kind\"}}"),
                        400, "BadRequest", "Secret", "wrong-kind"),
                new Bad("wrong apiVersion", "POST", CM, "application/json",
                        utf8("{\"apiVersion\":\"apps/v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"wrong-gv\"}}"),
                        400, "BadRequest", "apps/v1", "wrong-gv"),
                new Bad("invalid name", "POST", CM, "application/json",
                        utf8("{\"metadata\":{\"name\":\"Not_A_DNS_Name\"}}"), 422, "Invalid", "metadata.name", null),
                new Bad("name differs from the URL", "PUT", CM + "/" + EXISTING, "application/json",
                        utf8("{\"metadata\":{\"name\":\"body-name\"}}"), 400, "BadRequest",
                        "the name of the object (body-name) does not match the name on the URL (" + EXISTING + ")",
                        "body-name"),
                new Bad("namespace differs from the URL", "POST", CM, "application/json",
                        utf8("{\"metadata\":{\"name\":\"elsewhere\",\"namespace\":\"default\"}}"), 400,
                        "BadRequest", "does not match the namespace", "elsewhere"),
                new Bad("unknown field, Strict", "POST", CM + "?fieldValidation=Strict", "application/json",
                        utf8("{\"metadata\":{\"name\":\"strict\"},\"bogus\":1}"), 400, "BadRequest",
                        "strict decoding error: unknown field \"bogus\"", "strict"),
                new Bad("oversized body", "POST", CM, "application/json", big, 413, "RequestEntityTooLarge", null,
                        "huge"),
                new Bad("unsupported media type", "POST", CM, "text/plain",
                        utf8("{\"metadata\":{\"name\":\"plain\"}}"), 415, "UnsupportedMediaType", null, "plain"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestsGetAStatusAndStoreNothing(Bad bad) throws Exception {
        String before = client.configMaps().inNamespace(NS).list().getMetadata().getResourceVersion();
        HttpResponse<String> r = admin.send(bad.method(), bad.path(), bad.contentType(), bad.body());
        assertStatus(r, bad.code(), bad.reason());
        if (bad.messagePart() != null) {
            assertThat(status(r).getMessage()).contains(bad.messagePart());
        }
        if (bad.leftover() != null) {
            assertThat(client.configMaps().inNamespace(NS).withName(bad.leftover()).get()).isNull();
        }
        assertThat(client.configMaps().inNamespace(NS).list().getMetadata().getResourceVersion()).isEqualTo(before);
        assertThat(admin.get("/api/v1/namespaces/" + NS).statusCode()).isEqualTo(200);
        assertThat(client.configMaps().inNamespace(NS).withName(EXISTING).get().getData()).containsEntry("k", "v");
    }

    @Test
    void nameMismatchIsRejectedBeforeTheLookup() throws Exception {
        HttpResponse<String> r = admin.send("PUT", CM + "/missing-url-name", "application/json",
                utf8("{\"metadata\":{\"name\":\"body-name\"}}"));
        assertStatus(r, 400, "BadRequest");
        assertThat(status(r).getMessage())
                .isEqualTo("the name of the object (body-name) does not match the name on the URL (missing-url-name)");
    }

    @Test
    void noClientCertificateIsUnauthorized() throws Exception {
        try (RawHttp anonymous = RawHttp.anonymous(cluster)) {
            assertStatus(anonymous.get(CM), 401, "Unauthorized");
            assertStatus(anonymous.send("POST", CM, "application/json",
                    utf8("{\"metadata\":{\"name\":\"anon\"}}")), 401, "Unauthorized");
        }
        assertThat(client.configMaps().inNamespace(NS).withName("anon").get()).isNull();
        assertThat(admin.get(CM).statusCode()).isEqualTo(200);
    }

    @Test
    void aWatchWithTimeoutSecondsEndsOnItsOwn() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = admin.get(CM + "?watch=true&timeoutSeconds=1");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
    }

    @Test
    void http2IsNegotiatedByAlpn() throws Exception {
        HttpResponse<String> r = admin.get("/version");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(r.body()).contains("\"gitVersion\"");
        assertThat(admin.get(CM).version()).isEqualTo(HttpClient.Version.HTTP_2);
    }

    @Test
    void aHundredConcurrentRequestsShareOneHttp2Connection() throws Exception {
        URI server = URI.create(cluster.url());
        try (TcpProxy proxy = TcpProxy.to(server.getHost(), server.getPort());
             HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                     .sslContext(KubeTls.sslContext(Fabric8.config(cluster), true)).build()) {
            String base = "https://" + server.getHost() + ":" + proxy.port();
            // One request first, so the connection exists before the burst.
            assertThat(h2.send(HttpRequest.newBuilder(URI.create(base + "/version")).build(),
                    HttpResponse.BodyHandlers.ofString()).version()).isEqualTo(HttpClient.Version.HTTP_2);

            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                HttpRequest req = i % 2 == 0
                        ? HttpRequest.newBuilder(URI.create(base + CM + "?limit=5")).GET().build()
                        : HttpRequest.newBuilder(URI.create(base + CM)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"metadata\":{\"name\":\"h2-" + i + "\"},\"data\":{\"i\":\"" + i + "\"}}"))
                                .build();
                all.add(h2.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, java.util.concurrent.TimeUnit.SECONDS);
            for (int i = 0; i < all.size(); i++) {
                HttpResponse<String> r = all.get(i).join();
                assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(r.statusCode()).as("request %d: %s", i, r.body()).isEqualTo(i % 2 == 0 ? 200 : 201);
            }
            assertThat(proxy.accepted()).isEqualTo(1);
        }
        assertThat(client.configMaps().inNamespace(NS).list().getItems())
                .filteredOn(c -> c.getMetadata().getName().startsWith("h2-")).hasSize(50);
    }

    // ---- helpers ----

    static void assertStatus(HttpResponse<String> r, int code, String reason) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(code);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct)
                .startsWith("application/json"));
        Status s = status(r);
        assertThat(s.getKind()).isEqualTo("Status");
        assertThat(s.getApiVersion()).isEqualTo("v1");
        assertThat(s.getStatus()).isEqualTo("Failure");
        assertThat(s.getCode()).isEqualTo(code);
        assertThat(s.getReason()).isEqualTo(reason);
        assertThat(s.getMessage()).isNotBlank();
    }

    static Status status(HttpResponse<String> r) {
        return client.getKubernetesSerialization().unmarshal(r.body(), Status.class);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
