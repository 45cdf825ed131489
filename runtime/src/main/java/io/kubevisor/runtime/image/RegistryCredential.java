package io.kubevisor.runtime.image;

import java.util.Locale;

/**
 * A user name and password for one registry host, as found in an imagePullSecret or the registry
 * configuration.
 *
 * @param host     {@code host[:port]}, lowercase; {@code docker.io} for Docker Hub; a leading
 *                 {@code *.} label matches any one label (as the kubelet's keyring does)
 * @param username user name (for token registries, often a robot account)
 * @param password password or access token
 */
public record RegistryCredential(String host, String username, String password) {

    public RegistryCredential {
        host = normalizeHost(host);
    }

    /** Whether these credentials are meant for {@code endpointHost} ({@code host[:port]}). */
    public boolean matches(String endpointHost) {
        String target = normalizeHost(endpointHost);
        String[] want = host.split("\\.", -1);
        String[] have = target.split("\\.", -1);
        if (want.length != have.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            if (!want[i].equals("*") && !want[i].equals(have[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reduces a docker-config key or a URL to {@code host[:port]}: strips the scheme and path and
     * maps Docker Hub's several names to {@code docker.io}.
     */
    static String normalizeHost(String key) {
        String h = key.trim().toLowerCase(Locale.ROOT);
        int scheme = h.indexOf("://");
        if (scheme >= 0) {
            h = h.substring(scheme + 3);
        }
        int slash = h.indexOf('/');
        if (slash >= 0) {
            h = h.substring(0, slash);
        }
        return switch (h) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> ImageRef.DOCKER_HUB;
            default -> h;
        };
    }

    @Override
    public String toString() {
        return "RegistryCredential[host=" + host + ", username=" + username + ", password=<redacted>]";
    }
}
