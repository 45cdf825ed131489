package io.kubevisor.node.pods;

import java.util.Objects;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON merge patch (RFC 7386) that turns one document into another: members that changed,
 * recursing into objects; {@code null} for members that went away; arrays and scalars replaced
 * whole. The status writes send this instead of the whole pod, as the kubelet sends a patch
 * of what changed. Stateless.
 */
final class MergePatchDiff {

    private MergePatchDiff() {
    }

    /**
     * The patch from {@code from} to {@code to}, both objects; an empty object when they are equal.
     * Applying it to {@code from} gives {@code to} as long as {@code to} holds no {@code null}
     * member (a merge patch cannot set one; fabric8 and Jackson leave them out anyway).
     */
    static ObjectNode of(ObjectNode from, ObjectNode to) {
        ObjectNode patch = Json.object();
        for (var e : to.properties()) {
            JsonNode before = from.get(e.getKey());
            JsonNode after = e.getValue();
            if (Objects.equals(before, after)) {
                continue;
            }
            if (before instanceof ObjectNode b && after instanceof ObjectNode a) {
                patch.set(e.getKey(), of(b, a));
            } else {
                patch.set(e.getKey(), after.deepCopy());
            }
        }
        for (var e : from.properties()) {
            if (!to.has(e.getKey())) {
                patch.set(e.getKey(), NullNode.getInstance());
            }
        }
        return patch;
    }
}
