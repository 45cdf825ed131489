package io.kubevisor.apiserver.patch;

import java.util.ArrayList;
import java.util.List;

import io.kubevisor.api.ApiException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

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
            } catch (NotApplicable e) {
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

    /** An operation that does not apply; the message is json-patch's. */
    private static final class NotApplicable extends RuntimeException {
        NotApplicable(String message) {
            super(message, null, false, false);
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
                default -> throw new NotApplicable("Unexpected kind: " + (kind == null ? "unknown" : kind));
            }
        }

        private JsonNode valueOrNull() {
            return value == null ? JsonNodeFactory.instance.nullNode() : value.deepCopy();
        }

        private void add(Holder root) {
            if (path == null) {
                throw new NotApplicable("add operation failed to decode path: missing value");
            }
            Target t = Target.find(root.doc, path);
            if (t == null) {
                throw new NotApplicable("add operation does not apply: doc is missing path: \"" + path + "\": missing value");
            }
            try {
                t.add(valueOrNull());
            } catch (NotApplicable e) {
                throw new NotApplicable("error in add for path: '" + path + "': " + e.getMessage());
            }
        }

        private void remove(Holder root) {
            if (path == null) {
                throw new NotApplicable("remove operation failed to decode path: missing value");
            }
            Target t = Target.find(root.doc, path);
            if (t == null) {
                throw new NotApplicable("remove operation does not apply: doc is missing path: \"" + path + "\": missing value");
            }
            try {
                t.remove();
            } catch (NotApplicable e) {
                throw new NotApplicable("error in remove for path: '" + path + "': " + e.getMessage());
            }
        }

        private void replace(Holder root) {
            if (path == null) {
                throw new NotApplicable("replace operation failed to decode path: operation missing path field: missing value");
            }
            if (path.isEmpty()) {
                if (value == null || !(value.isObject() || value.isArray())) {
                    throw new NotApplicable("replace operation value must be object or array");
                }
                root.doc = value.deepCopy();
                return;
            }
            Target t = Target.find(root.doc, path);
            if (t == null) {
                throw new NotApplicable("replace operation does not apply: doc is missing path: " + path + ": missing value");
            }
            try {
                t.get();
            } catch (NotApplicable e) {
                throw new NotApplicable("replace operation does not apply: doc is missing key: " + path + ": missing value");
            }
            t.set(valueOrNull());
        }

        private void move(Holder root) {
            if (from == null) {
                throw new NotApplicable("move operation failed to decode from: operation, missing from field: missing value");
            }
            Target src = Target.find(root.doc, from);
            if (src == null) {
                throw new NotApplicable("move operation does not apply: doc is missing from path: " + from + ": missing value");
            }
            JsonNode moved;
            try {
                moved = src.get();
                src.remove();
            } catch (NotApplicable e) {
                throw new NotApplicable("error in move for path: '" + src.key + "': " + e.getMessage());
            }
            if (path == null) {
                throw new NotApplicable("move operation failed to decode path: operation missing path field: missing value");
            }
            Target dst = Target.find(root.doc, path);
            if (dst == null) {
                throw new NotApplicable("move operation does not apply: doc is missing destination path: " + path + ": missing value");
            }
            try {
                dst.add(moved == null ? JsonNodeFactory.instance.nullNode() : moved);
            } catch (NotApplicable e) {
                throw new NotApplicable("error in move for path: '" + path + "': " + e.getMessage());
            }
        }

        private void copy(Holder root) {
            if (from == null) {
                throw new NotApplicable("copy operation failed to decode from: operation, missing from field: missing value");
            }
            Target src = Target.find(root.doc, from);
            if (src == null) {
                throw new NotApplicable("copy operation does not apply: doc is missing from path: " + from + ": missing value");
            }
            JsonNode copied;
            try {
                copied = src.get();
            } catch (NotApplicable e) {
                throw new NotApplicable("error in copy for from: '" + from + "': " + e.getMessage());
            }
            if (copied == null) {
                // Kubernetes would copy a null here; refusing is what RFC 6902 asks for.
                throw new NotApplicable("copy operation does not apply: doc is missing from path: " + from + ": missing value");
            }
            if (path == null) {
                throw new NotApplicable("copy operation failed to decode path: missing value");
            }
            Target dst = Target.find(root.doc, path);
            if (dst == null) {
                throw new NotApplicable("copy operation does not apply: doc is missing destination path: " + path + ": missing value");
            }
            try {
                dst.add(copied.deepCopy());
            } catch (NotApplicable e) {
                throw new NotApplicable("error while adding value during copy: " + e.getMessage());
            }
        }

        private void test(Holder root) {
            if (path == null) {
                throw new NotApplicable("test operation failed to decode path: operation missing path field: missing value");
            }
            String failed = "testing value " + path + " failed: test failed";
            if (path.isEmpty()) {
                if (value != null && value.equals(root.doc)) {
                    return;
                }
                throw new NotApplicable(failed);
            }
            Target t = Target.find(root.doc, path);
            if (t == null) {
                throw new NotApplicable("test operation does not apply: is missing path: " + path + ": missing value");
            }
            JsonNode actual;
            try {
                actual = t.get();
            } catch (NotApplicable e) {
                throw new NotApplicable("error in test for path: '" + path + "': " + e.getMessage());
            }
            boolean expectNull = value == null || value.isNull();
            if (actual == null) {
                if (expectNull) {
                    return;
                }
                throw new NotApplicable(failed);
            }
            if (value == null || !value.equals(actual)) {
                throw new NotApplicable(failed);
            }
        }
    }

    /** A parent container and the (decoded) last reference token of a pointer. */
    private record Target(JsonNode parent, String key) {

        /** Walks all but the last token; null when an intermediate value is missing or a scalar. */
        static Target find(JsonNode doc, String pointer) {
            String[] tokens = pointer.split("/", -1);
            if (tokens.length < 2) {
                return null;
            }
            JsonNode cur = doc;
            for (int i = 1; i < tokens.length - 1; i++) {
                String token = decode(tokens[i]);
                JsonNode next;
                if (cur instanceof ObjectNode o) {
                    next = o.get(token);
                } else if (cur instanceof ArrayNode a) {
                    Integer idx = parseIndex(token);
                    if (idx == null) {
                        return null;
                    }
                    int real = idx < 0 ? idx + a.size() : idx;
                    next = real < 0 || real >= a.size() ? null : a.get(real);
                } else {
                    return null;
                }
                if (next == null || !(next.isObject() || next.isArray())) {
                    return null;
                }
                cur = next;
            }
            return new Target(cur, decode(tokens[tokens.length - 1]));
        }

        private static String decode(String token) {
            return token.replace("~1", "/").replace("~0", "~");
        }

        private static Integer parseIndex(String s) {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        private int index() {
            Integer idx = parseIndex(key);
            if (idx == null) {
                throw new NotApplicable("strconv.Atoi: parsing \"" + key + "\": invalid syntax");
            }
            return idx;
        }

        private static NotApplicable invalidIndex(int idx) {
            return new NotApplicable("Unable to access invalid index: " + idx + ": invalid index referenced");
        }

        /** The member, or null for a missing object member; a bad array index throws. */
        JsonNode get() {
            if (parent instanceof ObjectNode o) {
                return o.get(key);
            }
            ArrayNode a = (ArrayNode) parent;
            int idx = index();
            if (idx < 0) {
                if (idx < -a.size()) {
                    throw invalidIndex(idx);
                }
                idx += a.size();
            }
            if (idx >= a.size()) {
                throw invalidIndex(idx);
            }
            return a.get(idx);
        }

        void set(JsonNode v) {
            if (parent instanceof ObjectNode o) {
                o.set(key, v);
                return;
            }
            ArrayNode a = (ArrayNode) parent;
            int idx = index();
            if (idx < 0) {
                idx += a.size();
            }
            a.set(idx, v);
        }

        void add(JsonNode v) {
            if (parent instanceof ObjectNode o) {
                o.set(key, v);
                return;
            }
            ArrayNode a = (ArrayNode) parent;
            if (key.equals("-")) {
                a.add(v);
                return;
            }
            Integer parsed = parseIndex(key);
            if (parsed == null) {
                throw new NotApplicable("value was not a proper array index: '" + key + "': strconv.Atoi: parsing \""
                        + key + "\": invalid syntax");
            }
            int idx = parsed;
            int newSize = a.size() + 1;
            if (idx >= newSize) {
                throw invalidIndex(idx);
            }
            if (idx < 0) {
                if (idx < -newSize) {
                    throw invalidIndex(idx);
                }
                idx += newSize;
            }
            a.insert(idx, v);
        }

        void remove() {
            if (parent instanceof ObjectNode o) {
                if (!o.has(key)) {
                    throw new NotApplicable("Unable to remove nonexistent key: " + key + ": missing value");
                }
                o.remove(key);
                return;
            }
            ArrayNode a = (ArrayNode) parent;
            int idx = index();
            if (idx >= a.size()) {
                throw invalidIndex(idx);
            }
            if (idx < 0) {
                if (idx < -a.size()) {
                    throw invalidIndex(idx);
                }
                idx += a.size();
            }
            a.remove(idx);
        }
    }
}
