package io.kubevisor.apiserver.apply;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decoded managedFields of one object: each manager's owned fields (with the apiVersion they
 * were recorded in) and the time of its last change. Mutable working state of one request;
 * not thread-safe.
 */
final class Managed {

    /** Fields one manager owns, recorded at one apiVersion. */
    record Owned(FieldSet fields, String apiVersion, boolean applied) {
    }

    final Map<ManagerKey, Owned> owners = new LinkedHashMap<>();
    /** RFC 3339 times in seconds, by manager; absent when Kubernetes would record none. */
    final Map<ManagerKey, String> times = new LinkedHashMap<>();

    /** Drops owners that own nothing. */
    void dropEmpty() {
        owners.entrySet().removeIf(e -> e.getValue().fields().isEmpty());
        times.keySet().retainAll(owners.keySet());
    }
}
