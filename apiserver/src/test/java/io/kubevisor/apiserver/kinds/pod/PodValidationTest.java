package io.kubevisor.apiserver.kinds.pod;

import static io.kubevisor.apiserver.kinds.Fixtures.createErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.message;
import static io.kubevisor.apiserver.kinds.Fixtures.rendered;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.FieldError;

class PodValidationTest {

    private final PodStrategy pods = new PodStrategy();

    private List<String> errors(String spec) {
        return rendered(createErrors(pods, json("""
                {"kind":"Pod","apiVersion":"v1","metadata":{"name":"p","namespace":"default"},"spec":%s}"""
                .formatted(spec)), true));
    }

    @Test
    void aValidPodHasNoErrors() {
        assertThat(errors("""
                {"containers":[{"name":"web","image":"nginx:1.27","ports":[{"name":"http","containerPort":80}],
                  "env":[{"name":"MODE","value":"prod"},{"name":"POD","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],
                  "volumeMounts":[{"name":"data","mountPath":"/data"}],
                  "resources":{"requests":{"cpu":"100m","memory":"64Mi"},"limits":{"cpu":"1","memory":"128Mi"}},
                  "readinessProbe":{"httpGet":{"port":"http"}}}],
                 "volumes":[{"name":"data","emptyDir":{}}],
                 "tolerations":[{"key":"dedicated","operator":"Equal","value":"web","effect":"NoSchedule"}]}"""))
                .isEmpty();
    }

    @Test
    void missingImageReadsLikeKubernetes() {
        List<FieldError> errs = createErrors(pods, json("""
                {"metadata":{"name":"x","namespace":"default"},"spec":{"containers":[{"name":"app"}]}}"""), true);
        assertThat(message("", "Pod", "x", errs))
                .isEqualTo("Pod \"x\" is invalid: spec.containers[0].image: Required value");
    }

    @Test
    void noContainers() {
        assertThat(errors("{\"containers\":[]}")).containsExactly("spec.containers: Required value");
    }

    @Test
    void containerNamesAndDuplicates() {
        assertThat(errors("""
                {"containers":[{"name":"Web","image":"a"},{"name":"db","image":"b"},{"name":"db","image":"c"}],
                 "initContainers":[{"name":"db","image":"d"}]}""")).containsExactly(
                "spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower "
                        + "case alphanumeric characters or '-', and must start and end with an alphanumeric character "
                        + "(e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
                "spec.containers[2].name: Duplicate value: \"db\"",
                "spec.initContainers[0].name: Duplicate value: \"db\"");
    }

    @Test
    void ports() {
        assertThat(errors("""
                {"containers":[{"name":"a","image":"a","ports":[{"containerPort":70000},{"containerPort":0},
                  {"containerPort":80,"protocol":"HTTP"},{"name":"9090","containerPort":9090},
                  {"name":"web","containerPort":81,"hostPort":8080},{"name":"web","containerPort":82}]}]}"""))
                .containsExactly(
                        "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
                        "spec.containers[0].ports[1].containerPort: Required value",
                        "spec.containers[0].ports[2].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
                        "spec.containers[0].ports[3].name: Invalid value: \"9090\": must contain at least one letter (a-z)",
                        "spec.containers[0].ports[5].name: Duplicate value: \"web\"");
    }

    @Test
    void enumsListTheSupportedValues() {
        assertThat(errors("""
                {"containers":[{"name":"a","image":"a","imagePullPolicy":"Sometimes"}],"restartPolicy":"Maybe",
                 "dnsPolicy":"Google"}""")).containsExactly(
                "spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", "
                        + "\"IfNotPresent\", \"Never\"",
                "spec.restartPolicy: Unsupported value: \"Maybe\": supported values: \"Always\", \"OnFailure\", \"Never\"",
                "spec.dnsPolicy: Unsupported value: \"Google\": supported values: \"ClusterFirstWithHostNet\", "
                        + "\"ClusterFirst\", \"Default\", \"None\"");
    }

    @Test
    void volumesAndMounts() {
        assertThat(errors("""
                {"containers":[{"name":"a","image":"a","volumeMounts":[{"name":"missing","mountPath":"/x"},
                   {"name":"cfg","mountPath":"/x"},{"name":"both","mountPath":"/y"},{"name":"cfg","mountPath":"/z",
                   "subPath":"../etc"}]}],
                 "volumes":[{"name":"cfg","configMap":{}},{"name":"both","emptyDir":{},"secret":{"secretName":"s"}},
                   {"name":"Bad_Name","emptyDir":{}},{"name":"hp","hostPath":{"path":"/a","type":"Folder"}}]}"""))
                .containsExactly(
                        "spec.volumes[0].configMap.name: Required value",
                        "spec.volumes[1].secret: Forbidden: may not specify more than 1 volume type",
                        "spec.volumes[2].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label must consist of "
                                + "lower case alphanumeric characters or '-', and must start and end with an alphanumeric "
                                + "character (e.g. 'my-name',  or '123-abc', regex used for validation is "
                                + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
                        "spec.volumes[3].hostPath.type: Unsupported value: \"Folder\": supported values: \"\", "
                                + "\"BlockDevice\", \"CharDevice\", \"Directory\", \"DirectoryOrCreate\", \"File\", "
                                + "\"FileOrCreate\", \"Socket\"",
                        "spec.containers[0].volumeMounts[0].name: Not found: \"missing\"",
                        "spec.containers[0].volumeMounts[1].name: Not found: \"cfg\"",
                        "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/x\": must be unique",
                        "spec.containers[0].volumeMounts[2].name: Not found: \"both\"",
                        "spec.containers[0].volumeMounts[3].name: Not found: \"cfg\"",
                        "spec.containers[0].volumeMounts.subPath: Invalid value: \"../etc\": must not contain '..'");
    }

