package io.kubevisor.apiserver.kinds.events;

import java.util.ArrayList;
import java.util.List;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.meta.Validation;
import tools.jackson.databind.JsonNode;

/**
 * ValidateEventCreate and ValidateEventUpdate on the stored (core/v1) form. Paths name the core
 * fields except where Kubernetes names the events.k8s.io ones.
 */
final class EventValidation {

    private static final int REPORTING_INSTANCE_MAX = 128;
    private static final int ACTION_MAX = 128;
    private static final int REASON_MAX = 128;
    private static final int NOTE_MAX = 1024;

    private EventValidation() {
    }

    static List<FieldError> create(JsonNode e, boolean eventsApi) {
        List<FieldError> errs = legacy(e, eventsApi);
        if (!eventsApi) {
            return errs;
        }
        series(errs, e);
        if (Nodes.text(e, "eventTime").isEmpty()) {
            errs.add(FieldError.required("eventTime", ""));
        }
        String type = Nodes.text(e, "type");
        if (!type.equals("Normal") && !type.equals("Warning")) {
            errs.add(FieldError.invalid("type", "", "has invalid value: " + type));
        }
        for (String[] f : new String[][] {{"firstTimestamp", "deprecatedFirstTimestamp"},
            {"lastTimestamp", "deprecatedLastTimestamp"}}) {
            if (!Nodes.text(e, f[0]).isEmpty()) {
                errs.add(FieldError.invalid(f[1], "", "needs to be unset"));
            }
        }
        if (Nodes.number(e, "count", 0) != 0) {
            errs.add(FieldError.invalid("deprecatedCount", "", "needs to be unset"));
        }
        if (!Nodes.text(e.path("source"), "component").isEmpty() || !Nodes.text(e.path("source"), "host").isEmpty()) {
            errs.add(FieldError.invalid("deprecatedSource", "", "needs to be unset"));
        }
        return errs;
    }

    static List<FieldError> update(JsonNode e, JsonNode old, boolean eventsApi) {
        List<FieldError> errs = legacy(e, eventsApi);
        if (!eventsApi) {
            return errs;
        }
        if (!Nodes.semanticEquals(e.get("series"), old.get("series"))) {
            series(errs, e);
        }
        for (String f : new String[] {"involvedObject", "reason", "message", "source", "firstTimestamp",
            "lastTimestamp", "count", "type", "action", "related", "reportingComponent", "reportingInstance"}) {
            Rules.immutable(errs, f.equals("reportingComponent") ? "reportingController" : f, e.get(f), old.get(f),
                    Rules.shown(e.get(f)));
        }
        return errs;
    }

    private static void series(List<FieldError> errs, JsonNode e) {
        JsonNode series = e.get("series");
        if (series == null || series.isNull()) {
            return;
        }
        if (Nodes.number(series, "count", 0) < 2) {
            errs.add(FieldError.invalid("series.count", "", "should be at least 2"));
        }
        if (Nodes.text(series, "lastObservedTime").isEmpty()) {
            errs.add(FieldError.required("series.lastObservedTime", ""));
        }
    }

    /** legacyValidateEvent: what every event must satisfy, whatever API created it. */
    private static List<FieldError> legacy(JsonNode e, boolean eventsApi) {
        List<FieldError> errs = new ArrayList<>();
        String reporterField = eventsApi ? "reportingController" : "reportingComponent";
        String namespace = Nodes.text(e.path("metadata"), "namespace");
        String involvedNs = Nodes.text(e.path("involvedObject"), "namespace");
        if (Nodes.text(e, "eventTime").isEmpty()) {
            boolean ok = involvedNs.isEmpty() ? namespace.isEmpty() || namespace.equals("default")
                    : namespace.equals(involvedNs);
            if (!ok) {
                errs.add(FieldError.invalid("involvedObject.namespace", involvedNs, "does not match event.namespace"));
            }
        } else {
            if (involvedNs.isEmpty() && !namespace.equals("default") && !namespace.equals("kube-system")) {
                errs.add(FieldError.invalid("involvedObject.namespace", involvedNs, "does not match event.namespace"));
            }
            String controller = Nodes.text(e, "reportingComponent");
            if (controller.isEmpty()) {
                errs.add(FieldError.required(reporterField, ""));
            }
            Rules.qualifiedName(errs, reporterField, controller);
            maxLength(errs, "reportingInstance", Nodes.text(e, "reportingInstance"), REPORTING_INSTANCE_MAX, true);
            maxLength(errs, "action", Nodes.text(e, "action"), ACTION_MAX, true);
            maxLength(errs, "reason", Nodes.text(e, "reason"), REASON_MAX, true);
            maxLength(errs, "message", Nodes.text(e, "message"), NOTE_MAX, false);
        }
        for (String m : Validation.dns1123Subdomain(namespace)) {
            errs.add(FieldError.invalid("namespace", namespace, m));
        }
        return errs;
    }

    private static void maxLength(List<FieldError> errs, String path, String value, int max, boolean required) {
        if (required && value.isEmpty()) {
            errs.add(FieldError.required(path, ""));
        }
        if (value.length() > max) {
            errs.add(FieldError.invalid(path, "", "can have at most " + max + " characters"));
        }
    }
}
