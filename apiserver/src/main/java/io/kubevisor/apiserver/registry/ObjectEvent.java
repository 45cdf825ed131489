package io.kubevisor.apiserver.registry;

import tools.jackson.databind.node.ObjectNode;

/**
 * A watch event as the API streams it: {@code {"type": ..., "object": ...}}.
 *
 * @param type     ADDED, MODIFIED, DELETED, BOOKMARK or ERROR
 * @param object   the object (for ERROR a Status; for BOOKMARK only kind, apiVersion and metadata);
 *                 events of store changes share it between watchers, so it is read-only
 * @param revision the store revision of the change this event reports, or 0 for events made
 *                 for one watcher (initial ADDED, bookmarks, errors, selector transitions)
 */
public record ObjectEvent(Type type, ObjectNode object, long revision) {

    /** The closed set of watch event types. */
    public enum Type { ADDED, MODIFIED, DELETED, BOOKMARK, ERROR }

    /** An event for one watcher only. */
    public ObjectEvent(Type type, ObjectNode object) {
        this(type, object, 0);
    }

    /** Whether watchers share this event (and may share its encoding). */
    public boolean shared() {
        return revision > 0;
    }
}
