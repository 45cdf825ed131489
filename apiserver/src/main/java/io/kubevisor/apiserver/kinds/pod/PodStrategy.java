package io.kubevisor.apiserver.kinds.pod;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.support.Decoding;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pods: v1 defaults, what defaulting admission adds on create (service account, priority, the
 * not-ready/unreachable tolerations), a Pending status with the QoS class, the update rules and
 * graceful deletion. Stateless.
 */
public final class PodStrategy implements Strategy {

    private static final List<String> FIELDS = List.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
            "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName");
    private static final Map<String, Long> SYSTEM_PRIORITIES = Map.of("system-node-critical", 2000001000L,
            "system-cluster-critical", 2000000000L);
    private static final int DEFAULT_TOLERATION_SECONDS = 300;

    @Override
    public void applyDefaults(ObjectNode obj) {
        Decoding.guard(obj, () -> {
            ObjectNode spec = Nodes.object(obj, "spec");
            PodSpecDefaults.apply(spec);
            PodSpecDefaults.applyPodOnly(spec);
        });
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        ObjectNode spec = Nodes.object(obj, "spec");
        admissionDefaults(spec);
        ObjectNode status = obj.putObject("status");
        status.put("phase", "Pending");
        status.put("qosClass", QosClass.of(spec));
        if (Nodes.hasItems(spec, "schedulingGates")) {
            ObjectNode c = status.putArray("conditions").addObject();
            c.put("type", "PodScheduled");
            c.put("status", "False");
            c.set("lastProbeTime", Nodes.nullNode());
            c.set("lastTransitionTime", Nodes.nullNode());
            c.put("reason", "SchedulingGated");
            c.put("message", "Scheduling is blocked due to non-empty scheduling gates");
        }
    }

    /** What the ServiceAccount, Priority and DefaultTolerationSeconds admission plugins add. */
    private static void admissionDefaults(ObjectNode spec) {
        if (Nodes.text(spec, "serviceAccountName").isEmpty()) {
            spec.put("serviceAccountName", "default");
            spec.put("serviceAccount", "default");
        }
        String priorityClass = Nodes.text(spec, "priorityClassName");
        if (!Nodes.has(spec, "priority") && (priorityClass.isEmpty() || SYSTEM_PRIORITIES.containsKey(priorityClass))) {
            Nodes.putNumber(spec, "priority", SYSTEM_PRIORITIES.getOrDefault(priorityClass, 0L));
        }
        Nodes.defaultText(spec, "preemptionPolicy", "PreemptLowerPriority");
        boolean notReady = false;
        boolean unreachable = false;
        for (JsonNode t : Nodes.elements(spec, "tolerations")) {
            String key = Nodes.text(t, "key");
            String effect = Nodes.text(t, "effect");
            boolean noExecute = effect.isEmpty() || effect.equals("NoExecute");
            notReady |= noExecute && (key.isEmpty() || key.equals("node.kubernetes.io/not-ready"));
            unreachable |= noExecute && (key.isEmpty() || key.equals("node.kubernetes.io/unreachable"));
        }
        if (!notReady) {
            toleration(spec, "node.kubernetes.io/not-ready");
        }
        if (!unreachable) {
            toleration(spec, "node.kubernetes.io/unreachable");
        }
    }

    private static void toleration(ObjectNode spec, String key) {
        ArrayNode list = spec.get("tolerations") instanceof ArrayNode a ? a : spec.putArray("tolerations");
        ObjectNode added = list.addObject();
        added.put("key", key);
        added.put("operator", "Exists");
        added.put("effect", "NoExecute");
        added.put("tolerationSeconds", DEFAULT_TOLERATION_SECONDS);
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        // Admission set these on create and keeps them when an update leaves them out.
        ObjectNode spec = Nodes.object(obj, "spec");
        JsonNode oldSpec = old.path("spec");
        for (String f : new String[] {"serviceAccountName", "serviceAccount", "priority", "preemptionPolicy"}) {
            if (!Nodes.has(spec, f) && Nodes.has(oldSpec, f)) {
                spec.set(f, oldSpec.get(f).deepCopy());
            }
        }
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>(PodSpecValidation.validate(obj.get("spec"), "spec", Set.of()));
        if (Nodes.hasItems(obj.get("spec"), "ephemeralContainers")) {
            errs.add(FieldError.forbidden("spec.ephemeralContainers", "cannot be set on create"));
        }
        return errs;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(PodSpecValidation.validate(obj.get("spec"), "spec", Set.of()));
        errs.addAll(PodUpdateValidation.validate(obj.path("spec"), old.path("spec")));
        return errs;
    }

    @Override
    public long defaultGracePeriodSeconds(ObjectNode obj) {
        // An unscheduled or finished pod has nothing to stop, so it goes at once.
        String phase = Nodes.text(obj.path("status"), "phase");
        if (Nodes.text(obj.path("spec"), "nodeName").isEmpty() || phase.equals("Succeeded") || phase.equals("Failed")) {
            return 0;
        }
        long period = Nodes.number(obj.path("spec"), "terminationGracePeriodSeconds", 0);
        return period < 0 ? 1 : period;
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
        m.put("spec.nodeName", Nodes.text(spec, "nodeName"));
        m.put("spec.restartPolicy", Nodes.text(spec, "restartPolicy"));
        m.put("spec.schedulerName", Nodes.text(spec, "schedulerName"));
        m.put("spec.serviceAccountName", Nodes.text(spec, "serviceAccountName"));
        m.put("spec.hostNetwork", Boolean.toString(Nodes.isTrue(spec, "hostNetwork")));
        m.put("status.phase", Nodes.text(status, "phase"));
        List<JsonNode> ips = Nodes.elements(status, "podIPs");
        m.put("status.podIP", ips.isEmpty() ? Nodes.text(status, "podIP") : Nodes.text(ips.getFirst(), "ip"));
        m.put("status.nominatedNodeName", Nodes.text(status, "nominatedNodeName"));
        return m;
    }
}
