package io.kubevisor.runtime.provider;

import java.time.Duration;
import java.time.Instant;

/**
 * The kubelet's back-off (client-go's flowcontrol.Backoff) as pure functions over one entry: the
 * first failure costs nothing, each further one doubles the delay from {@code initial} up to
 * {@code max}, and an entry whose last update is more than twice {@code max} older than the new
 * failure starts over (a container that ran fine for 10 minutes is back to 10 s). Stateless.
 *
 * @param initial the first delay (10 s for container restarts and image pulls)
 * @param max     the cap (5 min)
 */
record Backoff(Duration initial, Duration max) {

    /** Container restarts and image pulls: 10 s doubling to 300 s. */
    static final Backoff KUBELET = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5));

    /**
     * One key's state.
     *
     * @param delay      the delay now in force
     * @param lastUpdate when it was last raised
     */
    record Entry(Duration delay, Instant lastUpdate) {
    }

    /** Whether {@code now} is still within the delay counted from {@code eventTime} (e.g. the last exit). */
    boolean inBackoffSince(Entry e, Instant eventTime, Instant now) {
        if (e == null || expired(eventTime, e.lastUpdate())) {
            return false;
        }
        return Duration.between(eventTime, now).compareTo(e.delay()) < 0;
    }

    /** Whether {@code now} is still within the delay counted from the entry's last update (image pulls). */
    boolean inBackoffSinceUpdate(Entry e, Instant now) {
        if (e == null || expired(now, e.lastUpdate())) {
            return false;
        }
        return Duration.between(e.lastUpdate(), now).compareTo(e.delay()) < 0;
    }

    /** The entry after another failure at {@code eventTime}, stamped {@code now}. */
    Entry next(Entry e, Instant eventTime, Instant now) {
        if (e == null || expired(eventTime, e.lastUpdate())) {
            return new Entry(initial, now);
        }
        Duration doubled = e.delay().multipliedBy(2);
        return new Entry(doubled.compareTo(max) > 0 ? max : doubled, now);
    }

    private boolean expired(Instant eventTime, Instant lastUpdate) {
        return Duration.between(lastUpdate, eventTime).compareTo(max.multipliedBy(2)) > 0;
    }

    /** Go's duration text as the kubelet prints it: {@code 10s}, {@code 2m40s}, {@code 5m0s}. */
    static String goDuration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 60) {
            return m + "m" + (s % 60) + "s";
        }
        return (m / 60) + "h" + (m % 60) + "m" + (s % 60) + "s";
    }
}
