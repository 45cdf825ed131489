package io.kubevisor.apiserver;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.kubevisor.api.ApiException;
import io.kubevisor.apiserver.endpoints.Responses;
import io.kubevisor.apiserver.metrics.RecordingExchange;
import io.kubevisor.apiserver.request.Query;

/**
 * Answers 504 Timeout when a request (other than a watch) has not been answered within its
 * {@code timeout} parameter, or 60 s, as kube-apiserver does. The handler may still finish; its
 * late answer is dropped.
 */
final class RequestTimeouts implements AutoCloseable {

    static final Duration DEFAULT = Duration.ofSeconds(60);

    private final ScheduledThreadPoolExecutor timer;

    RequestTimeouts() {
        timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("request-timeouts").factory());
        timer.setRemoveOnCancelPolicy(true);
    }

    void arm(RecordingExchange ex, Query query) {
        Duration d = query.get("timeout").map(RequestTimeouts::parseGoDuration).orElse(DEFAULT);
        if (d.compareTo(DEFAULT) > 0) {
            d = DEFAULT;
        }
        timer.schedule(() -> {
            if (!ex.answered()) {
                Responses.error(ex, new ApiException.Timeout(
                        "Timeout: request did not complete within the allotted timeout"));
            }
        }, d.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Go durations as clients send them: {@code 32s}, {@code 1m0s}, {@code 500ms}. */
    static Duration parseGoDuration(String s) {
        long nanos = 0;
        int i = 0;
        if (s.isEmpty()) {
            throw new ApiException.BadRequest("invalid timeout: empty");
        }
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw new ApiException.BadRequest("invalid timeout: " + s);
            }
            double n = Double.parseDouble(s.substring(start, i));
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            long unit = switch (s.substring(unitStart, i)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> throw new ApiException.BadRequest("invalid timeout: " + s);
            };
            nanos += (long) (n * unit);
        }
        return Duration.ofNanos(nanos);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
