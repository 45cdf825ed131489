package io.kubevisor.runtime.image;

import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A place to fetch a registry's content from: a mirror or the registry itself.
 *
 * @param base   {@code scheme://host[:port]}
 * @param host   {@code host[:port]} of the base, for credentials and TLS policy
 * @param mirror whether this is a configured mirror
 */
record Endpoint(URI base, String host, boolean mirror) {

    /** Docker Hub's API host; images say {@code docker.io}. */
    static final String DOCKER_HUB_API = "registry-1.docker.io";

    /**
     * The endpoints for a registry host, in the order to try them: mirrors, then the host itself
     * (unless the config says mirrors only). Checks the plain-HTTP policy for each.
     *
     * @throws IllegalArgumentException when a configured endpoint would use plain HTTP to a host
     *                                  that is neither loopback nor marked insecure
     */
    static List<Endpoint> forRegistry(String registryHost, RegistryConfig config) {
        RegistryConfig.Host settings = config.host(registryHost);
        List<Endpoint> out = new ArrayList<>();
        for (URI m : settings.mirrors()) {
            URI base = URI.create(m.getScheme() + "://" + m.getRawAuthority());
            checkPlainHttp(base, config);
            out.add(new Endpoint(base, m.getRawAuthority().toLowerCase(Locale.ROOT), true));
        }
        if (settings.fallbackToUpstream() || out.isEmpty()) {
            String apiHost = registryHost.equals(ImageRef.DOCKER_HUB) ? DOCKER_HUB_API : registryHost;
            boolean plain = isLoopback(registryHost) || settings.insecure();
            out.add(new Endpoint(URI.create((plain ? "http" : "https") + "://" + apiHost), registryHost, false));
        }
        return List.copyOf(out);
    }

    /**
     * Refuses plain HTTP to hosts that are not loopback and not marked insecure: credentials and
     * tags would travel in clear text, open to tampering (blobs are digest-checked, tags are not).
     */
    static void checkPlainHttp(URI uri, RegistryConfig config) {
        if (!"http".equals(uri.getScheme())) {
            return;
        }
        String authority = uri.getRawAuthority();
        if (isLoopback(authority) || config.host(authority).insecure()) {
            return;
        }
        throw new IllegalArgumentException("plain HTTP to \"" + authority + "\" refused: it is not a loopback host"
                + " and the registry config does not mark it insecure");
    }

    /**
     * Whether {@code host[:port]} names this machine: {@code localhost} or a loopback IP literal
     * (127.0.0.0/8, ::1). Names are never resolved: what DNS says may change between the check
     * and the connection.
     */
    static boolean isLoopback(String hostPort) {
        String h = hostPort.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0) {
                return false;
            }
            h = h.substring(1, close);
        } else {
            int colon = h.lastIndexOf(':');
            if (colon >= 0 && h.indexOf(':') == colon) {
                h = h.substring(0, colon);
            }
        }
        if (h.equals("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+") && !h.matches("[0-9a-f:]+")) {
            return false;
        }
        try {
            return InetAddress.ofLiteral(h).isLoopbackAddress();
        } catch (IllegalArgumentException notLiteral) {
            return false;
        }
    }
}
