package io.kubevisor.apiserver.registry;

import tools.jackson.databind.node.ObjectNode;

/**
 * Records who set which fields ({@code metadata.managedFields}) on non-apply writes.
 * Implementations are thread-safe and return the object to store.
 */
@FunctionalInterface
public interface FieldTracker {

    /**
     * @param before      the stored object, or null on create
     * @param after       the object about to be stored
     * @param manager     the field manager
     * @param subresource "" or "status"/"scale"
     */
    ObjectNode recordUpdate(ObjectNode before, ObjectNode after, String manager, String subresource);

    FieldTracker NONE = (before, after, manager, subresource) -> after;
}
