package io.kubevisor.api.table;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * {@code kubectl get pods}: NAME READY STATUS RESTARTS AGE, and with {@code -o wide} IP NODE
 * NOMINATED NODE READINESS GATES. The STATUS cell follows Kubernetes' own derivation from the
 * phase, the init and app container states and the deletion timestamp.
 */
final class PodPrinter implements TablePrinter {

    private static final List<ColumnDefinition> COLUMNS = List.of(
            ColumnDefinition.nameColumn(),
            ColumnDefinition.string("Ready", "The aggregate readiness state of this pod for accepting traffic."),
            ColumnDefinition.string("Status", "The aggregate status of the containers in this pod."),
            ColumnDefinition.string("Restarts", "The number of times the containers in this pod have been "
                    + "restarted and when the last container in this pod has restarted."),
            ColumnDefinition.ageColumn(),
            ColumnDefinition.wide("IP", "podIP address allocated to the pod. Routable at least within the cluster. "
                    + "Empty if not yet allocated."),
            ColumnDefinition.wide("Node", "NodeName indicates in which node this pod is scheduled."),
            ColumnDefinition.wide("Nominated Node", "nominatedNodeName is set only when this pod preempts other "
                    + "pods on the node, but it cannot be scheduled right away as preemption victims receive their "
                    + "graceful termination periods."),
            ColumnDefinition.wide("Readiness Gates", "If specified, all readiness gates will be evaluated for pod "
                    + "readiness."));

    @Override
    public List<ColumnDefinition> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode pod, Instant now) {
        JsonNode spec = pod.path("spec");
        JsonNode status = pod.path("status");
        String phase = status.path("phase").asString("");
        String reason = status.path("reason").asString("").isEmpty() ? phase : status.path("reason").asString("");
        for (JsonNode c : status.path("conditions")) {
            if (c.path("type").asString("").equals("PodScheduled")
                    && c.path("reason").asString("").equals("SchedulingGated")) {
                reason = "SchedulingGated";
            }
        }

        int total = spec.path("containers").size();
        int ready = 0;
        Set<String> restartableInits = new HashSet<>();
        for (JsonNode c : spec.path("initContainers")) {
            if (c.path("restartPolicy").asString("").equals("Always")) {
                restartableInits.add(c.path("name").asString(""));
                total++;
            }
        }

        long restarts = 0;
        long sidecarRestarts = 0;
        Instant lastRestart = null;
        Instant lastSidecarRestart = null;
        boolean initializing = false;
        JsonNode initStatuses = status.path("initContainerStatuses");
        for (int i = 0; i < initStatuses.size(); i++) {
            JsonNode cs = initStatuses.get(i);
            boolean sidecar = restartableInits.contains(cs.path("name").asString(""));
            restarts += cs.path("restartCount").asLong(0);
            Instant finished = Cells.time(cs, "/lastState/terminated/finishedAt");
            lastRestart = later(lastRestart, finished);
            if (sidecar) {
                sidecarRestarts += cs.path("restartCount").asLong(0);
                lastSidecarRestart = later(lastSidecarRestart, finished);
            }
            JsonNode terminated = cs.path("state").path("terminated");
            JsonNode waiting = cs.path("state").path("waiting");
            if (terminated.isObject() && terminated.path("exitCode").asLong(0) == 0) {
                continue;
            }
            if (sidecar && cs.path("started").asBoolean(false)) {
                if (cs.path("ready").asBoolean(false)) {
                    ready++;
                }
                continue;
            }
            if (terminated.isObject()) {
                reason = "Init:" + terminationReason(terminated);
            } else if (waiting.isObject() && !waiting.path("reason").asString("").isEmpty()
                    && !waiting.path("reason").asString("").equals("PodInitializing")) {
                reason = "Init:" + waiting.path("reason").asString("");
            } else {
                reason = "Init:" + i + "/" + spec.path("initContainers").size();
            }
            initializing = true;
            break;
        }

        if (!initializing || Cells.condition(status.path("conditions"), "Initialized")) {
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
            boolean hasRunning = false;
            JsonNode statuses = status.path("containerStatuses");
            for (int i = statuses.size() - 1; i >= 0; i--) {
                JsonNode cs = statuses.get(i);
                restarts += cs.path("restartCount").asLong(0);
                lastRestart = later(lastRestart, Cells.time(cs, "/lastState/terminated/finishedAt"));
                JsonNode waiting = cs.path("state").path("waiting");
                JsonNode terminated = cs.path("state").path("terminated");
                if (waiting.isObject() && !waiting.path("reason").asString("").isEmpty()) {
                    reason = waiting.path("reason").asString("");
                } else if (terminated.isObject()) {
                    reason = terminationReason(terminated);
                } else if (cs.path("ready").asBoolean(false) && cs.path("state").path("running").isObject()) {
                    hasRunning = true;
                    ready++;
                }
            }
            if (reason.equals("Completed") && hasRunning) {
                reason = Cells.condition(status.path("conditions"), "Ready") ? "Running" : "NotReady";
            }
        }

        boolean deleting = pod.at("/metadata/deletionTimestamp").isString();
        if (deleting && status.path("reason").asString("").equals("NodeLost")) {
            reason = "Unknown";
        } else if (deleting && !phase.equals("Succeeded") && !phase.equals("Failed")) {
            reason = "Terminating";
        }

        String restartText = Long.toString(restarts);
        if (restarts != 0 && lastRestart != null) {
            restartText = restarts + " (" + Cells.since(lastRestart, now) + " ago)";
        }

        JsonNode podIPs = status.path("podIPs");
        String ip = podIPs.size() > 0 ? podIPs.get(0).path("ip").asString("") : "";
        return List.of(Cells.name(pod), ready + "/" + total, reason, restartText, Cells.age(pod, now),
                Cells.orNone(ip), Cells.orNone(spec.path("nodeName").asString("")),
                Cells.orNone(status.path("nominatedNodeName").asString("")), readinessGates(spec, status));
    }

    /** A terminated container's reason, or Signal:N / ExitCode:N when it gave none. */
    private static String terminationReason(JsonNode terminated) {
        String r = terminated.path("reason").asString("");
        if (!r.isEmpty()) {
            return r;
        }
        long signal = terminated.path("signal").asLong(0);
        return signal != 0 ? "Signal:" + signal : "ExitCode:" + terminated.path("exitCode").asLong(0);
    }

    private static String readinessGates(JsonNode spec, JsonNode status) {
        JsonNode gates = spec.path("readinessGates");
        if (gates.isEmpty()) {
            return Cells.NONE;
        }
        int trueCount = 0;
        for (JsonNode gate : gates) {
            String type = gate.path("conditionType").asString("");
            for (JsonNode c : status.path("conditions")) {
                if (c.path("type").asString("").equals(type)) {
                    if (c.path("status").asString("").equals("True")) {
                        trueCount++;
                    }
                    break;
                }
            }
        }
        return trueCount + "/" + gates.size();
    }

    private static Instant later(Instant current, Instant candidate) {
        if (candidate == null) {
            return current;
        }
        return current == null || current.isBefore(candidate) ? candidate : current;
    }
}
