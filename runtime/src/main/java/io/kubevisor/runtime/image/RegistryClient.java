package io.kubevisor.runtime.image;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;

/**
 * An OCI distribution client: resolves tags, fetches manifests and blobs, tries mirrors before
 * the registry, and authenticates with bearer tokens or basic auth. A {@link Session} serves one
 * pull; its tokens are never shared with another pull (which may carry other credentials).
 * Thread-safe.
 */
final class RegistryClient {

    private static final int MANIFEST_MAX = 4 << 20;
    private static final int MAX_REDIRECTS = 5;

    private final RegistryConfig config;
    private final HttpTransport transport;

    RegistryClient(RegistryConfig config, HttpTransport transport) {
        this.config = config;
        this.transport = transport;
    }

    /** A manifest document as fetched, with the sha256 of its bytes. */
    record FetchedManifest(byte[] bytes, String contentType, String digest) {
    }

    /** Receives a blob's bytes (and must verify them). */
    @FunctionalInterface
    interface BlobSink {
        void accept(InputStream in) throws IOException;
    }

    /**
     * Starts a pull of {@code ref}'s repository.
     *
     * @throws RegistryException when the configuration forbids reaching the registry
     */
    Session session(ImageRef ref, List<RegistryCredential> credentials) throws RegistryException {
        try {
            return new Session(ref, Endpoint.forRegistry(ref.domain(), config), List.copyOf(credentials));
        } catch (IllegalArgumentException e) {
            throw new RegistryException("failed to resolve reference \"" + ref.name() + "\": " + e.getMessage());
        }
    }

    /** One pull's conversation with a registry. Thread-safe (layers are fetched in parallel). */
    final class Session {
        private final ImageRef ref;
        private final List<Endpoint> endpoints;
        private final List<RegistryCredential> credentials;
        private final Map<String, String> authorization = new ConcurrentHashMap<>();
        private volatile Endpoint preferred;

        private Session(ImageRef ref, List<Endpoint> endpoints, List<RegistryCredential> credentials) {
            this.ref = ref;
            this.endpoints = endpoints;
            this.credentials = credentials;
        }

        /**
         * Resolves the reference (tag or digest) to its top-level manifest or index, trying each
         * endpoint in turn as containerd does: a 404 moves on; otherwise the first error is reported.
         */
        FetchedManifest resolve() throws RegistryException {
            String name = ref.name();
            IOException first = null;
            String notFound = null;
            for (Endpoint ep : endpoints) {
                URI uri = uri(ep, "/v2/" + ref.path() + "/manifests/" + ref.reference());
                try (HttpTransport.Response r = get(ep, uri, MediaTypes.MANIFEST_ACCEPT)) {
                    if (r.status() == 200) {
                        FetchedManifest m = readManifest(r, uri);
                        if (ref.digest() != null && !ref.digest().equals(m.digest())) {
                            throw new RegistryException("content at " + uri + " has digest " + m.digest()
                                    + ", expected " + ref.digest());
                        }
                        preferred = ep;
                        return m;
                    }
                    if (r.status() == 404) {
                        notFound = notFound != null ? notFound : RegistryErrors.serverMessage(r, false);
                        continue;
                    }
                    if (first == null) {
                        first = RegistryErrors.statusError(r, uri);
                    }
                } catch (IOException e) {
                    if (first == null) {
                        first = e instanceof RegistryException ? e
                                : new RegistryException(RegistryErrors.requestError(e, uri), e);
                    }
                }
            }
            if (first != null) {
                throw new RegistryException("failed to resolve reference \"" + name + "\": " + first.getMessage(), first);
            }
            throw new RegistryException("failed to resolve reference \"" + name + "\": " + name + ": not found"
                    + (notFound == null || notFound.isEmpty() ? "" : ": " + notFound));
        }

