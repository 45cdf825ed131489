package io.kubevisor.apiserver;

import java.time.Duration;

/**
 * Settings of one API server instance.
 *
 * @param pathPrefix        the URL prefix the whole API is served under ("" or e.g. "/tenants/foo")
 * @param minRequestTimeout watches without timeoutSeconds end between this and twice this
 * @param serviceCidr       the range ClusterIPs are allocated from (e.g. 10.96.0.0/12)
 * @param advertiseAddress  host:port clients use to reach the server (discovery's serverAddress)
 * @param compactionInterval history older than one interval is compacted away; zero keeps it all
 */
public record ApiServerConfig(String pathPrefix, Duration minRequestTimeout, String serviceCidr,
                              String advertiseAddress, Duration compactionInterval) {

    public ApiServerConfig {
        if (pathPrefix == null || pathPrefix.equals("/")) {
            pathPrefix = "";
        }
        if (!pathPrefix.isEmpty() && (!pathPrefix.startsWith("/") || pathPrefix.endsWith("/"))) {
            throw new IllegalArgumentException("path prefix must start and not end with '/': " + pathPrefix);
        }
    }

    public static ApiServerConfig defaults() {
        return new ApiServerConfig("", Duration.ofMinutes(30), "10.96.0.0/12", "127.0.0.1:6443",
                Duration.ofMinutes(5));
    }
}
