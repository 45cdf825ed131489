package io.kubevisor.apiserver.fields;

import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.api.codec.ZeroValueNormalizer;
import io.kubevisor.api.schema.FieldSchema;
import io.kubevisor.api.schema.SchemaRegistry;
import io.kubevisor.apiserver.registry.Canonicalizer;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gives every written object the form kube-apiserver's typed decode and JSON encode would give
 * it: wrongly typed values refused, unknown fields dropped, Go's omitempty and zero-value rules
 * applied (no empty {@code labels: {}}, {@code resources: {}} present, ...). Kinds without a
 * built-in schema pass unchanged. Thread-safe.
 */
public final class SchemaCanonicalizer implements Canonicalizer {

    private final SchemaRegistry schemas;

    public SchemaCanonicalizer(SchemaRegistry schemas) {
        this.schemas = schemas;
    }

    @Override
    public ObjectNode canonicalize(ObjectNode obj) {
        GroupVersionKind gvk = GroupVersionKind.of(obj.path("apiVersion").asString(""), obj.path("kind").asString(""));
        FieldSchema schema = schemas.forKind(gvk).orElse(null);
        if (schema == null) {
            return obj;
        }
        GoDecoding.decode(obj, schema, gvk.kind(), gvk.version());
        ZeroValueNormalizer.normalize(obj, schema);
        return obj;
    }
}
