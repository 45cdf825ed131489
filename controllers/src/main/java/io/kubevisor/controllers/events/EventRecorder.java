package io.kubevisor.controllers.events;

import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubevisor.controllers.Failures;

/**
 * Writes core/v1 Events, as client-go's event recorder does: named {@code <object>.<hex nanos>},
 * in the object's namespace ({@code default} for cluster-scoped objects), with
 * {@code source.component} and {@code reportingComponent} naming the controller. An event that
 * repeats (same object, type, reason and message) bumps the {@code count} and
 * {@code lastTimestamp} of the one written before, which kubectl describe shows as
 * {@code (x3 over 2m)}. Best effort: a failed write is logged, never thrown. Thread-safe.
 */
public final class EventRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    /** Kubernetes truncates event messages to this many bytes; we count characters. */
    static final int MAX_MESSAGE = 1024;
    private static final int REMEMBERED = 1024;

    private record Key(String namespace, String uid, String name, String type, String reason, String message) {
    }

    private final KubernetesClient client;
    private final String component;
    private final String instance;
    private final InstantSource clock;
    private final Map<Key, Event> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Event> eldest) {
            return size() > REMEMBERED;
        }
    };

    /**
     * @param client    used to write events; not closed
     * @param component who reports, e.g. {@code default-scheduler}
     * @param instance  which instance of it reports ({@code reportingInstance}), e.g.
     *                  {@code default-scheduler-<host>}; may be empty
     */
    public EventRecorder(KubernetesClient client, String component, String instance, InstantSource clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.component = Objects.requireNonNull(component, "component");
        this.instance = Objects.requireNonNull(instance, "instance");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Records an event about {@code about}.
     *
     * @param type   {@code Normal} or {@code Warning}
     * @param reason e.g. {@code FailedScheduling}
     * @param action what was being done, e.g. {@code Scheduling}
     */
    public void record(ObjectReference about, String type, String reason, String action, String message) {
        String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
        String namespace = about.getNamespace() == null || about.getNamespace().isEmpty() ? "default"
                : about.getNamespace();
        Key key = new Key(namespace, about.getUid(), about.getName(), type, reason, text);
        String now = timestamp(clock.instant());
        Event previous;
        synchronized (recent) {
            previous = recent.get(key);
        }
        try {
            Event written = previous == null ? create(about, namespace, type, reason, action, text, now)
                    : bump(previous, now, about, namespace, type, reason, action, text);
            synchronized (recent) {
                recent.put(key, written);
            }
        } catch (RuntimeException e) {
            LOG.warn("event=event_write_failed component={} object={}/{} reason={} cause=\"{}\"", component,
                    namespace, about.getName(), reason, Failures.describe(e));
        }
    }

    private Event create(ObjectReference about, String namespace, String type, String reason, String action,
                         String text, String now) {
        Event e = new EventBuilder()
                .withNewMetadata()
                .withName(about.getName() + "." + Long.toHexString(nanos(clock.instant())))
                .withNamespace(namespace)
                .endMetadata()
                .withInvolvedObject(about)
                .withType(type)
                .withReason(reason)
                .withAction(action)
                .withMessage(text)
                .withNewSource().withComponent(component).endSource()
                .withReportingComponent(component)
                .withReportingInstance(instance)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build();
        return client.v1().events().inNamespace(namespace).resource(e).create();
    }

    private Event bump(Event previous, String now, ObjectReference about, String namespace, String type,
                       String reason, String action, String text) {
        int count = previous.getCount() == null ? 1 : previous.getCount();
        Event next = new EventBuilder(previous).withCount(count + 1).withLastTimestamp(now).build();
        try {
            return client.v1().events().inNamespace(namespace).resource(next).update();
        } catch (RuntimeException e) {
            if (Failures.httpCode(e) != 404 && Failures.httpCode(e) != 409) {
                throw e;
            }
            // Gone (expired) or changed by someone else: start a new one.
            return create(about, namespace, type, reason, action, text, now);
        }
    }

    /** RFC 3339 in whole seconds, as Kubernetes writes metav1.Time. */
    public static String timestamp(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
