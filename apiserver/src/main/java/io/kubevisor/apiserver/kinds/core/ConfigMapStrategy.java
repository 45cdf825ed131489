package io.kubevisor.apiserver.kinds.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.support.Base64Data;
import io.kubevisor.apiserver.kinds.support.Decoding;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ConfigMaps: valid keys, no key in both {@code data} and {@code binaryData}, at most 1 MiB in
 * all, and {@code immutable}. Stateless.
 */
public final class ConfigMapStrategy implements Strategy {

    @Override
    public void applyDefaults(ObjectNode obj) {
        Decoding.guard(obj, () -> {
            for (Map.Entry<String, String> e : Nodes.stringMap(obj.get("binaryData")).entrySet()) {
                Base64Data.decode(e.getValue());
            }
        });
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        Map<String, String> binary = Nodes.stringMap(obj.get("binaryData"));
        long total = 0;
        for (Map.Entry<String, String> e : Nodes.stringMap(obj.get("data")).entrySet()) {
            String path = Rules.key("data", e.getKey());
            for (String m : Rules.configMapKey(e.getKey())) {
                errs.add(FieldError.invalid(path, e.getKey(), m));
            }
            if (binary.containsKey(e.getKey())) {
                errs.add(FieldError.invalid(path, e.getKey(), "duplicate of key present in binaryData"));
            }
            total += e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        for (Map.Entry<String, String> e : binary.entrySet()) {
            for (String m : Rules.configMapKey(e.getKey())) {
                errs.add(FieldError.invalid(Rules.key("binaryData", e.getKey()), e.getKey(), m));
            }
            try {
                total += Base64Data.decode(e.getValue()).length;
            } catch (Decoding.MalformedValue bad) {
                total += e.getValue().length() * 3L / 4;
            }
        }
        if (total > SecretStrategy.MAX_SIZE) {
            // Kubernetes reports the whole object, at the empty path it renders as "[]".
            errs.add(FieldError.tooLong("[]", "", SecretStrategy.MAX_SIZE));
        }
        return errs;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>();
        if (Nodes.isTrue(old, "immutable")) {
            if (!Nodes.isTrue(obj, "immutable")) {
                errs.add(FieldError.forbidden("immutable", "field is immutable when `immutable` is set"));
            }
            for (String f : new String[] {"data", "binaryData"}) {
                JsonNode now = obj.get(f);
                if (!Nodes.semanticEquals(now, old.get(f))) {
                    errs.add(FieldError.forbidden(f, "field is immutable when `immutable` is set"));
                }
            }
        }
        errs.addAll(validate(obj));
        return errs;
    }
}
