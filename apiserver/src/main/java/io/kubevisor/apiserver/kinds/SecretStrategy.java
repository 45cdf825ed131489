package io.kubevisor.apiserver.kinds;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Secrets: {@code stringData} folded into {@code data}, type Opaque by default and immutable. */
final class SecretStrategy implements Strategy {

    static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");

    @Override
    public void applyDefaults(ObjectNode obj) {
        Objects.putIfAbsent(obj, "type", "Opaque");
        if (obj.get("data") instanceof ObjectNode data) {
            for (Map.Entry<String, JsonNode> e : data.properties()) {
                try {
                    Base64.getDecoder().decode(e.getValue().asString(""));
                } catch (IllegalArgumentException bad) {
                    throw new ApiException.BadRequest("Secret in version \"v1\" cannot be handled as a Secret: "
                            + "illegal base64 data in data[" + e.getKey() + "]");
                }
            }
        }
        if (obj.get("stringData") instanceof ObjectNode sd) {
            ObjectNode data = Objects.object(obj, "data");
            for (Map.Entry<String, JsonNode> e : sd.properties()) {
                data.put(e.getKey(), Base64.getEncoder().encodeToString(
                        e.getValue().asString("").getBytes(StandardCharsets.UTF_8)));
            }
            obj.remove("stringData");
        }
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        long total = 0;
        if (obj.get("data") instanceof ObjectNode data) {
            for (Map.Entry<String, JsonNode> e : data.properties()) {
                if (!KEY.matcher(e.getKey()).matches()) {
                    errs.add(FieldError.invalid("data[" + e.getKey() + "]", e.getKey(),
                            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
                                    + "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
                                    + "'[-._a-zA-Z0-9]+')"));
                }
                total += e.getValue().asString("").length() * 3L / 4;
            }
        }
        if (total > 1024 * 1024) {
            errs.add(new FieldError(FieldError.Type.TOO_LONG, "data", null, "may not be more than 1048576 bytes"));
        }
        return errs;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(validate(obj));
        String t = obj.path("type").asString("");
        if (!t.equals(old.path("type").asString(""))) {
            errs.add(FieldError.invalid("type", t, "field is immutable"));
        }
        if (old.path("immutable").asBoolean(false)) {
            JsonNode d = obj.path("data");
            if (!d.equals(old.path("data"))) {
                errs.add(FieldError.forbidden("data", "field is immutable when `immutable` is set"));
            }
        }
        return errs;
    }

    @Override
    public List<String> selectableFieldNames() {
        return List.of("type");
    }

    @Override
    public Map<String, String> selectableFields(ObjectNode obj) {
        return Map.of("type", obj.path("type").asString(""));
    }
}
