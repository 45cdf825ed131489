package io.kubevisor.api.table;

import static io.kubevisor.api.table.ColumnDefinition.ageColumn;
import static io.kubevisor.api.table.ColumnDefinition.integer;
import static io.kubevisor.api.table.ColumnDefinition.nameColumn;
import static io.kubevisor.api.table.ColumnDefinition.string;
import static io.kubevisor.api.table.ColumnDefinition.wide;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import tools.jackson.databind.JsonNode;

/** Printers for apps/v1 and batch/v1 workloads. */
final class WorkloadPrinters {

    private static final ColumnDefinition CONTAINERS = wide("Containers", "Names of each container in the template.");
    private static final ColumnDefinition IMAGES = wide("Images", "Images referenced by each container in the template.");

    private WorkloadPrinters() {
    }

    static TablePrinter deployments() {
        return new RowPrinter(List.of(nameColumn(), string("Ready", "Number of the pod with ready state"),
                string("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the "
                        + "desired template spec."),
                string("Available", "Total number of available pods (ready for at least minReadySeconds) targeted "
                        + "by this deployment."), ageColumn(), CONTAINERS, IMAGES,
                wide("Selector", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will "
                        + "be the ones affected by this deployment.")),
                (o, now) -> {
                    String[] c = Cells.containers(o.at("/spec/template/spec"));
                    return List.of(Cells.name(o),
                            Cells.number(o, "/status/readyReplicas") + "/" + Cells.number(o, "/spec/replicas"),
                            Cells.number(o, "/status/updatedReplicas"), Cells.number(o, "/status/availableReplicas"),
                            Cells.age(o, now), c[0], c[1], Cells.selector(o.at("/spec/selector")));
                });
    }

    static TablePrinter replicaSets() {
        return new RowPrinter(List.of(nameColumn(),
                integer("Desired", "Replicas is the number of desired pods."),
                integer("Current", "Replicas is the most recently observed number of replicas."),
                integer("Ready", "The number of ready replicas for this replica set."), ageColumn(), CONTAINERS, IMAGES,
                wide("Selector", "Selector is a label query over pods that should match the replica count.")),
                (o, now) -> {
                    String[] c = Cells.containers(o.at("/spec/template/spec"));
                    return List.of(Cells.name(o), Cells.number(o, "/spec/replicas"), Cells.number(o, "/status/replicas"),
                            Cells.number(o, "/status/readyReplicas"), Cells.age(o, now), c[0], c[1],
                            Cells.formatSelector(o.at("/spec/selector")));
                });
    }

    static TablePrinter statefulSets() {
        return new RowPrinter(List.of(nameColumn(), string("Ready", "Number of the pod with ready state"), ageColumn(),
                CONTAINERS, IMAGES),
                (o, now) -> {
                    String[] c = Cells.containers(o.at("/spec/template/spec"));
                    return List.of(Cells.name(o),
                            Cells.number(o, "/status/readyReplicas") + "/" + Cells.number(o, "/spec/replicas"),
                            Cells.age(o, now), c[0], c[1]);
                });
    }

