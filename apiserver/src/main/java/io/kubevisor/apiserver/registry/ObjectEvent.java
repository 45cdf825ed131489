package io.kubevisor.apiserver.registry;

import tools.jackson.databind.node.ObjectNode;

/**
 * A watch event as the API streams it: {@code {"type": ..., "object": ...}}.
 *
 * @param type   ADDED, MODIFIED, DELETED, BOOKMARK or ERROR
 * @param object the object (for ERROR a Status; for BOOKMARK only kind, apiVersion and metadata)
 */
public record ObjectEvent(Type type, ObjectNode object) {

    /** The closed set of watch event types. */
    public enum Type { ADDED, MODIFIED, DELETED, BOOKMARK, ERROR }
}
