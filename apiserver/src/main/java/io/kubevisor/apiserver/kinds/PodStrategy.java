package io.kubevisor.apiserver.kinds;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.meta.Validation;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Pods: defaults, a Pending status on create, the update rules, and graceful deletion. */
final class PodStrategy implements Strategy {

    private static final List<String> FIELDS = List.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
            "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName");

    @Override
    public void applyDefaults(ObjectNode obj) {
        PodDefaults.apply(Objects.object(obj, "spec"));
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        ObjectNode status = obj.putObject("status");
        status.put("phase", "Pending");
        status.put("qosClass", QosClass.of(obj.path("spec")));
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        return PodValidation.spec(obj.path("spec"), "spec");
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(validate(obj));
        if (!PodValidation.onlyMutableChanged(obj.path("spec"), old.path("spec"))) {
            errs.add(FieldError.forbidden("spec", "pod updates may not change fields other than "
                    + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
                    + "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
                    + "(allow it to be set to 1 if it was previously negative)"));
        }
        return errs;
    }

    @Override
    public long defaultGracePeriodSeconds(ObjectNode obj) {
        // An unscheduled or finished pod has nothing to stop: it goes at once, as in Kubernetes.
        String phase = obj.path("status").path("phase").asString("");
        if (obj.path("spec").path("nodeName").asString("").isEmpty() || phase.equals("Succeeded")
                || phase.equals("Failed")) {
            return 0;
        }
        return Math.max(0, obj.path("spec").path("terminationGracePeriodSeconds").asLong(30));
    }

    @Override
    public boolean gracefulDeletion() {
        return true;
    }

    @Override
    public boolean returnDeletedObject() {
        return true;
    }

    @Override
    public List<String> selectableFieldNames() {
        return FIELDS;
    }

    @Override
    public Map<String, String> selectableFields(ObjectNode obj) {
        Map<String, String> m = new LinkedHashMap<>();
        JsonNode spec = obj.path("spec");
        JsonNode status = obj.path("status");
        m.put("spec.nodeName", spec.path("nodeName").asString(""));
        m.put("spec.restartPolicy", spec.path("restartPolicy").asString(""));
        m.put("spec.schedulerName", spec.path("schedulerName").asString(""));
        m.put("spec.serviceAccountName", spec.path("serviceAccountName").asString(""));
        m.put("spec.hostNetwork", Boolean.toString(spec.path("hostNetwork").asBoolean(false)));
        m.put("status.phase", status.path("phase").asString(""));
        m.put("status.podIP", status.path("podIP").asString(""));
        m.put("status.nominatedNodeName", status.path("nominatedNodeName").asString(""));
        return m;
    }

    /** Pod spec checks shared with pod templates. */
    static final class PodValidation {
        private PodValidation() {
        }

        static List<FieldError> spec(JsonNode spec, String path) {
            List<FieldError> errs = new ArrayList<>();
            JsonNode containers = spec.path("containers");
            if (!containers.isArray() || containers.isEmpty()) {
                errs.add(FieldError.required(path + ".containers", ""));
            }
            Set<String> names = new HashSet<>();
            for (String list : new String[] {"initContainers", "containers"}) {
                JsonNode cs = spec.path(list);
                for (int i = 0; i < cs.size(); i++) {
                    container(cs.get(i), path + "." + list + "[" + i + "]", names, errs);
                }
            }
            String restart = spec.path("restartPolicy").asString("Always");
            if (!List.of("Always", "OnFailure", "Never").contains(restart)) {
                errs.add(FieldError.notSupported(path + ".restartPolicy", restart,
                        List.of("Always", "OnFailure", "Never")));
            }
            String dns = spec.path("dnsPolicy").asString("ClusterFirst");
            if (!List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None").contains(dns)) {
                errs.add(FieldError.notSupported(path + ".dnsPolicy", dns,
                        List.of("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None")));
            }
            if (spec.has("terminationGracePeriodSeconds") && spec.path("terminationGracePeriodSeconds").asLong() < 0) {
                errs.add(FieldError.invalid(path + ".terminationGracePeriodSeconds",
                        spec.path("terminationGracePeriodSeconds").asLong(), "must be greater than or equal to 0"));
            }
            return errs;
        }

        private static void container(JsonNode c, String path, Set<String> names, List<FieldError> errs) {
            String name = c.path("name").asString("");
            if (name.isEmpty()) {
                errs.add(FieldError.required(path + ".name", ""));
            } else {
                for (String m : Validation.dns1123Label(name)) {
                    errs.add(FieldError.invalid(path + ".name", name, m));
                }
                if (!names.add(name)) {
                    errs.add(FieldError.duplicate(path + ".name", name));
                }
            }
            if (c.path("image").asString("").isBlank()) {
                errs.add(FieldError.required(path + ".image", ""));
            }
            JsonNode ports = c.path("ports");
            for (int i = 0; i < ports.size(); i++) {
                JsonNode p = ports.get(i);
                long port = p.path("containerPort").asLong(0);
                if (port < 1 || port > 65535) {
                    errs.add(FieldError.invalid(path + ".ports[" + i + "].containerPort", port,
                            "must be between 1 and 65535, inclusive"));
                }
                String proto = p.path("protocol").asString("TCP");
                if (!List.of("TCP", "UDP", "SCTP").contains(proto)) {
                    errs.add(FieldError.notSupported(path + ".ports[" + i + "].protocol", proto,
                            List.of("SCTP", "TCP", "UDP")));
                }
            }
            String pull = c.path("imagePullPolicy").asString("IfNotPresent");
            if (!List.of("Always", "IfNotPresent", "Never").contains(pull)) {
                errs.add(FieldError.notSupported(path + ".imagePullPolicy", pull,
                        List.of("Always", "IfNotPresent", "Never")));
            }
        }

        /** Whether an update changes only what Kubernetes lets a pod update change. */
        static boolean onlyMutableChanged(JsonNode spec, JsonNode oldSpec) {
            if (!(spec instanceof ObjectNode s) || !(oldSpec instanceof ObjectNode o)) {
                return spec.equals(oldSpec);
            }
            ObjectNode a = s.deepCopy();
            ObjectNode b = o.deepCopy();
            for (String list : new String[] {"containers", "initContainers"}) {
                JsonNode ac = a.path(list);
                JsonNode bc = b.path(list);
                if (ac.isArray() && bc.isArray() && ac.size() == bc.size()) {
                    for (int i = 0; i < ac.size(); i++) {
                        if (ac.get(i) instanceof ObjectNode x && bc.get(i) instanceof ObjectNode y) {
                            x.remove("image");
                            y.remove("image");
                        }
                    }
                }
            }
            for (ObjectNode x : List.of(a, b)) {
                x.remove("activeDeadlineSeconds");
                x.remove("tolerations");
                x.remove("terminationGracePeriodSeconds");
            }
            return a.equals(b);
        }
    }
}
