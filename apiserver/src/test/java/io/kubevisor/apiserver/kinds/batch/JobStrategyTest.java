package io.kubevisor.apiserver.kinds.batch;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.createErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.rendered;
import static io.kubevisor.apiserver.kinds.Fixtures.updateErrors;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.ObjectNode;

class JobStrategyTest {

    private final JobStrategy jobs = new JobStrategy();

    /** kubectl create job pi --image=perl. */
    private static final String PI = """
            {"kind":"Job","apiVersion":"batch/v1","metadata":{"name":"pi","namespace":"default"},
             "spec":{"template":{"metadata":{},"spec":{"containers":[{"name":"pi","image":"perl:5.34","resources":{}}],
               "restartPolicy":"Never"}}},"status":{}}""";

    private static final String UID = "0a1b2c3d-0000-4000-8000-00000000000a";

    @Test
    void kubectlCreateJobGetsTheGeneratedSelectorAndLabels() {
        String labels = """
                {"batch.kubernetes.io/controller-uid":"%1$s","batch.kubernetes.io/job-name":"pi",
                 "controller-uid":"%1$s","job-name":"pi"}""".formatted(UID);
        assertThat(created(jobs, json(PI))).isEqualTo(json("""
                {"kind":"Job","apiVersion":"batch/v1",
                 "metadata":{"name":"pi","namespace":"default","uid":"%1$s","creationTimestamp":"2025-01-02T03:04:05Z",
                   "labels":%2$s},
                 "spec":{"completions":1,"parallelism":1,"backoffLimit":6,"completionMode":"NonIndexed","suspend":false,
                   "podReplacementPolicy":"TerminatingOrFailed",
                   "selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"%1$s"}},
                   "template":{"metadata":{"creationTimestamp":null,"labels":%2$s},
                     "spec":{"containers":[{"name":"pi","image":"perl:5.34","resources":{},
                       "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",
                       "imagePullPolicy":"IfNotPresent"}],"restartPolicy":"Never","terminationGracePeriodSeconds":30,
                       "dnsPolicy":"ClusterFirst","securityContext":{},"schedulerName":"default-scheduler"}}},
                 "status":{}}""".formatted(UID, labels)));
        assertThat(createErrors(jobs, json(PI), true)).isEmpty();
    }

    @Test
    void restartPolicyAlwaysIsRejected() {
        ObjectNode job = json(PI);
        ((ObjectNode) job.path("spec").path("template").path("spec")).remove("restartPolicy");
        assertThat(rendered(createErrors(jobs, job, true))).containsExactly(
                "spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"");
    }

    @Test
    void parallelJobsKeepTheirCounts() {
        ObjectNode job = json(PI);
        ((ObjectNode) job.get("spec")).put("parallelism", 3);
        ObjectNode spec = (ObjectNode) created(jobs, job).get("spec");
        assertThat(spec.has("completions")).isFalse();
        assertThat(spec.path("parallelism").asInt()).isEqualTo(3);
    }

    @Test
    void countsAndModes() {
        ObjectNode job = json(PI);
        ((ObjectNode) job.get("spec")).put("backoffLimit", -1).put("completionMode", "Indexed").put("parallelism", 2)
                .put("podReplacementPolicy", "Whenever");
        assertThat(rendered(createErrors(jobs, job, true))).containsExactly(
                "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0",
                "spec.completions: Required value: when completion mode is Indexed",
                "spec.podReplacementPolicy: Unsupported value: \"Whenever\": supported values: \"Failed\", "
                        + "\"TerminatingOrFailed\"");
    }

    @Test
    void userLabelsMustNotContradictTheGeneratedOnes() {
        ObjectNode job = json(PI);
        ((ObjectNode) job.path("spec").path("template").path("metadata")).putObject("labels").put("job-name", "other");
        List<String> errs = rendered(createErrors(jobs, job, true));
        assertThat(errs).containsExactly("spec.template.metadata.labels[job-name]: Invalid value: "
                + "map[string]string{\"batch.kubernetes.io/controller-uid\":\"" + UID + "\", "
                + "\"batch.kubernetes.io/job-name\":\"pi\", \"controller-uid\":\"" + UID + "\", \"job-name\":\"other\"}: "
                + "must be 'pi'");
    }

    @Test
    void manualSelectorsAreLeftAlone() {
        ObjectNode job = json(PI);
        ObjectNode spec = (ObjectNode) job.get("spec");
        spec.put("manualSelector", true);
        spec.set("selector", json("{\"matchLabels\":{\"app\":\"pi\"}}"));
        ((ObjectNode) spec.path("template").path("metadata")).putObject("labels").put("app", "pi");
        ObjectNode stored = created(jobs, job);
        assertThat(stored.path("spec").path("selector")).isEqualTo(json("{\"matchLabels\":{\"app\":\"pi\"}}"));
        assertThat(stored.path("metadata").path("labels")).isEqualTo(json("{\"app\":\"pi\"}"));
        assertThat(createErrors(jobs, job, true)).isEmpty();
    }

    @Test
    void templateIsImmutableUnlessSuspendedAndNeverStarted() {
        ObjectNode stored = created(jobs, json(PI));
        ObjectNode next = stored.deepCopy();
        ((ObjectNode) next.path("spec").path("template").path("spec")).putObject("nodeSelector").put("zone", "a");
        List<String> errs = rendered(updateErrors(jobs, stored, next));
        assertThat(errs).hasSize(1);
        assertThat(errs.getFirst()).startsWith("spec.template: Invalid value: core.PodTemplateSpec{")
                .endsWith(": field is immutable");
        ((ObjectNode) stored.get("spec")).put("suspend", true);
        ((ObjectNode) next.get("spec")).put("suspend", true);
        assertThat(updateErrors(jobs, stored, next)).isEmpty();
    }

    @Test
    void completionsAreFixedForNonIndexedJobs() {
        ObjectNode stored = created(jobs, json(PI));
        ObjectNode next = stored.deepCopy();
        ((ObjectNode) next.get("spec")).put("completions", 5);
        assertThat(rendered(updateErrors(jobs, stored, next))).containsExactly(
                "spec.completions: Invalid value: 5: field is immutable");
    }

    @Test
    void statusSuccessfulIsSelectable() {
        ObjectNode stored = created(jobs, json(PI));
        ((ObjectNode) stored.get("status")).put("succeeded", 1);
        assertThat(jobs.selectableFields(stored)).containsEntry("status.successful", "1");
        assertThat(jobs.selectableFieldNames()).containsExactly("status.successful");
    }
}
