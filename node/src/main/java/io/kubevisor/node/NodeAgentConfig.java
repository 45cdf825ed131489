package io.kubevisor.node;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.fabric8.kubernetes.client.Config;
import io.kubevisor.node.provider.PodProvider;

/**
 * Everything a {@link NodeAgent} needs. Immutable; the {@code with*} methods return copies.
 *
 * @param nodeName             the Node's name, also the Lease's name and holder identity
 * @param apiConfig            how to reach the API server as this node (a client certificate for
 *                             {@code system:node:<name>} in group {@code system:nodes}); the agent
 *                             builds its own client from it and never changes it
 * @param provider             runs the pods; optional abilities ({@code NodeResources},
 *                             {@code ContainerLogs}, {@code ContainerExec}, {@code PortForwarder},
 *                             {@code PodStats}) are detected with {@code instanceof}
 * @param kubelet              the kubelet HTTPS endpoint
 * @param leaseDuration        the Lease's {@code leaseDurationSeconds}; it is renewed every quarter
 *                             of it (Kubernetes: 40 s, renewed every 10 s)
 * @param statusUpdateInterval how often the node's status is computed (kubelet's
 *                             nodeStatusUpdateFrequency, 10 s)
 * @param statusReportInterval how often it is written when nothing changed (kubelet's
 *                             nodeStatusReportFrequency, 5 min); a change is written at once
 * @param resyncPeriod         how often every pod on the node is synced again regardless of events
 * @param podWorkers           how many pods are synced at once (one worker per pod at a time)
 * @param clock                stamps conditions, leases and events
 */
public record NodeAgentConfig(String nodeName, Config apiConfig, PodProvider provider, KubeletEndpoint kubelet,
                              Duration leaseDuration, Duration statusUpdateInterval, Duration statusReportInterval,
                              Duration resyncPeriod, int podWorkers, Clock clock) {

    /** Kubernetes' defaults. */
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(40);
    public static final Duration DEFAULT_STATUS_UPDATE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_STATUS_REPORT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(60);
    public static final int DEFAULT_KUBELET_PORT = 10250;

    public NodeAgentConfig {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(apiConfig, "apiConfig");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(kubelet, "kubelet");
        Objects.requireNonNull(clock, "clock");
        if (nodeName.isBlank()) {
            throw new IllegalArgumentException("node name must not be empty");
        }
        for (Duration d : List.of(leaseDuration, statusUpdateInterval, statusReportInterval, resyncPeriod)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("intervals must be positive, got " + d);
            }
        }
        if (leaseDuration.toSeconds() < 1) {
            throw new IllegalArgumentException("lease duration must be at least one second");
        }
        if (podWorkers < 1) {
            throw new IllegalArgumentException("podWorkers must be at least 1");
        }
    }

    /** A configuration with Kubernetes' default timings, 16 pod workers and the system clock. */
    public static NodeAgentConfig of(String nodeName, Config apiConfig, PodProvider provider, KubeletEndpoint kubelet) {
        return new NodeAgentConfig(nodeName, apiConfig, provider, kubelet, DEFAULT_LEASE_DURATION,
                DEFAULT_STATUS_UPDATE, DEFAULT_STATUS_REPORT, DEFAULT_RESYNC, 16, Clock.systemUTC());
    }

    public NodeAgentConfig withLeaseDuration(Duration d) {
        return new NodeAgentConfig(nodeName, apiConfig, provider, kubelet, d, statusUpdateInterval,
                statusReportInterval, resyncPeriod, podWorkers, clock);
    }

    public NodeAgentConfig withStatusIntervals(Duration update, Duration report) {
        return new NodeAgentConfig(nodeName, apiConfig, provider, kubelet, leaseDuration, update, report,
                resyncPeriod, podWorkers, clock);
    }

    public NodeAgentConfig withResyncPeriod(Duration d) {
        return new NodeAgentConfig(nodeName, apiConfig, provider, kubelet, leaseDuration, statusUpdateInterval,
                statusReportInterval, d, podWorkers, clock);
    }

    /** How often the Lease is renewed: a quarter of its duration, as the kubelet does. */
    public Duration leaseRenewInterval() {
        return leaseDuration.dividedBy(4);
    }

    @Override
    public String toString() {
        // The API config holds credentials; keep them out of logs.
        return "NodeAgentConfig[nodeName=" + nodeName + ", server=" + apiConfig.getMasterUrl() + ", kubelet="
                + kubelet.bindAddress() + ":" + kubelet.port() + "]";
    }

    /**
     * The kubelet HTTPS endpoint: where it listens and its TLS material.
     *
     * @param bindAddress  e.g. {@code 0.0.0.0}
     * @param port         10250 as the kubelet; 0 picks a free port (the Node then advertises it)
     * @param servingKey   the serving certificate's private key. Secret: never logged
     * @param servingChain the serving certificate first, then intermediates
     * @param clientCas    callers must present a client certificate signed by one of these
     *                     (the API server presents one for {@code kube-apiserver-kubelet-client})
     */
    public record KubeletEndpoint(String bindAddress, int port, PrivateKey servingKey,
                                  List<X509Certificate> servingChain, List<X509Certificate> clientCas) {
        public KubeletEndpoint {
            Objects.requireNonNull(bindAddress, "bindAddress");
            Objects.requireNonNull(servingKey, "servingKey");
            servingChain = List.copyOf(servingChain);
            clientCas = List.copyOf(clientCas);
            if (servingChain.isEmpty()) {
                throw new IllegalArgumentException("the kubelet needs a serving certificate");
            }
            if (clientCas.isEmpty()) {
                throw new IllegalArgumentException("the kubelet needs a CA to verify its callers");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        @Override
        public String toString() {
            return "KubeletEndpoint[" + bindAddress + ":" + port + "]";
        }
    }
}
