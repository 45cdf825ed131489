package io.kubevisor.apiserver.fields;

import java.time.InstantSource;

import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.api.schema.FieldSchema;
import io.kubevisor.api.schema.SchemaRegistry;
import io.kubevisor.apiserver.apply.ManagedFields;
import io.kubevisor.apiserver.registry.FieldTracker;
import tools.jackson.databind.node.ObjectNode;

/** Records field ownership of every non-apply write in managedFields, guided by the kind's schema. */
public final class SchemaFieldTracker implements FieldTracker {

    private final SchemaRegistry schemas;
    private final InstantSource clock;

    public SchemaFieldTracker(SchemaRegistry schemas, InstantSource clock) {
        this.schemas = schemas;
        this.clock = clock;
    }

    @Override
    public ObjectNode recordUpdate(ObjectNode before, ObjectNode after, String manager, String subresource) {
        String apiVersion = after.path("apiVersion").asString("");
        FieldSchema schema = schemas.forKind(GroupVersionKind.of(apiVersion, after.path("kind").asString("")))
                .orElse(null);
        return ManagedFields.recordUpdate(before, after, manager, "Update", subresource, apiVersion, schema,
                clock.instant());
    }
}
