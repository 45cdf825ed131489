package io.kubevisor.apiserver.patch;

import java.util.ArrayList;
import java.util.List;

import io.kubevisor.api.ApiException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * RFC 6902 JSON Patch with kube-apiserver's observable behaviour (it uses json-patch v4):
 * <ul>
 * <li>a body that is not a list of operation objects is a 400 {@code error decoding patch: ...};</li>
 * <li>more than 10,000 operations is a 413;</li>
 * <li>an operation that does not apply (missing path, failed test, bad index) is a 422 with the
 * message {@code the server rejected our request due to an error in our request} and the
 * library's text as the one cause, e.g. {@code error in remove for path: '/a': Unable to remove
 * nonexistent key: a: missing value} or {@code testing value /a failed: test failed};</li>
 * <li>{@code replace} of a missing object member adds it, as in Kubernetes (stricter than the RFC);</li>
 * <li>negative array indexes count from the end, as in Kubernetes.</li>
 * </ul>
 * Stateless and thread-safe; never mutates its arguments.
 */
public final class JsonPatch {

    /** Kubernetes' cap on operations per JSON patch. */
    public static final int MAX_OPERATIONS = 10_000;

    private JsonPatch() {
    }

    /**
     * Applies {@code patch} (a JSON array of operations) to a copy of {@code doc}.
     *
     * @return the patched document, owned by the caller
     * @throws ApiException.BadRequest for a malformed patch, {@link ApiException.Invalid} (422)
     *                                  for an operation that does not apply
     */
    public static JsonNode apply(JsonNode doc, JsonNode patch) {
        List<Op> ops = decode(patch);
        if (ops.size() > MAX_OPERATIONS) {
            throw new ApiException.RequestEntityTooLarge("The allowed maximum operations in a JSON patch is "
                    + MAX_OPERATIONS + ", got " + ops.size());
        }
        if (doc == null || !(doc.isObject() || doc.isArray())) {
            throw ApiException.Invalid.unprocessable("unknown object type");
        }
        Holder root = new Holder(doc.deepCopy());
        for (Op op : ops) {
            try {
                op.applyTo(root);
            } catch (OpFailure e) {
                throw ApiException.Invalid.unprocessable(e.getMessage());
            }
        }
        return root.doc;
    }

    private static List<Op> decode(JsonNode patch) {
        if (patch == null || !patch.isArray()) {
            throw new ApiException.BadRequest("error decoding patch: json: cannot unmarshal "
                    + GoText.jsonKind(patch) + " into Go value of type []handlers.jsonPatchOp");
        }
        List<Op> ops = new ArrayList<>();
        for (JsonNode o : patch.values()) {
            if (o.isNull()) {
                ops.add(new Op(null, null, null, null));
                continue;
            }
            if (!o.isObject()) {
                throw new ApiException.BadRequest("error decoding patch: json: cannot unmarshal "
                        + GoText.jsonKind(o) + " into Go value of type handlers.jsonPatchOp");
            }
            ops.add(new Op(stringField(o, "op"), stringField(o, "path"), stringField(o, "from"), o.get("value")));
        }
        return ops;
    }