        /** Fetches a manifest by digest (an index entry) and verifies it. */
        FetchedManifest manifest(String digest) throws RegistryException {
            FetchedManifest[] out = new FetchedManifest[1];
            fetch("manifests", digest, (r, uri) -> {
                FetchedManifest m = readManifest(r, uri);
                if (!m.digest().equals(digest)) {
                    throw new RegistryException("failed commit on ref \"" + digest + "\": unexpected commit digest "
                            + m.digest() + ", expected " + digest + ": failed precondition");
                }
                out[0] = m;
            });
            return out[0];
        }

        /** Streams a blob into {@code sink}, which verifies it. */
        void blob(String digest, BlobSink sink) throws RegistryException {
            fetch("blobs", digest, (r, uri) -> sink.accept(r.body()));
        }

        private interface Reader {
            void read(HttpTransport.Response r, URI uri) throws IOException;
        }

        private void fetch(String kind, String digest, Reader reader) throws RegistryException {
            List<Endpoint> order = new ArrayList<>(endpoints);
            Endpoint p = preferred;
            if (p != null) {
                order.remove(p);
                order.addFirst(p);
            }
            IOException first = null;
            URI lastUri = null;
            for (Endpoint ep : order) {
                URI uri = uri(ep, "/v2/" + ref.path() + "/" + kind + "/" + digest);
                lastUri = uri;
                try (HttpTransport.Response r = get(ep, uri, kind.equals("manifests") ? MediaTypes.MANIFEST_ACCEPT : null)) {
                    if (r.status() == 200) {
                        reader.read(r, uri);
                        return;
                    }
                    if (r.status() != 404 && first == null) {
                        first = RegistryErrors.statusError(r, uri);
                    }
                } catch (BlobStore.DigestMismatch | RegistryException e) {
                    throw new RegistryException("failed to copy: " + e.getMessage(), e);
                } catch (IOException e) {
                    if (first == null) {
                        first = new RegistryException(RegistryErrors.requestError(e, uri), e);
                    }
                }
            }
            if (first != null) {
                throw new RegistryException("failed to copy: " + first.getMessage(), first);
            }
            throw new RegistryException("failed to copy: httpReadSeeker: failed open: content at " + lastUri
                    + " not found: not found");
        }

        /** GET with authentication (retried once after a 401 challenge) and manual redirects. */
        private HttpTransport.Response get(Endpoint ep, URI start, String accept) throws IOException {
            URI uri = start;
            boolean challenged = false;
            for (int hop = 0; hop <= MAX_REDIRECTS; ) {
                boolean sameOrigin = sameOrigin(uri, ep.base());
                Map<String, List<String>> headers = new HashMap<>();
                headers.put("User-Agent", List.of("kubevisor"));
                if (accept != null) {
                    headers.put("Accept", List.of(accept));
                }
                String auth = authorization.get(ep.host());
                if (sameOrigin && auth != null) {
                    headers.put("Authorization", List.of(auth));
                }
                HttpTransport.Response r = transport.send("GET", uri, headers);
                if (r.status() == 401 && sameOrigin && !challenged) {
                    challenged = true;
                    String next = authorize(ep, AuthChallenge.parse(r.headers("www-authenticate")));
                    if (next != null && !next.equals(auth)) {
                        r.close();
                        authorization.put(ep.host(), next);
                        continue;
                    }
                    return r;
                }
                // Blob redirects may go anywhere, even plain HTTP (CDNs): no credentials follow them and
                // the content is checked against its digest.
                String location = r.header("location");
                if (r.status() >= 300 && r.status() < 400 && location != null) {
                    r.close();
                    uri = uri.resolve(location);
                    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                        throw new IOException("redirect to unsupported URL " + uri);
                    }
                    hop++;
                    continue;
                }
                return r;
            }
            throw new IOException("stopped after " + MAX_REDIRECTS + " redirects");
        }

