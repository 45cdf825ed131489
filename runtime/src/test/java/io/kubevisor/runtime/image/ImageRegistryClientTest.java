package io.kubevisor.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.kubevisor.api.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * The distribution client against a scripted registry (no network): auth flows, endpoint order,
 * TLS policy, redirects and the error messages a user sees.
 */
class ImageRegistryClientTest {

    @TempDir
    Path tmp;

    private final Fake fake = new Fake();
    private final List<ImageStore> stores = new ArrayList<>();

    // A one-layer image, served by the fake.
    private final byte[] layer = new TarBuilder().file("hello", "world").gzip();
    private final String layerDigest = Digests.of(layer);
    private final byte[] config = config();
    private final String configDigest = Digests.of(config);
    private final byte[] manifest = manifest();
    private final String manifestDigest = Digests.of(manifest);

    /** One request the fake saw. */
    record Seen(URI uri, Map<String, List<String>> headers) {
        String header(String name) {
            List<String> v = headers.get(name);
            return v == null ? null : v.getFirst();
        }
    }

    @FunctionalInterface
    interface Handler {
        HttpTransport.Response handle(Seen request) throws IOException;
    }

    /** Serves scripted responses and records requests. */
    static final class Fake implements HttpTransport {
        final List<Seen> seen = new CopyOnWriteArrayList<>();
        volatile Handler handler = r -> respond(404, Map.of(), "{}");

        @Override
        public Response send(String method, URI uri, Map<String, List<String>> headers) throws IOException {
            Seen s = new Seen(uri, Map.copyOf(headers));
            seen.add(s);
            return handler.handle(s);
        }

        @Override
        public void close() {
        }
    }

    static HttpTransport.Response respond(int status, Map<String, String> headers, byte[] body) {
        Map<String, List<String>> h = new HashMap<>();
        headers.forEach((k, v) -> h.put(k.toLowerCase(), List.of(v)));
        return new HttpTransport.Response(status, h, new ByteArrayInputStream(body));
    }

