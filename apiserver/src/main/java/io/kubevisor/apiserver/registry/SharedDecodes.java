package io.kubevisor.apiserver.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import tools.jackson.databind.node.ObjectNode;

/**
 * Watches of one resource see the same changes: each stored value is decoded once and each
 * event encoded once for all of them, instead of once per watcher. Small and bounded (recent
 * revisions only); values are read-only. Thread-safe.
 */
final class SharedDecodes {

    private static final int SIZE = 512;

    private final Map<Object, Object> recent = new LinkedHashMap<>(SIZE * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Object> eldest) {
            return size() > SIZE;
        }
    };

    private record ValueKey(long modRevision) {
    }

    private record DeletedKey(long revision) {
    }

    private record LineKey(long revision, ObjectEvent.Type type, String rendering) {
    }

    /** The decoded value written at a revision (served form, resourceVersion set). */
    ObjectNode value(long modRevision, Supplier<ObjectNode> decode) {
        return (ObjectNode) get(new ValueKey(modRevision), decode::get);
    }

    /** The last value of an object deleted at a revision, with the deletion as its resourceVersion. */
    ObjectNode deleted(long revision, Supplier<ObjectNode> decode) {
        return (ObjectNode) get(new DeletedKey(revision), decode::get);
    }

    /** An event's encoded form for one rendering (e.g. "json"), computed once per change. */
    byte[] line(ObjectEvent event, String rendering, Supplier<byte[]> encode) {
        return (byte[]) get(new LineKey(event.revision(), event.type(), rendering), encode::get);
    }

    private synchronized Object get(Object key, Supplier<Object> compute) {
        Object v = recent.get(key);
        if (v == null) {
            v = compute.get();
            recent.put(key, v);
        }
        return v;
    }
}
