package io.kubevisor.apiserver.kinds.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.kubevisor.api.FieldError;
import io.kubevisor.api.Json;
import io.kubevisor.apiserver.kinds.support.Base64Data;
import io.kubevisor.apiserver.kinds.support.Decoding;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Secrets: {@code stringData} folded into {@code data}, type Opaque by default, keys and size
 * checked, the data each built-in type needs, and {@code immutable}. Stateless.
 */
public final class SecretStrategy implements Strategy {

    static final int MAX_SIZE = 1024 * 1024;

    @Override
    public void applyDefaults(ObjectNode obj) {
        Decoding.guard(obj, () -> {
            if (obj.get("data") instanceof ObjectNode data) {
                for (Map.Entry<String, JsonNode> e : data.properties()) {
                    Base64Data.decode(e.getValue().asString(""));
                }
            }
        });
        Nodes.defaultText(obj, "type", "Opaque");
        if (obj.get("stringData") instanceof ObjectNode sd) {
            ObjectNode data = Nodes.object(obj, "data");
            for (Map.Entry<String, JsonNode> e : sd.properties()) {
                data.put(e.getKey(), Base64.getEncoder().encodeToString(
                        e.getValue().asString("").getBytes(StandardCharsets.UTF_8)));
            }
        }
        obj.remove("stringData");
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode data = obj.get("data");
        long total = 0;
        for (Map.Entry<String, String> e : Nodes.stringMap(data).entrySet()) {
            for (String m : Rules.configMapKey(e.getKey())) {
                errs.add(FieldError.invalid(Rules.key("data", e.getKey()), e.getKey(), m));
            }
            total += decodedSize(e.getValue());
        }
        if (total > MAX_SIZE) {
            errs.add(FieldError.tooLong("data", "", MAX_SIZE));
        }
        typeRules(errs, obj, data);
        return errs;
    }

    private static void typeRules(List<FieldError> errs, ObjectNode obj, JsonNode data) {
        Map<String, String> d = Nodes.stringMap(data);
        switch (Nodes.text(obj, "type")) {
            case "kubernetes.io/service-account-token" -> {
                if (Nodes.text(obj.path("metadata").path("annotations"), "kubernetes.io/service-account.name").isEmpty()) {
                    errs.add(FieldError.required("metadata.annotations[kubernetes.io/service-account.name]", ""));
                }
            }
            case "kubernetes.io/dockercfg" -> json(errs, d, ".dockercfg");
            case "kubernetes.io/dockerconfigjson" -> json(errs, d, ".dockerconfigjson");
            case "kubernetes.io/basic-auth" -> {
                if (!d.containsKey("username") && !d.containsKey("password")) {
                    errs.add(FieldError.required("data[username]", ""));
                    errs.add(FieldError.required("data[password]", ""));
                }
            }
            case "kubernetes.io/ssh-auth" -> {
                if (d.getOrDefault("ssh-privatekey", "").isEmpty()) {
                    errs.add(FieldError.required("data[ssh-privatekey]", ""));
                }
            }
            case "kubernetes.io/tls" -> {
                for (String key : new String[] {"tls.crt", "tls.key"}) {
                    if (!d.containsKey(key)) {
                        errs.add(FieldError.required("data[" + key + "]", ""));
                    }
                }
            }
            default -> {
            }
        }
    }

    private static void json(List<FieldError> errs, Map<String, String> data, String key) {
        String path = "data[" + key + "]";
        if (!data.containsKey(key)) {
            errs.add(FieldError.required(path, ""));
            return;
        }
        String text;
        try {
            text = new String(Base64Data.decode(data.get(key)), StandardCharsets.UTF_8);
        } catch (Decoding.MalformedValue e) {
            return;
        }
        String problem = jsonProblem(text);
        if (problem != null) {
            errs.add(FieldError.invalid(path, "<secret contents redacted>", problem));
        }
    }

    /** Go's json.Unmarshal complaint for {@code text} decoded into a map, or null when it is fine. */
    static String jsonProblem(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return "unexpected end of JSON input";
        }
        try {
            JsonNode n = Json.MAPPER.readTree(t);
            if (n.isObject() || n.isNull()) {
                return null;
            }
            String type = n.isArray() ? "array" : n.isString() ? "string" : n.isNumber() ? "number" : "bool";
            return "json: cannot unmarshal " + type + " into Go value of type map[string]interface {}";
        } catch (JacksonException e) {
            char c = t.charAt(0);
            if ("{[\"-0123456789tfn".indexOf(c) < 0) {
                return "invalid character '" + c + "' looking for beginning of value";
            }
            for (String literal : new String[] {"true", "false", "null"}) {
                if (literal.charAt(0) == c) {
                    for (int i = 1; i < literal.length(); i++) {
                        if (i >= t.length()) {
                            return "unexpected end of JSON input";
                        }
                        if (t.charAt(i) != literal.charAt(i)) {
                            return "invalid character '" + t.charAt(i) + "' in literal " + literal + " (expecting '"
                                    + literal.charAt(i) + "')";
                        }
                    }
                    return "invalid character '" + t.charAt(literal.length()) + "' after top-level value";
                }
            }
            return "unexpected end of JSON input";
        }
    }

    private static long decodedSize(String b64) {
        try {
            return Base64Data.decode(b64).length;
        } catch (Decoding.MalformedValue e) {
            return b64.length() * 3L / 4;
        }
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>();
        Rules.immutable(errs, "type", obj.get("type"), old.get("type"), Nodes.text(obj, "type"));
        if (Nodes.isTrue(old, "immutable")) {
            if (!Nodes.isTrue(obj, "immutable")) {
                errs.add(FieldError.forbidden("immutable", "field is immutable when `immutable` is set"));
            }
            if (!Nodes.semanticEquals(obj.get("data"), old.get("data"))) {
                errs.add(FieldError.forbidden("data", "field is immutable when `immutable` is set"));
            }
        }
        errs.addAll(validate(obj));
        return errs;
    }

    @Override
    public List<String> selectableFieldNames() {
        return List.of("type");
    }

    @Override
    public Map<String, String> selectableFields(ObjectNode obj) {
        return Map.of("type", Nodes.text(obj, "type"));
    }
}
