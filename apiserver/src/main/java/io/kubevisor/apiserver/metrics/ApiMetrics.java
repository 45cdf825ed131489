package io.kubevisor.apiserver.metrics;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Request counts and latencies by verb, resource and code, exposed at {@code /metrics} in
 * Prometheus format with Kubernetes' metric names. One registry per API server instance.
 */
public final class ApiMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public void record(String verb, String resource, int code, long nanos) {
        String v = verb == null ? "" : verb.toUpperCase(java.util.Locale.ROOT);
        String c = Integer.toString(code);
        Counter.builder("apiserver_request_total")
                .description("Counter of apiserver requests broken out by verb, resource and HTTP response code.")
                .tag("verb", v).tag("resource", resource).tag("code", c)
                .register(registry).increment();
        if (!"WATCH".equals(v)) {
            Timer.builder("apiserver_request_duration_seconds")
                    .description("Response latency distribution in seconds for each verb and resource.")
                    .tag("verb", v).tag("resource", resource)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(60))
                    .register(registry).record(Duration.ofNanos(nanos));
        }
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
