package io.kubevisor.apiserver.patch;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Test shorthand: JSON written with single quotes, parsed with the project's mapper. */
public final class J {

    private J() {
    }

    public static JsonNode of(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"'));
    }

    public static ObjectNode obj(String singleQuoted) {
        return (ObjectNode) of(singleQuoted);
    }
}
