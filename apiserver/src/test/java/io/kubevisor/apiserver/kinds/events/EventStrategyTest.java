package io.kubevisor.apiserver.kinds.events;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.createErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.rendered;
import static io.kubevisor.apiserver.kinds.Fixtures.updateErrors;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.apiserver.meta.NameRule;
import tools.jackson.databind.node.ObjectNode;

class EventStrategyTest {

    private static final GroupVersionKind CORE = new GroupVersionKind("", "v1", "Event");
    private static final GroupVersionKind EVENTS = new GroupVersionKind("events.k8s.io", "v1", "Event");

    private final EventStrategy core = new EventStrategy("");
    private final EventStrategy events = new EventStrategy("events.k8s.io");

    /** What the scheduler's legacy recorder writes. */
    private static final String SCHEDULED = """
            {"kind":"Event","apiVersion":"v1","metadata":{"name":"web.17f0a1b2c3d4e5f6","namespace":"default"},
             "involvedObject":{"kind":"Pod","namespace":"default","name":"web","uid":"u1","apiVersion":"v1"},
             "reason":"Scheduled","message":"Successfully assigned default/web to n1",
             "source":{"component":"default-scheduler"},"firstTimestamp":"2025-01-02T03:04:05Z",
             "lastTimestamp":"2025-01-02T03:04:05Z","count":1,"type":"Normal"}""";

    /** What an events.k8s.io/v1 recorder writes. */
    private static final String PULLED = """
            {"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"web.17f0a1b2c3d4e5f7","namespace":"default"},
             "eventTime":"2025-01-02T03:04:05.123456Z","reportingController":"kubevisor.io/node-agent",
             "reportingInstance":"node-agent-n1","action":"Pulling","reason":"Pulled","type":"Normal",
             "regarding":{"kind":"Pod","namespace":"default","name":"web","uid":"u1","apiVersion":"v1"},
             "note":"Image pulled"}""";

    @Test
    void legacyEventsGetGoZeroFieldsAndValidate() {
        ObjectNode e = created(core, json(SCHEDULED));
        assertThat(e.get("eventTime").isNull()).isTrue();
        assertThat(e.path("reportingComponent").asString()).isEmpty();
        assertThat(e.path("reportingInstance").asString()).isEmpty();
        assertThat(createErrors(core, json(SCHEDULED), true)).isEmpty();
    }

    @Test
    void involvedObjectNamespaceMustMatch() {
        ObjectNode e = json(SCHEDULED);
        ((ObjectNode) e.get("involvedObject")).put("namespace", "other");
        assertThat(rendered(createErrors(core, e, true))).containsExactly(
                "involvedObject.namespace: Invalid value: \"other\": does not match event.namespace");
    }

    @Test
    void eventsApiObjectsAreStoredInCoreForm() {
        ObjectNode stored = events.toStorage(json(PULLED), EVENTS);
        assertThat(stored.path("apiVersion").asString()).isEqualTo("v1");
        assertThat(stored.path("involvedObject").path("name").asString()).isEqualTo("web");
        assertThat(stored.path("message").asString()).isEqualTo("Image pulled");
        assertThat(stored.path("reportingComponent").asString()).isEqualTo("kubevisor.io/node-agent");
        assertThat(stored.has("regarding")).isFalse();
    }

    @Test
    void bothApisServeTheSameStoredEvent() {
        ObjectNode stored = created(core, json(SCHEDULED));
        ObjectNode asEvents = events.fromStorage(stored, EVENTS);
        assertThat(asEvents.path("apiVersion").asString()).isEqualTo("events.k8s.io/v1");
        assertThat(asEvents.path("regarding").path("name").asString()).isEqualTo("web");
        assertThat(asEvents.path("note").asString()).isEqualTo("Successfully assigned default/web to n1");
        assertThat(asEvents.path("deprecatedSource")).isEqualTo(json("{\"component\":\"default-scheduler\"}"));
        assertThat(asEvents.path("deprecatedCount").asInt()).isEqualTo(1);
        assertThat(asEvents.has("reportingController")).isFalse();
        assertThat(core.fromStorage(stored, CORE)).isSameAs(stored);
        assertThat(events.selectableFields(asEvents)).containsEntry("regarding.name", "web")
                .containsEntry("reason", "Scheduled").containsEntry("type", "Normal");
        assertThat(core.selectableFields(stored)).containsEntry("involvedObject.name", "web")
                .containsEntry("source", "default-scheduler").containsEntry("reportingComponent", "");
    }

    @Test
    void eventsApiRequiresTheNewFields() {
        ObjectNode e = json(PULLED);
        e.remove("reportingController");
        e.remove("action");
        e.put("type", "Info");
        e.put("deprecatedCount", 3);
        ObjectNode stored = events.toStorage(e, EVENTS);
        assertThat(rendered(createErrors(events, stored, true))).containsExactly(
                "reportingController: Required value",
                "reportingController: Invalid value: \"\": name part must be non-empty",
                "action: Required value",
                "type: Invalid value: \"\": has invalid value: Info",
                "deprecatedCount: Invalid value: \"\": needs to be unset");
        assertThat(createErrors(events, events.toStorage(json(PULLED), EVENTS), true)).isEmpty();
    }

    @Test
    void eventsApiUpdatesMayNotRewriteHistory() {
        ObjectNode stored = created(events, events.toStorage(json(PULLED), EVENTS));
        ObjectNode next = stored.deepCopy();
        next.put("reason", "Failed");
        assertThat(rendered(updateErrors(events, stored, next))).containsExactly(
                "reason: Invalid value: \"Failed\": field is immutable");
        ObjectNode legacyNext = stored.deepCopy();
        legacyNext.put("reason", "Failed");
        assertThat(updateErrors(core, stored, legacyNext)).isEmpty();
    }

    @Test
    void namesAndFlags() {
        assertThat(core.nameRule()).isEqualTo(NameRule.PATH_SEGMENT);
        assertThat(events.nameRule()).isEqualTo(NameRule.DNS1123_SUBDOMAIN);
        assertThat(core.allowCreateOnUpdate()).isTrue();
        assertThat(events.selectableFieldNames()).contains("regarding.kind", "reportingController")
                .doesNotContain("source");
        assertThat(core.selectableFieldNames()).contains("involvedObject.kind", "source", "reportingComponent");
    }
}
