package io.kubevisor.apiserver.registry;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import io.kubevisor.api.ApiException;
import io.kubevisor.apiserver.meta.Timestamps;
import io.kubevisor.store.StoreException;
import io.kubevisor.store.Watch;
import io.kubevisor.store.WatchEvent;
import tools.jackson.databind.node.ObjectNode;

/**
 * A watch over one resource in one version: initial events when asked for, then store changes
 * turned into ADDED/MODIFIED/DELETED with selectors applied the way Kubernetes does (an object
 * leaving the selection is DELETED, one entering it is ADDED). One consumer thread.
 */
public final class ObjectWatch implements AutoCloseable {

    private final ResourceStore resources;
    private final ListOptions selection;
    private final Watch watch;
    private final Deque<ObjectEvent> pending = new ArrayDeque<>();
    private long lastRevision;

    ObjectWatch(ResourceStore resources, ListOptions selection, Watch watch, List<ObjectNode> initial,
                long fromRevision, boolean initialEventsEnd) {
        this.resources = resources;
        this.selection = selection;
        this.watch = watch;
        this.lastRevision = fromRevision;
        for (ObjectNode o : initial) {
            pending.add(new ObjectEvent(ObjectEvent.Type.ADDED, o));
        }
        if (initialEventsEnd) {
            ObjectNode b = bookmark(fromRevision);
            ResourceStore.meta(b).putObject("annotations").put("k8s.io/initial-events-end", "true");
            pending.add(new ObjectEvent(ObjectEvent.Type.BOOKMARK, b));
        }
    }

    /** The revision of the last event delivered (or the start revision). */
    public long lastRevision() {
        return lastRevision;
    }

    /**
     * The next event, waiting up to {@code timeout}; null on timeout. When the store reports
     * progress without a matching change, returns a BOOKMARK if {@code bookmarks} is set.
     *
     * @throws StoreException.WatchClosed when the watch has ended
     */
    public ObjectEvent next(Duration timeout, boolean bookmarks) throws InterruptedException {
        if (!pending.isEmpty()) {
            return pending.poll();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            WatchEvent e = watch.poll(Duration.ofNanos(left));
            if (e == null) {
                return null;
            }
            ObjectEvent out = translate(e);
            if (!(e instanceof WatchEvent.Progress)) {
                lastRevision = e.revision();
            }
            if (out != null) {
                return out;
            }
            if (e instanceof WatchEvent.Progress p && bookmarks && p.revision() > 0) {
                lastRevision = Math.max(lastRevision, p.revision());
                return new ObjectEvent(ObjectEvent.Type.BOOKMARK, bookmark(lastRevision));
            }
        }
    }

    /** A bookmark for the last revision seen. */
    public ObjectEvent bookmarkNow() {
        return new ObjectEvent(ObjectEvent.Type.BOOKMARK, bookmark(lastRevision));
    }

    private ObjectEvent translate(WatchEvent e) {
        SharedDecodes shared = resources.sharedDecodes();
        boolean selects = selection.selects();
        return switch (e) {
            case WatchEvent.Put put -> {
                ObjectNode now = shared.value(put.kv().modRevision(), () -> resources.decode(put.kv()));
                if (put.prev() == null) {
                    yield !selects || Selection.matches(now, selection, resources.strategy())
                            ? new ObjectEvent(ObjectEvent.Type.ADDED, now, put.revision()) : null;
                }
                if (!selects) {
                    yield new ObjectEvent(ObjectEvent.Type.MODIFIED, now, put.revision());
                }
                boolean nowIn = Selection.matches(now, selection, resources.strategy());
                ObjectNode before = shared.value(put.prev().modRevision(), () -> resources.decode(put.prev()));
                boolean beforeIn = Selection.matches(before, selection, resources.strategy());
                if (nowIn && beforeIn) {
                    yield new ObjectEvent(ObjectEvent.Type.MODIFIED, now, put.revision());
                } else if (nowIn) {
                    yield new ObjectEvent(ObjectEvent.Type.ADDED, now);
                } else if (beforeIn) {
                    ObjectNode gone = before.deepCopy();
                    ResourceStore.meta(gone).put("resourceVersion", Long.toString(put.revision()));
                    yield new ObjectEvent(ObjectEvent.Type.DELETED, gone);
                }
                yield null;
            }
            case WatchEvent.Delete del -> {
                ObjectNode before = shared.deleted(del.revision(), () -> {
                    ObjectNode o = resources.decode(del.prev());
                    ResourceStore.meta(o).put("resourceVersion", Long.toString(del.revision()));
                    return o;
                });
                yield !selects || Selection.matches(before, selection, resources.strategy())
                        ? new ObjectEvent(ObjectEvent.Type.DELETED, before, del.revision()) : null;
            }
            case WatchEvent.Progress p -> null;
        };
    }

    private ObjectNode bookmark(long revision) {
        ObjectNode b = io.kubevisor.api.Json.object();
        b.put("kind", resources.type().kind());
        b.put("apiVersion", resources.type().apiVersion());
        b.putObject("metadata").put("resourceVersion", Long.toString(revision))
                .put("creationTimestamp", (String) null);
        return b;
    }

    /** An ERROR event carrying a Status, e.g. 410 Gone for a compacted start revision. */
    public static ObjectEvent error(ApiException e) {
        return new ObjectEvent(ObjectEvent.Type.ERROR, e.toStatus());
    }

    @Override
    public void close() {
        watch.close();
    }

    static String now() {
        return Timestamps.format(java.time.Instant.now());
    }
}
