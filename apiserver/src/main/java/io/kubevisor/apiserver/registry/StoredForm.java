package io.kubevisor.apiserver.registry;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.Json;
import io.kubevisor.store.KeyValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How objects sit in the store: JSON without resourceVersion or selfLink; the resourceVersion is
 * the key's mod revision, put back on every read.
 */
final class StoredForm {

    private StoredForm() {
    }

    /** The stored object with its resourceVersion; a new tree owned by the caller. */
    static ObjectNode decode(KeyValue kv) {
        JsonNode n = Json.parse(kv.value());
        if (!(n instanceof ObjectNode o)) {
            throw new ApiException.InternalError("stored value of " + kv.key() + " is not an object");
        }
        meta(o).put("resourceVersion", Long.toString(kv.modRevision()));
        return o;
    }

    static byte[] encode(ObjectNode storageForm) {
        ObjectNode copy = storageForm.deepCopy();
        ObjectNode m = meta(copy);
        m.remove("resourceVersion");
        m.remove("selfLink");
        return Json.bytes(copy);
    }

    /** The object's metadata, created when missing. */
    static ObjectNode meta(ObjectNode o) {
        JsonNode m = o.get("metadata");
        if (m instanceof ObjectNode mo) {
            return mo;
        }
        return o.putObject("metadata");
    }
}