    private static String stringField(JsonNode op, String name) {
        JsonNode v = op.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw new ApiException.BadRequest("error decoding patch: json: cannot unmarshal " + GoText.jsonKind(v)
                    + " into Go struct field jsonPatchOp." + name + " of type string");
        }
        return v.asString();
    }

    /** The document being patched; replace of the root swaps it. */
    private static final class Holder {
        JsonNode doc;

        Holder(JsonNode doc) {
            this.doc = doc;
        }
    }

    private record Op(String kind, String path, String from, JsonNode value) {

        void applyTo(Holder root) {
            switch (kind == null ? "unknown" : kind) {
                case "add" -> add(root);
                case "remove" -> remove(root);
                case "replace" -> replace(root);
                case "move" -> move(root);
                case "copy" -> copy(root);
                case "test" -> test(root);
                default -> throw new OpFailure("Unexpected kind: " + (kind == null ? "unknown" : kind));
            }
        }

        private JsonNode valueOrNull() {
            return value == null ? JsonNodeFactory.instance.nullNode() : value.deepCopy();
        }

        private void add(Holder root) {
            if (path == null) {
                throw new OpFailure("add operation failed to decode path: missing value");
            }
            PointerTarget t = PointerTarget.find(root.doc, path);
            if (t == null) {
                throw new OpFailure("add operation does not apply: doc is missing path: \"" + path + "\": missing value");
            }
            try {
                t.add(valueOrNull());
            } catch (OpFailure e) {
                throw new OpFailure("error in add for path: '" + path + "': " + e.getMessage());
            }
        }

        private void remove(Holder root) {
            if (path == null) {
                throw new OpFailure("remove operation failed to decode path: missing value");
            }
            PointerTarget t = PointerTarget.find(root.doc, path);
            if (t == null) {
                throw new OpFailure("remove operation does not apply: doc is missing path: \"" + path + "\": missing value");
            }
            try {
                t.remove();
            } catch (OpFailure e) {
                throw new OpFailure("error in remove for path: '" + path + "': " + e.getMessage());
            }
        }

        private void replace(Holder root) {
            if (path == null) {
                throw new OpFailure("replace operation failed to decode path: operation missing path field: missing value");
            }
            if (path.isEmpty()) {
                if (value == null || !(value.isObject() || value.isArray())) {
                    throw new OpFailure("replace operation value must be object or array");
                }
                root.doc = value.deepCopy();
                return;
            }
            PointerTarget t = PointerTarget.find(root.doc, path);
            if (t == null) {
                throw new OpFailure("replace operation does not apply: doc is missing path: " + path + ": missing value");
            }
            try {
                t.get();
            } catch (OpFailure e) {
                throw new OpFailure("replace operation does not apply: doc is missing key: " + path + ": missing value");
            }
            t.set(valueOrNull());
        }

        private void move(Holder root) {
            if (from == null) {
                throw new OpFailure("move operation failed to decode from: operation, missing from field: missing value");
            }
            PointerTarget src = PointerTarget.find(root.doc, from);
            if (src == null) {
                throw new OpFailure("move operation does not apply: doc is missing from path: " + from + ": missing value");
            }
            JsonNode moved;
            try {
                moved = src.get();
                src.remove();
            } catch (OpFailure e) {
                throw new OpFailure("error in move for path: '" + src.key() + "': " + e.getMessage());
            }
            if (path == null) {
                throw new OpFailure("move operation failed to decode path: operation missing path field: missing value");
            }
            PointerTarget dst = PointerTarget.find(root.doc, path);
            if (dst == null) {
                throw new OpFailure("move operation does not apply: doc is missing destination path: " + path + ": missing value");
            }
            try {
                dst.add(moved == null ? JsonNodeFactory.instance.nullNode() : moved);
            } catch (OpFailure e) {
                throw new OpFailure("error in move for path: '" + path + "': " + e.getMessage());
            }
        }

        private void copy(Holder root) {
            if (from == null) {
                throw new OpFailure("copy operation failed to decode from: operation, missing from field: missing value");
            }
            PointerTarget src = PointerTarget.find(root.doc, from);
            if (src == null) {
                throw new OpFailure("copy operation does not apply: doc is missing from path: " + from + ": missing value");
            }
            JsonNode copied;
            try {
                copied = src.get();
            } catch (OpFailure e) {
                throw new OpFailure("error in copy for from: '" + from + "': " + e.getMessage());
            }
            if (copied == null) {
                // Kubernetes would copy a null here; refusing is what RFC 6902 asks for.
                throw new OpFailure("copy operation does not apply: doc is missing from path: " + from + ": missing value");
            }
            if (path == null) {
                throw new OpFailure("copy operation failed to decode path: missing value");
            }
            PointerTarget dst = PointerTarget.find(root.doc, path);
            if (dst == null) {
                throw new OpFailure("copy operation does not apply: doc is missing destination path: " + path + ": missing value");
            }
            try {
                dst.add(copied.deepCopy());
            } catch (OpFailure e) {
                throw new OpFailure("error while adding value during copy: " + e.getMessage());
            }
        }

        private void test(Holder root) {
            if (path == null) {
                throw new OpFailure("test operation failed to decode path: operation missing path field: missing value");
            }
            String failed = "testing value " + path + " failed: test failed";
            if (path.isEmpty()) {
                if (value != null && value.equals(root.doc)) {
                    return;
                }
                throw new OpFailure(failed);
            }
            PointerTarget t = PointerTarget.find(root.doc, path);
            if (t == null) {
                throw new OpFailure("test operation does not apply: is missing path: " + path + ": missing value");
            }
            JsonNode actual;
            try {
                actual = t.get();
            } catch (OpFailure e) {
                throw new OpFailure("error in test for path: '" + path + "': " + e.getMessage());
            }
            boolean expectNull = value == null || value.isNull();
            if (actual == null) {
                if (expectNull) {
                    return;
                }
                throw new OpFailure(failed);
            }
            if (value == null || !value.equals(actual)) {
                throw new OpFailure(failed);
            }
        }
    }
}