    static TablePrinter daemonSets() {
        return new RowPrinter(List.of(nameColumn(),
                integer("Desired", "The total number of nodes that should be running the daemon pod."),
                integer("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to "
                        + "run the daemon pod."),
                integer("Ready", "The number of nodes that should be running the daemon pod and have one or more of "
                        + "the daemon pod running and ready."),
                integer("Up-to-date", "The total number of nodes that are running updated daemon pod"),
                integer("Available", "The number of nodes that should be running the daemon pod and have one or more "
                        + "of the daemon pod running and available."),
                string("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
                ageColumn(), CONTAINERS, IMAGES,
                wide("Selector", "A label query over pods that are managed by the daemon set.")),
                (o, now) -> {
                    String[] c = Cells.containers(o.at("/spec/template/spec"));
                    return List.of(Cells.name(o), Cells.number(o, "/status/desiredNumberScheduled"),
                            Cells.number(o, "/status/currentNumberScheduled"), Cells.number(o, "/status/numberReady"),
                            Cells.number(o, "/status/updatedNumberScheduled"),
                            Cells.number(o, "/status/numberAvailable"),
                            Cells.labels(o.at("/spec/template/spec/nodeSelector")), Cells.age(o, now), c[0], c[1],
                            Cells.formatSelector(o.at("/spec/selector")));
                });
    }

    static TablePrinter jobs() {
        return new RowPrinter(List.of(nameColumn(), string("Status", "Status of the job."),
                string("Completions", "The number of pods which reached phase Succeeded."),
                string("Duration", "Time required to complete the job."), ageColumn(), CONTAINERS, IMAGES,
                wide("Selector", "A label query over pods that should match the pod count.")),
                (o, now) -> {
                    String[] c = Cells.containers(o.at("/spec/template/spec"));
                    return List.of(Cells.name(o), jobStatus(o), completions(o), jobDuration(o, now),
                            Cells.age(o, now), c[0], c[1], Cells.formatSelector(o.at("/spec/selector")));
                });
    }

    private static String completions(JsonNode job) {
        long succeeded = Cells.number(job, "/status/succeeded");
        if (job.at("/spec/completions").isNumber()) {
            return succeeded + "/" + job.at("/spec/completions").asLong();
        }
        long parallelism = Cells.number(job, "/spec/parallelism");
        return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
    }

    private static String jobDuration(JsonNode job, Instant now) {
        Instant start = Cells.time(job, "/status/startTime");
        if (start == null) {
            return "";
        }
        Instant end = Cells.time(job, "/status/completionTime");
        return HumanDuration.format(Duration.between(start, end == null ? now : end));
    }

    private static String jobStatus(JsonNode job) {
        JsonNode conditions = job.at("/status/conditions");
        if (Cells.condition(conditions, "Complete")) {
            return "Complete";
        }
        if (Cells.condition(conditions, "Failed")) {
            return "Failed";
        }
        if (job.at("/metadata/deletionTimestamp").isString()) {
            return "Terminating";
        }
        if (Cells.condition(conditions, "Suspended")) {
            return "Suspended";
        }
        if (Cells.condition(conditions, "FailureTarget")) {
            return "FailureTarget";
        }
        return "Running";
    }

    static TablePrinter cronJobs() {
        return new RowPrinter(List.of(nameColumn(), string("Schedule", "The schedule in Cron format"),
                string("Timezone", "The time zone name for the given schedule"),
                new ColumnDefinition("Suspend", "boolean", "", "This flag tells the controller to suspend subsequent "
                        + "executions, it does not apply to already started executions.", 0),
                integer("Active", "A list of pointers to currently running jobs."),
                string("Last Schedule", "Information when was the last time the job was successfully scheduled."),
                ageColumn(), CONTAINERS, IMAGES,
                wide("Selector", "A label query over pods that should match the pod count.")),
                (o, now) -> {
                    JsonNode spec = o.path("spec");
                    Instant last = Cells.time(o, "/status/lastScheduleTime");
                    JsonNode suspend = spec.path("suspend");
                    String suspendText = suspend.isBoolean() ? (suspend.asBoolean() ? "True" : "False") : "<unset>";
                    String[] c = Cells.containers(spec.at("/jobTemplate/spec/template/spec"));
                    return List.of(Cells.name(o), spec.path("schedule").asString(""),
                            spec.path("timeZone").isString() ? spec.path("timeZone").asString() : Cells.NONE,
                            suspendText, (long) o.at("/status/active").size(),
                            last == null ? Cells.NONE : Cells.since(last, now), Cells.age(o, now), c[0], c[1],
                            Cells.formatSelector(spec.at("/jobTemplate/spec/selector")));
                });
    }
}
