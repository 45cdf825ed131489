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

    /** Stored values were written by us: skip the duplicate-key checks meant for clients. */
    private static final tools.jackson.databind.json.JsonMapper TRUSTED = Json.MAPPER.rebuild()
            .disable(tools.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** The stored object with its resourceVersion; a new tree owned by the caller. */
    static ObjectNode decode(KeyValue kv) {
        JsonNode n = TRUSTED.readTree(kv.value());
        if (!(n instanceof ObjectNode o)) {
            throw new ApiException.InternalError("stored value of " + kv.key() + " is not an object");
        }
        meta(o).put("resourceVersion", Long.toString(kv.modRevision()));
        return o;
    }

    private static final byte[] METADATA = "\"metadata\":{".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /**
     * The stored bytes with {@code metadata.resourceVersion} spliced in, without decoding: one
     * scan finds the top-level {@code "metadata":{}. Falls back to decoding when it is not there.
     */
    static byte[] withResourceVersion(KeyValue kv) {
        byte[] v = kv.value();
        int at = indexOf(v, METADATA);
        if (at < 0) {
            return Json.bytes(decode(kv));
        }
        int insert = at + METADATA.length;
        boolean empty = insert < v.length && v[insert] == '}';
        byte[] field = ("\"resourceVersion\":\"" + kv.modRevision() + "\"" + (empty ? "" : ","))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] out = new byte[v.length + field.length];
        System.arraycopy(v, 0, out, 0, insert);
        System.arraycopy(field, 0, out, insert, field.length);
        System.arraycopy(v, insert, out, insert + field.length, v.length - insert);
        return out;
    }

    /** Where the top-level {@code "metadata":{} starts (depth 1, outside strings), or -1. */
    private static int indexOf(byte[] json, byte[] needle) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length; i++) {
            byte b = json[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
                continue;
            }
            switch (b) {
                case '{', '[' -> depth++;
                case '}', ']' -> depth--;
                case '"' -> {
                    if (depth == 1 && startsWith(json, i, needle)) {
                        return i;
                    }
                    inString = true;
                }
                default -> {
                }
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] json, int at, byte[] needle) {
        if (at + needle.length > json.length) {
            return false;
        }
        for (int j = 0; j < needle.length; j++) {
            if (json[at + j] != needle[j]) {
                return false;
            }
        }
        return true;
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
