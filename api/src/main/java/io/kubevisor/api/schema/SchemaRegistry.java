package io.kubevisor.api.schema;

import java.util.Optional;

import io.kubevisor.api.GroupVersionKind;

/**
 * Schemas of every kind a server knows, by GVK. Thread-safe and immutable.
 */
public interface SchemaRegistry {

    /** The top-level schema of a kind (including apiVersion, kind, metadata), if known. */
    Optional<FieldSchema> forKind(GroupVersionKind gvk);

    /** A named definition, e.g. {@code io.k8s.api.core.v1.PodSpec}. */
    Optional<FieldSchema> definition(String name);
}
