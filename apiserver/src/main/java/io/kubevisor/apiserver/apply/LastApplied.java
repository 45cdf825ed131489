package io.kubevisor.apiserver.apply;

import java.util.Map;
import java.util.TreeMap;

import io.kubevisor.api.Json;
import io.kubevisor.api.schema.FieldSchema;
import tools.jackson.databind.JsonNode;

/**
 * The bridge Kubernetes builds from client-side to server-side apply: when {@code kubectl apply
 * --server-side} conflicts only on fields that the object's
 * {@code kubectl.kubernetes.io/last-applied-configuration} set and that still hold those values,
 * the apply is forced, because the same user applied them before.
 */
final class LastApplied {

    private LastApplied() {
    }

    /**
     * The conflicts the last-applied configuration does not explain; all of {@code found} when the
     * object has no usable annotation.
     */
    static ApplyConflicts.Found unexplained(ApplyConflicts.Found found, JsonNode live, FieldSchema schema) {
        FieldSet allowed = allowed(live, schema);
        if (allowed == null) {
            return found;
        }
        Map<ManagerKey, FieldSet> rest = new TreeMap<>(ManagerKey.ORDER);
        found.byManager.forEach((k, set) -> {
            FieldSet left = set.difference(allowed);
            if (!left.isEmpty()) {
                rest.put(k, left);
            }
        });
        return new ApplyConflicts.Found(rest);
    }

    private static FieldSet allowed(JsonNode live, FieldSchema schema) {
        String text = live.path("metadata").path("annotations").path(ServerSideApply.LAST_APPLIED).asString("");
        if (text.isEmpty()) {
            return null;
        }
        try {
            JsonNode last = Json.parse(text);
            if (!last.isObject() || !last.path("apiVersion").asString("").equals(live.path("apiVersion").asString(""))) {
                return null;
            }
            FieldSet set = FieldSetBuilder.of(last, schema, true);
            Diff.Comparison cmp = Diff.compare(ValueStructs.fill(last, schema), ValueStructs.fill(live, schema), schema);
            return set.difference(cmp.modified()).difference(cmp.added()).difference(cmp.removed());
        } catch (RuntimeException e) {
            // An unreadable annotation explains nothing; the conflicts stand.
            return null;
        }
    }
}
