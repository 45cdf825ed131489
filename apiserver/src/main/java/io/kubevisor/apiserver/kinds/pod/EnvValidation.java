package io.kubevisor.apiserver.kinds.pod;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.meta.Validation;
import tools.jackson.databind.JsonNode;

/** Checks of a container's {@code env} and {@code envFrom}, and of downward API field selectors. */
final class EnvValidation {

    /** Field paths a container's environment may read through fieldRef. */
    static final List<String> ENV_FIELD_PATHS = List.of("metadata.name", "metadata.namespace", "metadata.uid",
            "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP",
            "status.podIPs");
    /** Field paths a downward API volume may project. */
    static final List<String> VOLUME_FIELD_PATHS = List.of("metadata.annotations", "metadata.labels",
            "metadata.name", "metadata.namespace", "metadata.uid");
    private static final List<String> CONVERTIBLE = List.of("metadata.annotations", "metadata.labels",
            "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.restartPolicy",
            "spec.serviceAccountName", "spec.schedulerName", "status.phase", "status.hostIP", "status.hostIPs",
            "status.podIP", "status.podIPs", "spec.host");
    private static final List<String> RESOURCE_FIELDS = List.of("limits.cpu", "limits.ephemeral-storage",
            "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory");
    private static final Pattern SUBSCRIPTED = Pattern.compile("^(.*)\\['(.*)'\\]$");

    private EnvValidation() {
    }

    static void env(List<FieldError> errs, String path, JsonNode container) {
        List<JsonNode> vars = Nodes.elements(container, "env");
        for (int i = 0; i < vars.size(); i++) {
            JsonNode ev = vars.get(i);
            String p = Rules.index(path, i);
            String name = Nodes.text(ev, "name");
            if (name.isEmpty()) {
                errs.add(FieldError.required(p + ".name", ""));
            } else {
                for (String m : Rules.envVarName(name)) {
                    errs.add(FieldError.invalid(p + ".name", name, m));
                }
            }
            if (Nodes.has(ev, "valueFrom")) {
                valueFrom(errs, p + ".valueFrom", ev.get("valueFrom"), !Nodes.text(ev, "value").isEmpty());
            }
        }
    }

    private static void valueFrom(List<FieldError> errs, String path, JsonNode from, boolean hasValue) {
        int sources = 0;
        if (Nodes.has(from, "fieldRef")) {
            sources++;
            fieldRef(errs, path + ".fieldRef", from.get("fieldRef"), ENV_FIELD_PATHS);
        }
        if (Nodes.has(from, "resourceFieldRef")) {
            sources++;
            JsonNode ref = from.get("resourceFieldRef");
            String resource = Nodes.text(ref, "resource");
            if (resource.isEmpty()) {
                errs.add(FieldError.required(path + ".resourceFieldRef.resource", ""));
            } else if (!RESOURCE_FIELDS.contains(resource) && !resource.startsWith("limits.hugepages-")
                    && !resource.startsWith("requests.hugepages-")) {
                errs.add(FieldError.notSupported(path + ".resourceFieldRef.resource", resource, RESOURCE_FIELDS));
            }
        }
        for (String ref : new String[] {"configMapKeyRef", "secretKeyRef"}) {
            if (Nodes.has(from, ref)) {
                sources++;
                keySelector(errs, path + "." + ref, from.get(ref));
            }
        }
        if (sources == 0) {
            errs.add(FieldError.invalid(path, "",
                    "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
        } else if (hasValue) {
            errs.add(FieldError.invalid(path, "", "may not be specified when `value` is not empty"));
        } else if (sources > 1) {
            errs.add(FieldError.invalid(path, "", "may not have more than one field specified at a time"));
        }
    }

    private static void keySelector(List<FieldError> errs, String path, JsonNode sel) {
        String name = Nodes.text(sel, "name");
        for (String m : Validation.dns1123Subdomain(name)) {
            errs.add(FieldError.invalid(path + ".name", name, m));
        }
        String key = Nodes.text(sel, "key");
        if (key.isEmpty()) {
            errs.add(FieldError.required(path + ".key", ""));
        } else {
            for (String m : Rules.configMapKey(key)) {
                errs.add(FieldError.invalid(path + ".key", key, m));
            }
        }
    }

    /** An ObjectFieldSelector (validateObjectFieldSelector) against the allowed field paths. */
    static void fieldRef(List<FieldError> errs, String path, JsonNode ref, List<String> allowed) {
        String apiVersion = Nodes.text(ref, "apiVersion");
        String fieldPath = Nodes.text(ref, "fieldPath");
        if (apiVersion.isEmpty()) {
            errs.add(FieldError.required(path + ".apiVersion", ""));
            return;
        }
        if (fieldPath.isEmpty()) {
            errs.add(FieldError.required(path + ".fieldPath", ""));
            return;
        }
        Matcher sub = SUBSCRIPTED.matcher(fieldPath);
        String conversionError = null;
        if (!apiVersion.equals("v1")) {
            conversionError = "unsupported pod version: " + apiVersion;
        } else if (sub.matches()) {
            if (!sub.group(1).equals("metadata.annotations") && !sub.group(1).equals("metadata.labels")) {
                conversionError = "field label does not support subscript: " + fieldPath;
            }
        } else if (!CONVERTIBLE.contains(fieldPath)) {
            conversionError = "field label not supported: " + fieldPath;
        }
        if (conversionError != null) {
            errs.add(FieldError.invalid(path + ".fieldPath", fieldPath, "error converting fieldPath: " + conversionError));
            return;
        }
        if (sub.matches()) {
            String key = sub.group(1).equals("metadata.annotations") ? sub.group(2).toLowerCase(Locale.ROOT) : sub.group(2);
            Rules.qualifiedName(errs, path, key);
            return;
        }
        String internal = fieldPath.equals("spec.host") ? "spec.nodeName" : fieldPath;
        if (!allowed.contains(internal)) {
            errs.add(FieldError.notSupported(path + ".fieldPath", internal, allowed));
        }
    }

    static void envFrom(List<FieldError> errs, String path, JsonNode container) {
        List<JsonNode> sources = Nodes.elements(container, "envFrom");
        for (int i = 0; i < sources.size(); i++) {
            JsonNode ev = sources.get(i);
            String p = Rules.index(path, i);
            String prefix = Nodes.text(ev, "prefix");
            if (!prefix.isEmpty()) {
                for (String m : Rules.envVarName(prefix)) {
                    errs.add(FieldError.invalid(p + ".prefix", prefix, m));
                }
            }
            int count = 0;
            for (String ref : new String[] {"configMapRef", "secretRef"}) {
                if (Nodes.has(ev, ref)) {
                    count++;
                    String name = Nodes.text(ev.get(ref), "name");
                    if (name.isEmpty()) {
                        errs.add(FieldError.required(p + "." + ref + ".name", ""));
                    } else {
                        Rules.dns1123Subdomain(errs, p + "." + ref + ".name", name);
                    }
                }
            }
            if (count == 0) {
                errs.add(FieldError.invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"));
            } else if (count > 1) {
                errs.add(FieldError.invalid(path, "", "may not have more than one field specified at a time"));
            }
        }
    }
}
