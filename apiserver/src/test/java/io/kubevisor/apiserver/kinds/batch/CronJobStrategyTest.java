package io.kubevisor.apiserver.kinds.batch;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.createErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.rendered;
import static io.kubevisor.apiserver.kinds.Fixtures.updateErrors;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.ObjectNode;

class CronJobStrategyTest {

    private final CronJobStrategy cronJobs = new CronJobStrategy();

    /** kubectl create cronjob hello --image=busybox --schedule="*&#47;1 * * * *". */
    private static final String HELLO = """
            {"kind":"CronJob","apiVersion":"batch/v1","metadata":{"name":"hello","namespace":"default"},
             "spec":{"schedule":"*/1 * * * *","jobTemplate":{"metadata":{"name":"hello"},
               "spec":{"template":{"metadata":{},"spec":{"containers":[{"name":"hello","image":"busybox","resources":{}}],
                 "restartPolicy":"OnFailure"}}}}},"status":{}}""";

    @Test
    void defaultsMatchARealCluster() {
        assertThat(created(cronJobs, json(HELLO))).isEqualTo(json("""
                {"kind":"CronJob","apiVersion":"batch/v1",
                 "metadata":{"name":"hello","namespace":"default","uid":"0a1b2c3d-0000-4000-8000-00000000000a",
                   "creationTimestamp":"2025-01-02T03:04:05Z"},
                 "spec":{"schedule":"*/1 * * * *","concurrencyPolicy":"Allow","suspend":false,
                   "successfulJobsHistoryLimit":3,"failedJobsHistoryLimit":1,
                   "jobTemplate":{"metadata":{"name":"hello","creationTimestamp":null},
                     "spec":{"template":{"metadata":{"creationTimestamp":null},
                       "spec":{"containers":[{"name":"hello","image":"busybox","resources":{},
                         "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",
                         "imagePullPolicy":"Always"}],"restartPolicy":"OnFailure","terminationGracePeriodSeconds":30,
                         "dnsPolicy":"ClusterFirst","securityContext":{},"schedulerName":"default-scheduler"}}}}},
                 "status":{}}"""));
        assertThat(createErrors(cronJobs, json(HELLO), true)).isEmpty();
    }

    private ObjectNode withSchedule(String schedule) {
        ObjectNode cj = json(HELLO);
        ((ObjectNode) cj.get("spec")).put("schedule", schedule);
        return cj;
    }

    @Test
    void unparseableSchedules() {
        assertThat(rendered(createErrors(cronJobs, withSchedule("* * *"), true))).containsExactly(
                "spec.schedule: Invalid value: \"* * *\": expected exactly 5 fields, found 3: [* * *]");
        assertThat(rendered(createErrors(cronJobs, withSchedule("61 * * * *"), true))).containsExactly(
                "spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61");
        assertThat(rendered(createErrors(cronJobs, withSchedule("@sometimes"), true))).containsExactly(
                "spec.schedule: Invalid value: \"@sometimes\": unrecognized descriptor: @sometimes");
    }

    @Test
    void timeZonesBelongInTheTimeZoneField() {
        assertThat(rendered(createErrors(cronJobs, withSchedule("CRON_TZ=Europe/Berlin 0 3 * * *"), true)))
                .containsExactly("spec.schedule: Invalid value: \"CRON_TZ=Europe/Berlin 0 3 * * *\": cannot use TZ or "
                        + "CRON_TZ in schedule, use timeZone field instead");
        assertThat(rendered(createErrors(cronJobs, withSchedule("TZ=Mars/Olympus 0 3 * * *"), true))).containsExactly(
                "spec.schedule: Invalid value: \"TZ=Mars/Olympus 0 3 * * *\": provided bad location Mars/Olympus: "
                        + "unknown time zone Mars/Olympus",
                "spec.schedule: Invalid value: \"TZ=Mars/Olympus 0 3 * * *\": cannot use TZ or CRON_TZ in schedule, "
                        + "use timeZone field instead");
        ObjectNode zoned = withSchedule("0 3 * * *");
        ((ObjectNode) zoned.get("spec")).put("timeZone", "Europe/Berlin");
        assertThat(createErrors(cronJobs, zoned, true)).isEmpty();
        ((ObjectNode) zoned.get("spec")).put("timeZone", "Local");
        assertThat(rendered(createErrors(cronJobs, zoned, true))).containsExactly("spec.timeZone: Invalid value: "
                + "\"Local\": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones");
    }

    @Test
    void existingTimeZonePrefixesStayUpdatable() {
        ObjectNode stored = created(cronJobs, withSchedule("TZ=UTC 0 3 * * *"));
        ObjectNode next = stored.deepCopy();
        ((ObjectNode) next.get("spec")).put("schedule", "TZ=UTC 0 4 * * *");
        assertThat(updateErrors(cronJobs, stored, next)).isEmpty();
    }

    @Test
    void namesLeaveRoomForJobSuffixes() {
        ObjectNode cj = json(HELLO);
        String name = "a".repeat(53);
        ((ObjectNode) cj.get("metadata")).put("name", name);
        assertThat(rendered(createErrors(cronJobs, cj, true))).containsExactly(
                "metadata.name: Invalid value: \"" + name + "\": must be no more than 52 characters");
    }

    @Test
    void jobTemplateRules() {
        ObjectNode cj = json(HELLO);
        ObjectNode jobSpec = (ObjectNode) cj.path("spec").path("jobTemplate").path("spec");
        jobSpec.set("selector", json("{\"matchLabels\":{\"a\":\"b\"}}"));
        ((ObjectNode) jobSpec.path("template").path("spec")).put("restartPolicy", "Always");
        ((ObjectNode) cj.get("spec")).put("concurrencyPolicy", "Sometimes");
        assertThat(rendered(createErrors(cronJobs, cj, true))).containsExactly(
                "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\"",
                "spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: "
                        + "\"OnFailure\", \"Never\"",
                "spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"a\":\"b\"}, "
                        + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated");
    }
}
