package io.kubevisor.controllers;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Per-key exponential backoff, as client-go's item-exponential-failure rate limiter: the n-th
 * consecutive failure of a key (counting from 0) waits {@code base · 2ⁿ}, never more than
 * {@code max}; {@link #reset} starts the key over. Thread-safe.
 *
 * @param <K> the key type; keys must have value equality
 */
public final class Backoff<K> {

    /** Kubernetes' namespace controller retries from 5 ms up to one minute. */
    public static final Duration DEFAULT_BASE = Duration.ofMillis(5);
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(60);

    private final Duration base;
    private final Duration max;
    private final Map<K, Integer> failures = new HashMap<>();

    /**
     * @throws IllegalArgumentException if base is not positive or max is less than base
     */
    public Backoff(Duration base, Duration max) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(max, "max");
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= max, got base=" + base + " max=" + max);
        }
        this.base = base;
        this.max = max;
    }

    /** A backoff from {@link #DEFAULT_BASE} to {@link #DEFAULT_MAX}. */
    public static <K> Backoff<K> defaults() {
        return new Backoff<>(DEFAULT_BASE, DEFAULT_MAX);
    }

    /** Counts one more failure of {@code key} and returns how long to wait before retrying it. */
    public synchronized Duration next(K key) {
        int n = failures.merge(key, 1, Integer::sum) - 1;
        // Doubling past 2^62 ns overflows; by then any sane max has long been reached.
        if (n >= 62) {
            return max;
        }
        double nanos = base.toNanos() * Math.pow(2, n);
        return nanos >= max.toNanos() ? max : Duration.ofNanos((long) nanos);
    }

    /** Forgets the failures of {@code key}: its next failure waits {@code base} again. */
    public synchronized void reset(K key) {
        failures.remove(key);
    }

    /** How many consecutive failures of {@code key} are counted. */
    public synchronized int failures(K key) {
        return failures.getOrDefault(key, 0);
    }
}
