package io.kubevisor.apiserver.patch;

import io.kubevisor.api.JsonValues;
import java.util.Map;

import io.kubevisor.api.ApiException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 7386 JSON merge patch: objects merge member by member, {@code null} deletes a member, every
 * other value (arrays included) replaces. Nulls inside values that are added are dropped, as
 * json-patch does for Kubernetes. Stateless and thread-safe; never mutates its arguments.
 */
public final class MergePatch {

    private MergePatch() {
    }

    /**
     * Applies a merge patch to a copy of {@code doc}.
     *
     * @param doc   the current object (a JSON object)
     * @param patch the patch; must be a JSON object, otherwise 400 {@code Invalid JSON Patch}
     * @return the patched document, owned by the caller
     */
    public static JsonNode apply(JsonNode doc, JsonNode patch) {
        if (!(patch instanceof ObjectNode p)) {
            throw new ApiException.BadRequest("Invalid JSON Patch");
        }
        if (!(doc instanceof ObjectNode d)) {
            ObjectNode fresh = p.deepCopy();
            JsonValues.dropNullFields(fresh);
            return fresh;
        }
        ObjectNode out = d.deepCopy();
        mergeInto(out, p);
        return out;
    }

    private static void mergeInto(ObjectNode target, ObjectNode patch) {
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String key = e.getKey();
            JsonNode pv = e.getValue();
            if (pv.isNull()) {
                target.remove(key);
                continue;
            }
            JsonNode cur = target.get(key);
            if (cur instanceof ObjectNode co && pv instanceof ObjectNode po) {
                mergeInto(co, po);
            } else {
                JsonNode v = pv.deepCopy();
                JsonValues.dropNullFields(v);
                target.set(key, v);
            }
        }
    }
}