        /** The Authorization header answering a challenge, or null when we cannot answer it. */
        private String authorize(Endpoint ep, List<AuthChallenge> challenges) throws IOException {
            RegistryCredential cred = credentialFor(ep.host());
            for (AuthChallenge c : challenges) {
                if (c.scheme().equals("bearer") && c.params().containsKey("realm")) {
                    return "Bearer " + token(c, cred);
                }
            }
            for (AuthChallenge c : challenges) {
                if (c.scheme().equals("basic") && cred != null) {
                    return basic(cred);
                }
            }
            return null;
        }

        private String token(AuthChallenge c, RegistryCredential cred) throws IOException {
            String realm = c.params().get("realm");
            String scope = c.params().getOrDefault("scope", "repository:" + ref.path() + ":pull");
            StringBuilder q = new StringBuilder();
            if (c.params().containsKey("service")) {
                q.append("service=").append(URLEncoder.encode(c.params().get("service"), StandardCharsets.UTF_8));
            }
            q.append(q.isEmpty() ? "" : "&").append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
            URI uri;
            try {
                uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + q);
                Endpoint.checkPlainHttp(uri, config);
            } catch (IllegalArgumentException e) {
                throw new RegistryException("failed to authorize: token realm \"" + realm + "\": " + e.getMessage());
            }
            if (uri.getHost() == null || (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()))) {
                throw new RegistryException("failed to authorize: bad token realm \"" + realm + "\"");
            }
            Map<String, List<String>> headers = new HashMap<>();
            headers.put("User-Agent", List.of("kubevisor"));
            if (cred != null) {
                headers.put("Authorization", List.of(basic(cred)));
            }
            String kind = cred == null ? "anonymous" : "oauth";
            HttpTransport.Response r;
            try {
                r = transport.send("GET", uri, headers);
            } catch (IOException e) {
                throw new RegistryException("failed to authorize: failed to fetch " + kind + " token: "
                        + RegistryErrors.requestError(e, uri), e);
            }
            try (r) {
                if (r.status() != 200) {
                    throw new RegistryException("pull access denied, repository does not exist or may require"
                            + " authorization: failed to authorize: failed to fetch " + kind + " token: unexpected status"
                            + " from GET request to " + realm + ": " + RegistryErrors.statusText(r.status()));
                }
                JsonNode body = Json.MAPPER.readTree(r.body().readNBytes(MANIFEST_MAX));
                String token = body.path("token").asString("");
                if (token.isEmpty()) {
                    token = body.path("access_token").asString("");
                }
                if (token.isEmpty()) {
                    throw new RegistryException("failed to authorize: token endpoint " + realm + " returned no token");
                }
                return token;
            } catch (RuntimeException e) {
                throw new RegistryException("failed to authorize: unreadable token response from " + realm, e);
            }
        }

        private RegistryCredential credentialFor(String host) {
            for (RegistryCredential c : credentials) {
                if (c.matches(host)) {
                    return c;
                }
            }
            RegistryConfig.Host h = config.host(host);
            return h.username() != null ? new RegistryCredential(host, h.username(), Objects.toString(h.password(), ""))
                    : null;
        }
    }

    private static String basic(RegistryCredential c) {
        return "Basic " + Base64.getEncoder().encodeToString((c.username() + ":" + c.password())
                .getBytes(StandardCharsets.UTF_8));
    }

    private static URI uri(Endpoint ep, String path) {
        return URI.create(ep.base().toString() + path);
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getRawAuthority(), b.getRawAuthority());
    }

    private static FetchedManifest readManifest(HttpTransport.Response r, URI uri) throws IOException {
        byte[] bytes = r.body().readNBytes(MANIFEST_MAX + 1);
        if (bytes.length > MANIFEST_MAX) {
            throw new RegistryException("manifest at " + uri + " is larger than " + MANIFEST_MAX + " bytes");
        }
        String digest = Digests.of(bytes);
        String claimed = r.header("docker-content-digest");
        if (claimed != null && claimed.startsWith("sha256:") && !claimed.equals(digest)) {
            throw new RegistryException("manifest at " + uri + " has digest " + digest + " but the registry says "
                    + claimed);
        }
        return new FetchedManifest(bytes, r.header("content-type"), digest);
    }
}
