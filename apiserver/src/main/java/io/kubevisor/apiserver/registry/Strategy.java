package io.kubevisor.apiserver.registry;

import java.util.List;
import java.util.Map;

import io.kubevisor.api.FieldError;
import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.apiserver.meta.NameRule;
import tools.jackson.databind.node.ObjectNode;

/**
 * What differs between kinds in the one generic registry: defaulting, validation,
 * spec/status rules, deletion grace and selectable fields. The registry fixes the order, as
 * Kubernetes does: defaults → prepare (never validates) → validate (never mutates).
 * Implementations are stateless or thread-safe; they mutate only the object they are given.
 */
public interface Strategy {

    /** Fills in defaults, as Kubernetes' defaulting functions do; runs on every write's input. */
    default void applyDefaults(ObjectNode obj) {
    }

    /** Adjusts a new object before validation (e.g. resets status, sets the initial phase). */
    default void prepareForCreate(ObjectNode obj) {
    }

    /** Adjusts an update of the main resource before validation; {@code old} is read-only. */
    default void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    }

    /** Kind-specific checks of a new object. */
    default List<FieldError> validate(ObjectNode obj) {
        return List.of();
    }

    /** Kind-specific checks of an update (immutable fields and the like). */
    default List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        return validate(obj);
    }

    /** The syntax of object names. */
    default NameRule nameRule() {
        return NameRule.DNS1123_SUBDOMAIN;
    }

    /** Whether PUT of a missing object creates it. */
    default boolean allowCreateOnUpdate() {
        return false;
    }

    /** Whether {@code metadata.generation} starts at 1 and grows with every spec change. */
    default boolean tracksGeneration() {
        return false;
    }

    /** Seconds a delete waits before the object goes (pods: their grace period); 0 deletes at once. */
    default long defaultGracePeriodSeconds(ObjectNode obj) {
        return 0;
    }

    /**
     * Whether something besides metadata.finalizers holds the object on delete (namespaces:
     * spec.finalizers). Held objects are marked deleting instead of removed.
     */
    default boolean holdsDeletion(ObjectNode obj) {
        return false;
    }

    /** Adjusts an object being marked for deletion (namespaces: phase Terminating). */
    default void prepareForDeletion(ObjectNode obj) {
    }

    /**
     * Whether deletes first mark the object (deletionTimestamp) even when it then goes at once,
     * as Kubernetes does for pods.
     */
    default boolean gracefulDeletion() {
        return false;
    }

    /** Whether DELETE answers with the object (true) or with a Status (false). */
    default boolean returnDeletedObject() {
        return false;
    }

    /** Selectable fields beyond metadata.name and metadata.namespace, with their values. */
    default Map<String, String> selectableFields(ObjectNode obj) {
        return Map.of();
    }

    /** Names of the selectable fields beyond metadata.name and metadata.namespace. */
    default List<String> selectableFieldNames() {
        return List.of();
    }

    /**
     * Whether objects served as {@code served} differ from their stored form (then reads must
     * decode and convert). False by default.
     */
    default boolean converts(GroupVersionKind served) {
        return false;
    }

    /**
     * Converts an object read from storage to the requested version (events.k8s.io events
     * share core/v1 storage). Identity by default.
     */
    default ObjectNode fromStorage(ObjectNode stored, GroupVersionKind to) {
        return stored;
    }

    /** Converts an incoming object of {@code from} to the storage version. Identity by default. */
    default ObjectNode toStorage(ObjectNode obj, GroupVersionKind from) {
        return obj;
    }
}