    static HttpTransport.Response respond(int status, Map<String, String> headers, String body) {
        return respond(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] config() {
        ObjectNode c = Json.object();
        c.put("architecture", "amd64").put("os", "linux");
        c.putObject("config").putArray("Cmd").add("/hello");
        c.putObject("rootfs").put("type", "layers").putArray("diff_ids")
                .add(Digests.of(new TarBuilder().file("hello", "world").bytes()));
        return Json.bytes(c);
    }

    private byte[] manifest() {
        ObjectNode m = Json.object();
        m.put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
        m.putObject("config").put("mediaType", MediaTypes.OCI_CONFIG).put("digest", Digests.of(config))
                .put("size", config.length);
        m.putArray("layers").addObject().put("mediaType", MediaTypes.OCI_LAYER_GZIP).put("digest", Digests.of(layer))
                .put("size", layer.length);
        return Json.bytes(m);
    }

    /** Serves the image at any host for repository {@code repo}, after {@code authorized} says yes. */
    private Handler image(String repo, java.util.function.Predicate<Seen> authorized, Map<String, String> challenge) {
        return r -> {
            String path = r.uri().getPath();
            if (!path.startsWith("/v2/" + repo + "/")) {
                return respond(404, Map.of(), "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name"
                        + " not known to registry\"}]}");
            }
            if (!authorized.test(r)) {
                return respond(401, challenge, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication"
                        + " required\"}]}");
            }
            if (path.endsWith("/manifests/1") || path.contains("/manifests/sha256:")) {
                return respond(200, Map.of("Content-Type", MediaTypes.OCI_MANIFEST), manifest);
            }
            if (path.endsWith("/blobs/" + configDigest)) {
                return respond(200, Map.of(), config);
            }
            if (path.endsWith("/blobs/" + layerDigest)) {
                return respond(200, Map.of(), layer);
            }
            return respond(404, Map.of(), "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}");
        };
    }

    private ImageStore store(RegistryConfig config) {
        ImageStore s = new ImageStore(new ImageStoreOptions(tmp.resolve("store" + stores.size()), config), fake,
                new Platform("linux", "amd64", ""));
        stores.add(s);
        return s;
    }

    @AfterEach
    void closeStores() {
        stores.forEach(ImageStore::close);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bearerTokenFromTheRealmWithBasicCredentials() {
        Map<String, String> challenge = Map.of("WWW-Authenticate",
                "Bearer realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:demo/app:pull\"");
        Handler registry = image("demo/app", r -> "Bearer T0KEN".equals(r.header("Authorization")), challenge);
        fake.handler = r -> {
            if (r.uri().getHost().equals("auth.example")) {
                return basic("u", "p").equals(r.header("Authorization"))
                        ? respond(200, Map.of(), "{\"token\":\"T0KEN\",\"expires_in\":300}")
                        : respond(401, Map.of(), "{}");
            }
            return registry.handle(r);
        };
        ResolvedImage img = store(RegistryConfig.empty()).pull(ImageRef.parse("registry.example/demo/app:1"),
                PullPolicy.ALWAYS, List.of(new RegistryCredential("registry.example", "u", "p")));

        assertThat(img.imageId()).isEqualTo("registry.example/demo/app@" + manifestDigest);
        assertThat(img.rootfs().resolve("hello")).hasContent("world");
        Seen token = fake.seen.stream().filter(s -> s.uri().getHost().equals("auth.example")).findFirst().orElseThrow();
        assertThat(token.uri().getQuery()).isEqualTo("service=registry.example&scope=repository:demo/app:pull");
        // One challenge, one token: the blobs reuse it.
        assertThat(fake.seen.stream().filter(s -> s.uri().getHost().equals("auth.example"))).hasSize(1);
        assertThat(fake.seen.getFirst().uri().toString()).isEqualTo("https://registry.example/v2/demo/app/manifests/1");
        assertThat(fake.seen.getFirst().header("Accept")).contains(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
                MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_LIST);
    }

    @Test
    void credentialsGoOnlyToTheHostTheyNameAndTokenFailuresAreReported() {
        Map<String, String> challenge = Map.of("WWW-Authenticate",
                "Bearer realm=\"https://auth.example/token\",service=\"registry.example\"");
        Handler registry = image("demo/app", r -> r.header("Authorization") != null, challenge);
        fake.handler = r -> r.uri().getHost().equals("auth.example") ? respond(401, Map.of(), "{}") : registry.handle(r);
        ImageStore store = store(RegistryConfig.empty());
        assertThatThrownBy(() -> store.pull(ImageRef.parse("registry.example/demo/app:1"), PullPolicy.ALWAYS,
                List.of(new RegistryCredential("other.example", "u", "p"))))
                .isInstanceOf(ImageException.ErrImagePull.class)
                .hasMessage("failed to pull and unpack image \"registry.example/demo/app:1\": failed to resolve reference"
                        + " \"registry.example/demo/app:1\": pull access denied, repository does not exist or may require"
                        + " authorization: failed to authorize: failed to fetch anonymous token: unexpected status from"
                        + " GET request to https://auth.example/token: 401 Unauthorized");
        assertThat(fake.seen).allSatisfy(s -> assertThat(s.header("Authorization")).isNull());
    }

    @Test
    void basicAuthWithAndWithoutCredentials() {
        Map<String, String> challenge = Map.of("WWW-Authenticate", "Basic realm=\"test\"");
        fake.handler = image("demo/app", r -> basic("u", "p").equals(r.header("Authorization")), challenge);
        ImageRef ref = ImageRef.parse("registry.example/demo/app:1");
        assertThat(store(RegistryConfig.empty()).pull(ref, PullPolicy.ALWAYS,
                List.of(new RegistryCredential("registry.example", "u", "p"))).rootfs().resolve("hello")).exists();

        assertThatThrownBy(() -> store(RegistryConfig.empty()).pull(ref, PullPolicy.ALWAYS, List.of()))
                .isInstanceOf(ImageException.ErrImagePull.class)
                .hasMessageEndingWith("failed to resolve reference \"registry.example/demo/app:1\": pull access denied,"
                        + " repository does not exist or may require authorization: server message: unauthorized:"
                        + " authentication required");
        // Credentials may also come from the registry config.
        RegistryConfig withCreds = new RegistryConfig(Map.of("registry.example",
                RegistryConfig.Host.withCredentials("u", "p")));
        assertThat(store(withCreds).pull(ref, PullPolicy.ALWAYS, List.of()).imageId()).endsWith(manifestDigest);
    }

    @Test
    void plainHttpToANonLoopbackHostIsRefusedBeforeAnyRequest() {
        fake.handler = image("library/busybox", r -> true, Map.of());
        RegistryConfig mirror = new RegistryConfig(Map.of("docker.io",
                RegistryConfig.Host.mirroredBy(URI.create("http://registry.example:5000"))));
        assertThatThrownBy(() -> store(mirror).pull(ImageRef.parse("busybox:1"), PullPolicy.ALWAYS, List.of()))
                .isInstanceOf(ImageException.ErrImagePull.class)
                .hasMessage("failed to pull and unpack image \"docker.io/library/busybox:1\": failed to resolve reference"
                        + " \"docker.io/library/busybox:1\": plain HTTP to \"registry.example:5000\" refused: it is not a"
                        + " loopback host and the registry config does not mark it insecure");
        assertThat(fake.seen).isEmpty();

        RegistryConfig insecure = new RegistryConfig(Map.of(
                "docker.io", RegistryConfig.Host.mirroredBy(URI.create("http://registry.example:5000")),
                "registry.example:5000", RegistryConfig.Host.insecureHost()));
        ResolvedImage img = store(insecure).pull(ImageRef.parse("busybox:1"), PullPolicy.ALWAYS, List.of());
        assertThat(img.imageId()).isEqualTo("docker.io/library/busybox@" + manifestDigest);
        assertThat(fake.seen.getFirst().uri().toString())
                .isEqualTo("http://registry.example:5000/v2/library/busybox/manifests/1");
    }

    @Test
    void aTokenRealmOverPlainHttpIsRefused() {
        fake.handler = image("demo/app", r -> false, Map.of("WWW-Authenticate",
                "Bearer realm=\"http://auth.example/token\",service=\"s\""));
        assertThatThrownBy(() -> store(RegistryConfig.empty()).pull(ImageRef.parse("registry.example/demo/app:1"),
                PullPolicy.ALWAYS, List.of(new RegistryCredential("registry.example", "u", "p"))))
                .hasMessageContaining("token realm \"http://auth.example/token\": plain HTTP to \"auth.example\" refused");
        assertThat(fake.seen).noneMatch(s -> s.uri().getHost().equals("auth.example"));
    }

    @Test
    void mirrorsAreTriedInOrderAndNotFoundFallsThrough() {
        Handler upstream = image("library/busybox", r -> true, Map.of());
        fake.handler = r -> r.uri().getHost().equals("mirror.example") ? respond(404, Map.of(), "{}") : upstream.handle(r);
        RegistryConfig c = new RegistryConfig(Map.of("docker.io", new RegistryConfig.Host(
                List.of(URI.create("https://mirror.example")), true, false, null, null)));
        ResolvedImage img = store(c).pull(ImageRef.parse("busybox:1"), PullPolicy.ALWAYS, List.of());
        assertThat(img.rootfs().resolve("hello")).hasContent("world");
        assertThat(fake.seen).extracting(s -> s.uri().getHost()).startsWith("mirror.example", "registry-1.docker.io");
    }

    @Test
    void notFoundEverywhereCarriesTheRegistryMessage() {
        fake.handler = image("demo/app", r -> true, Map.of());
        assertThatThrownBy(() -> store(RegistryConfig.empty()).pull(ImageRef.parse("registry.example/demo/app:2"),
                PullPolicy.ALWAYS, List.of()))
                .hasMessage("failed to pull and unpack image \"registry.example/demo/app:2\": failed to resolve reference"
                        + " \"registry.example/demo/app:2\": registry.example/demo/app:2: not found: manifest unknown");
    }

    @Test
    void theFirstRealErrorWinsOverLaterNotFound() {
        fake.handler = r -> r.uri().getHost().equals("mirror.example")
                ? respond(500, Map.of(), "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"disk full\"}]}")
                : respond(404, Map.of(), "{}");
        RegistryConfig c = new RegistryConfig(Map.of("docker.io", new RegistryConfig.Host(
                List.of(URI.create("https://mirror.example")), true, false, null, null)));
        assertThatThrownBy(() -> store(c).pull(ImageRef.parse("busybox:1"), PullPolicy.ALWAYS, List.of()))
                .hasMessageEndingWith("unexpected status from GET request to"
                        + " https://mirror.example/v2/library/busybox/manifests/1: 500 Internal Server Error: unknown: disk full");
    }

    @Test
    void connectionFailuresReadLikeGo() {
        fake.handler = r -> {
            throw new ConnectException();
        };
        assertThatThrownBy(() -> store(RegistryConfig.empty()).pull(ImageRef.parse("127.0.0.1:5999/nope:1"),
                PullPolicy.IF_NOT_PRESENT, List.of()))
                .hasMessage("failed to pull and unpack image \"127.0.0.1:5999/nope:1\": failed to resolve reference"
                        + " \"127.0.0.1:5999/nope:1\": failed to do request: Get"
                        + " \"http://127.0.0.1:5999/v2/nope/manifests/1\": dial tcp 127.0.0.1:5999: connect: connection refused");
    }

    @Test
    void redirectedBlobsDoNotCarryCredentialsElsewhere() {
        Handler registry = image("demo/app", r -> basic("u", "p").equals(r.header("Authorization")),
                Map.of("WWW-Authenticate", "Basic realm=\"r\""));
        fake.handler = r -> {
            if (r.uri().getHost().equals("cdn.example")) {
                return respond(200, Map.of(), layer);
            }
            if (r.uri().getPath().endsWith("/blobs/" + layerDigest) && r.header("Authorization") != null) {
                return respond(307, Map.of("Location", "https://cdn.example/layer?sig=1"), "");
            }
            return registry.handle(r);
        };
        ResolvedImage img = store(RegistryConfig.empty()).pull(ImageRef.parse("registry.example/demo/app:1"),
                PullPolicy.ALWAYS, List.of(new RegistryCredential("registry.example", "u", "p")));
        assertThat(img.rootfs().resolve("hello")).exists();
        Seen cdn = fake.seen.stream().filter(s -> s.uri().getHost().equals("cdn.example")).findFirst().orElseThrow();
        assertThat(cdn.header("Authorization")).isNull();
    }

    @Test
    void contentThatDoesNotMatchItsDigestIsRejected() {
        Handler good = image("demo/app", r -> true, Map.of());
        byte[] evil = new TarBuilder().file("hello", "evil").gzip();
        fake.handler = r -> r.uri().getPath().endsWith("/blobs/" + layerDigest) ? respond(200, Map.of(), evil)
                : good.handle(r);
        ImageStore store = store(RegistryConfig.empty());
        assertThatThrownBy(() -> store.pull(ImageRef.parse("registry.example/demo/app:1"), PullPolicy.ALWAYS, List.of()))
                .isInstanceOf(ImageException.ErrImagePull.class)
                .hasMessageContaining("failed to copy: failed commit on ref \"" + layerDigest
                        + "\": unexpected commit digest " + Digests.of(evil) + ", expected " + layerDigest);
        assertThat(store.list()).isEmpty();

        fake.handler = good;
        String wrong = "sha256:" + "1".repeat(64);
        assertThatThrownBy(() -> store.pull(ImageRef.parse("registry.example/demo/app@" + wrong), PullPolicy.ALWAYS,
                List.of())).hasMessageContaining("has digest " + manifestDigest + ", expected " + wrong);
    }

    @Test
    void aDamagedLocalRecordIsAnInspectErrorUntilAlwaysRepairsIt() throws IOException {
        fake.handler = image("demo/app", r -> true, Map.of());
        ImageStore store = store(RegistryConfig.empty());
        ImageRef ref = ImageRef.parse("registry.example/demo/app:1");
        ResolvedImage good = store.pull(ref, PullPolicy.ALWAYS, List.of());
        try (var files = java.nio.file.Files.list(tmp.resolve("store0/refs"))) {
            for (Path f : files.toList()) {
                java.nio.file.Files.writeString(f, "{broken");
            }
        }
        assertThatThrownBy(() -> store.pull(ref, PullPolicy.IF_NOT_PRESENT, List.of()))
                .isInstanceOfSatisfying(ImageException.ImageInspectError.class,
                        e -> assertThat(e.reason()).isEqualTo("ImageInspectError"))
                .hasMessageStartingWith("Failed to inspect image \"registry.example/demo/app:1\": cannot parse");
        assertThat(store.pull(ref, PullPolicy.ALWAYS, List.of())).isEqualTo(good);
        assertThat(store.pull(ref, PullPolicy.NEVER, List.of())).isEqualTo(good);
    }

    @Test
    void anImagesConfigIsReadOnceNotOnEveryStart() throws IOException {
        fake.handler = image("demo/app", r -> true, Map.of());
        ImageStore store = store(RegistryConfig.empty());
        ImageRef ref = ImageRef.parse("registry.example/demo/app:1");
        ResolvedImage pulled = store.pull(ref, PullPolicy.ALWAYS, List.of());
        // Content-addressed: a blob never changes under its digest, so a second read has nothing to learn.
        java.nio.file.Files.writeString(tmp.resolve("store0/blobs/sha256").resolve(pulled.configDigest()
                .substring("sha256:".length())), "{not read again");
        assertThat(store.pull(ref, PullPolicy.IF_NOT_PRESENT, List.of())).isEqualTo(pulled);
        assertThat(store.find(ref)).contains(pulled);
    }

    @Test
    void challengesParse() {
        List<AuthChallenge> c = AuthChallenge.parse(List.of(
                "Bearer realm=\"https://a/token\",service=\"reg, with comma\",scope=\"repository:x:pull\"",
                "Basic realm=unquoted, Negotiate"));
        assertThat(c).hasSize(3);
        assertThat(c.get(0).scheme()).isEqualTo("bearer");
        assertThat(c.get(0).params()).containsEntry("realm", "https://a/token").containsEntry("service", "reg, with comma")
                .containsEntry("scope", "repository:x:pull");
        assertThat(c.get(1).scheme()).isEqualTo("basic");
        assertThat(c.get(1).params()).containsEntry("realm", "unquoted");
        assertThat(c.get(2).scheme()).isEqualTo("negotiate");
    }
}