    @Test
    void duplicateMountPaths() {
        assertThat(errors("""
                {"containers":[{"name":"a","image":"a","volumeMounts":[{"name":"v","mountPath":"/d"},
                  {"name":"v","mountPath":"/d"}]}],"volumes":[{"name":"v"}]}""")).containsExactly(
                "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/d\": must be unique");
    }

    @Test
    void resources() {
        assertThat(errors("""
                {"containers":[{"name":"a","image":"a","resources":{"requests":{"cpu":"2","memory":"-1Mi",
                  "gpu":"1"},"limits":{"cpu":"1"}}}]}""")).containsExactly(
                "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1",
                "spec.containers[0].resources.requests[memory]: Invalid value: \"-1Mi\": must be greater than or equal to 0",
                "spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource for containers");
    }

    @Test
    void extendedResourcesMayNotOvercommit() {
        assertThat(errors("""
                {"containers":[{"name":"a","image":"a","resources":{"requests":{"example.com/gpu":"1"}}}]}"""))
                .containsExactly("spec.containers[0].resources.limits: Required value: Limit must be set for non "
                        + "overcommitable resources");
    }

    @Test
    void probes() {
        assertThat(errors("""
                {"containers":[{"name":"a","image":"a","livenessProbe":{"successThreshold":2},
                  "readinessProbe":{"exec":{},"tcpSocket":{"port":0}},"startupProbe":{"httpGet":{"port":"x_y"}}}]}"""))
                .containsExactly(
                        "spec.containers[0].livenessProbe: Required value: must specify a handler type",
                        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
                        "spec.containers[0].readinessProbe.exec.command: Required value",
                        "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
                        "spec.containers[0].startupProbe.httpGet.port: Invalid value: \"x_y\": must contain only "
                                + "alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }

    @Test
    void environment() {
        assertThat(errors("""
                {"containers":[{"name":"a","image":"a","env":[{"name":""},{"name":"A=B"},
                  {"name":"X","valueFrom":{"fieldRef":{"fieldPath":"spec.foo"}}},
                  {"name":"Y","valueFrom":{"fieldRef":{"fieldPath":"status.phase"}}},
                  {"name":"Z","value":"v","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}},
                  {"name":"W","valueFrom":{}}]}]}""")).containsExactly(
                "spec.containers[0].env[0].name: Required value",
                "spec.containers[0].env[1].name: Invalid value: \"A=B\": a valid environment variable name must "
                        + "consist only of printable ASCII characters other than '='",
                "spec.containers[0].env[2].valueFrom.fieldRef.fieldPath: Invalid value: \"spec.foo\": error converting "
                        + "fieldPath: field label not supported: spec.foo",
                "spec.containers[0].env[3].valueFrom.fieldRef.fieldPath: Unsupported value: \"status.phase\": supported "
                        + "values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", "
                        + "\"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", "
                        + "\"status.podIPs\"",
                "spec.containers[0].env[4].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty",
                "spec.containers[0].env[5].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, "
                        + "`resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
    }

    @Test
    void tolerationsAndScheduling() {
        assertThat(errors("""
                {"containers":[{"name":"a","image":"a"}],"nodeSelector":{"disk":"fast ssd"},
                 "tolerations":[{"operator":"Equal","value":"x"},{"key":"k","effect":"Sometimes"},
                   {"key":"k2","operator":"Exists","tolerationSeconds":60}],
                 "activeDeadlineSeconds":0,"hostname":"Host"}""")).containsExactly(
                "spec.nodeSelector: Invalid value: \"fast ssd\": a valid label must be an empty string or consist of "
                        + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
                        + "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
                        + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
                "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive",
                "spec.hostname: Invalid value: \"Host\": a lowercase RFC 1123 label must consist of lower case "
                        + "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. "
                        + "'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
                "spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, "
                        + "which means \"match all values and all keys\"",
                "spec.tolerations[1].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", "
                        + "\"PreferNoSchedule\", \"NoExecute\"",
                "spec.tolerations[2].effect: Invalid value: \"\": effect must be 'NoExecute' when `tolerationSeconds` is set");
    }

    @Test
    void initContainersWithoutRestartMayNotProbe() {
        assertThat(errors("""
                {"containers":[{"name":"a","image":"a"}],"initContainers":[{"name":"i","image":"a",
                  "readinessProbe":{"exec":{"command":["true"]}}},{"name":"side","image":"a","restartPolicy":"Always",
                  "readinessProbe":{"exec":{"command":["true"]}}},{"name":"bad","image":"a","restartPolicy":"Never"}]}"""))
                .containsExactly(
                        "spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without "
                                + "restartPolicy=Always",
                        "spec.initContainers[2].restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"");
    }

    @Test
    void ephemeralContainersCannotBeCreatedWithThePod() {
        assertThat(errors("""
                {"containers":[{"name":"a","image":"a"}],"ephemeralContainers":[{"name":"dbg","image":"busybox"}]}"""))
                .containsExactly("spec.ephemeralContainers: Forbidden: cannot be set on create");
    }

    @Test
    void severalErrorsAreListedInBrackets() {
        List<FieldError> errs = createErrors(pods, json("""
                {"metadata":{"name":"Bad","namespace":"default"},"spec":{"containers":[{"name":"app"}]}}"""), true);
        assertThat(message("", "Pod", "Bad", errs)).startsWith("Pod \"Bad\" is invalid: [metadata.name: Invalid value: "
                + "\"Bad\": a lowercase RFC 1123 subdomain").endsWith(", spec.containers[0].image: Required value]");
    }
}
