package io.kubevisor.apiserver.housekeeping;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.api.ApiException;
import io.kubevisor.apiserver.meta.Timestamps;
import io.kubevisor.apiserver.registry.DeleteOptions;
import io.kubevisor.apiserver.registry.ListOptions;
import io.kubevisor.apiserver.registry.ResourceLister;
import io.kubevisor.apiserver.registry.ResourceStore;
import io.kubevisor.store.StoreException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deletes events an hour (Kubernetes' default event TTL) after their last write, as etcd leases
 * do for kube-apiserver.
 */
public final class EventExpiry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventExpiry.class);

    private final Thread thread;
    private volatile boolean closed;

    private EventExpiry(ResourceStore events, Duration ttl, Duration every, InstantSource clock) {
        this.thread = Thread.ofVirtual().name("event-expiry").start(() -> loop(events, ttl, every, clock));
    }

    public static EventExpiry start(ResourceStore events, Duration ttl, Duration every, InstantSource clock) {
        return new EventExpiry(events, ttl, every, clock);
    }

    private void loop(ResourceStore events, Duration ttl, Duration every, InstantSource clock) {
        while (!closed) {
            try {
                Thread.sleep(every);
                Instant cutoff = clock.instant().minus(ttl);
                int removed = 0;
                for (ObjectNode e : new ResourceLister(events).list("", ListOptions.everything()).items()) {
                    if (lastWrite(e).isBefore(cutoff)) {
                        try {
                            events.delete(e.path("metadata").path("namespace").asString(""),
                                    e.path("metadata").path("name").asString(""), DeleteOptions.defaults());
                            removed++;
                        } catch (ApiException.NotFound | ApiException.Conflict gone) {
                            // deleted or rewritten meanwhile: nothing to do
                        }
                    }
                }
                if (removed > 0) {
                    LOG.info("event=events_expired count={}", removed);
                }
            } catch (InterruptedException e) {
                return;
            } catch (StoreException.Unavailable | ApiException e) {
                if (closed) {
                    return;
                }
                LOG.warn("event=event_expiry_failed cause={}", e.toString());
            }
        }
    }

    /** The newest of the event's timestamps: when it was last written. */
    static Instant lastWrite(ObjectNode e) {
        Instant latest = Instant.EPOCH;
        for (JsonNode t : new JsonNode[] {e.path("lastTimestamp"), e.path("eventTime"),
                e.path("series").path("lastObservedTime"), e.path("metadata").path("creationTimestamp")}) {
            Instant i = Timestamps.parse(t.asString("")).orElse(Instant.EPOCH);
            if (i.isAfter(latest)) {
                latest = i;
            }
        }
        return latest;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
