package io.kubevisor.runtime.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;

/**
 * How to reach registries, per registry host (the {@code host[:port]} of an image name, with
 * {@code docker.io} for Docker Hub). The idea of containerd's {@code hosts.toml}, as JSON:
 *
 * <pre>{@code
 * {
 *   "hosts": {
 *     "docker.io":             { "mirrors": ["http://127.0.0.1:5000"], "fallbackToUpstream": false },
 *     "registry.example:5000": { "insecure": true },
 *     "127.0.0.1:5000":        { "username": "ci", "password": "secret" }
 *   }
 * }
 * }</pre>
 *
 * <p>Mirrors are tried in order before the host itself (unless {@code fallbackToUpstream} is
 * false). Plain HTTP is used for loopback hosts (127.0.0.0/8, ::1, localhost) and hosts marked
 * {@code insecure}; any other host is reached over verified TLS only, and an {@code http://}
 * mirror on such a host is refused. Credentials apply to requests to that host (or mirror host);
 * imagePullSecrets take precedence over them.
 *
 * @param hosts per-host settings; hosts not listed use {@link Host#DEFAULT}
 */
public record RegistryConfig(Map<String, Host> hosts) {

    public RegistryConfig {
        Map<String, Host> copy = new LinkedHashMap<>();
        hosts.forEach((k, v) -> copy.put(RegistryCredential.normalizeHost(k), v));
        hosts = Map.copyOf(copy);
    }

    /** No mirrors, no credentials, no insecure hosts. */
    public static RegistryConfig empty() {
        return new RegistryConfig(Map.of());
    }

    /**
     * Settings for one registry host.
     *
     * @param mirrors            endpoint URLs ({@code http(s)://host[:port]}) tried first, in order
     * @param fallbackToUpstream whether to try the host itself after the mirrors
     * @param insecure           allow plain HTTP to this host although it is not loopback
     * @param username           user for this host, or null
     * @param password           password for this host, or null
     */
    public record Host(List<URI> mirrors, boolean fallbackToUpstream, boolean insecure, String username,
                       String password) {
        /** No mirror, upstream only, TLS unless loopback, anonymous. */
        public static final Host DEFAULT = new Host(List.of(), true, false, null, null);

        public Host {
            mirrors = List.copyOf(mirrors);
            for (URI m : mirrors) {
                checkEndpoint(m);
            }
        }

        /** A host reached through the given mirrors only. */
        public static Host mirroredBy(URI... mirrors) {
            return new Host(List.of(mirrors), false, false, null, null);
        }

        /** A host allowed over plain HTTP. */
        public static Host insecureHost() {
            return new Host(List.of(), true, true, null, null);
        }

        /** A host with credentials. */
        public static Host withCredentials(String username, String password) {
            return new Host(List.of(), true, false, username, password);
        }

        @Override
        public String toString() {
            return "Host[mirrors=" + mirrors + ", fallbackToUpstream=" + fallbackToUpstream + ", insecure=" + insecure
                    + ", username=" + username + ", password=" + (password == null ? null : "<redacted>") + "]";
        }
    }

    /** The settings for a registry host; {@link Host#DEFAULT} when not configured. */
    public Host host(String registryHost) {
        return hosts.getOrDefault(RegistryCredential.normalizeHost(registryHost), Host.DEFAULT);
    }

    /** Reads the JSON form shown above from a file. */
    public static RegistryConfig load(Path file) {
        try {
            return parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read registry config " + file, e);
        }
    }

    /**
     * Parses the JSON form shown above.
     *
     * @throws IllegalArgumentException on a malformed document, naming the bad field
     */
    public static RegistryConfig parse(byte[] json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("registry config: not JSON: " + e.getMessage(), e);
        }
        JsonNode hosts = root == null ? null : root.get("hosts");
        if (hosts == null || hosts.isNull()) {
            return empty();
        }
        if (!hosts.isObject()) {
            throw new IllegalArgumentException("registry config: \"hosts\" must be an object");
        }
        Map<String, Host> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : hosts.properties()) {
            String where = "registry config: hosts[\"" + e.getKey() + "\"]";
            JsonNode h = e.getValue();
            if (!h.isObject()) {
                throw new IllegalArgumentException(where + " must be an object");
            }
            List<URI> mirrors = new ArrayList<>();
            JsonNode m = h.get("mirrors");
            if (m != null && !m.isNull()) {
                if (!m.isArray()) {
                    throw new IllegalArgumentException(where + ".mirrors must be an array of URLs");
                }
                for (JsonNode u : m) {
                    try {
                        mirrors.add(new URI(u.asString()));
                    } catch (URISyntaxException bad) {
                        throw new IllegalArgumentException(where + ".mirrors: " + bad.getMessage(), bad);
                    }
                }
            }
            try {
                out.put(e.getKey(), new Host(mirrors, bool(h, "fallbackToUpstream", true), bool(h, "insecure", false),
                        string(h, "username"), string(h, "password")));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(where + ": " + bad.getMessage(), bad);
            }
        }
        return new RegistryConfig(out);
    }

    private static boolean bool(JsonNode node, String field, boolean dflt) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? dflt : v.asBoolean();
    }

    private static String string(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    private static void checkEndpoint(URI uri) {
        String scheme = uri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("mirror \"" + uri + "\" must be an http:// or https:// URL");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("mirror \"" + uri + "\" has no host");
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw new IllegalArgumentException("mirror \"" + uri + "\" must not have a path");
        }
    }
}
