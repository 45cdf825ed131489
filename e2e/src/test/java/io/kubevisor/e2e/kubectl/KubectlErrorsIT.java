package io.kubevisor.e2e.kubectl;

import static io.kubevisor.e2e.kubectl.Fixtures.NEWEST;
import static io.kubevisor.e2e.kubectl.Fixtures.OLDEST;
import static io.kubevisor.e2e.kubectl.Fixtures.unique;
import static io.kubevisor.e2e.kubectl.Tables.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;

import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Kubectl;

/**
 * Errors as kubectl prints them against Kubernetes (kubectl-wire §8): NotFound, AlreadyExists, Invalid with field
 * causes, BadRequest, Forbidden for a terminating namespace, MethodNotAllowed, RequestEntityTooLarge and Gone after
 * compaction. Conflict is in {@link KubectlWriteIT} (stale {@code replace}) and {@link KubectlPatchIT} (server-side
 * apply); RBAC's Forbidden and Unauthorized are in {@link KubectlAuthIT}.
 *
 * <p>UnsupportedMediaType (415) is not reachable with kubectl: {@code create --raw} and {@code replace --raw} always
 * send {@code Content-Type: application/json}, and the one case where a real cluster answers 415 to kubectl
 * (a strategic merge patch on a custom resource) needs CustomResourceDefinitions.
 */
class KubectlErrorsIT {

    @TempDir
    static Path tmp;
    static Cluster cluster;

    @BeforeAll
    static void up() throws Exception {
        // keep one second of history so that a test can ask for a compacted resourceVersion
        cluster = Cluster.start(tmp.resolve("kv"), "--compaction-interval=1s");
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Kubectl kubectl(String version) throws Exception {
        return Kubectl.of(version, cluster, tmp.resolve("home-" + version));
    }

    static String namespace(Kubectl k, String base) throws Exception {
        String ns = unique(base, k.version());
        k.run("create", "namespace", ns).assertOk();
        return ns;
    }

    /** Runs kubectl, expects exit code 1 and no stdout, and returns stderr. */
    static String fails(Kubectl k, String... args) throws Exception {
        Kubectl.Result r = k.run(args);
        assertThat(r.exitCode()).as("exit code of kubectl %s\n%s", String.join(" ", args), r.stderr()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        return r.stderr();
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void notFound(String version) throws Exception {
        Kubectl k = kubectl(version);
        assertThat(fails(k, "get", "pods", "nope")).isEqualTo("Error from server (NotFound): pods \"nope\" not found\n");
        assertThat(fails(k, "get", "deploy", "nope")).isEqualTo(
                "Error from server (NotFound): deployments.apps \"nope\" not found\n");
        assertThat(fails(k, "get", "namespace", "nope")).isEqualTo(
                "Error from server (NotFound): namespaces \"nope\" not found\n");
        assertThat(fails(k, "get", "clusterrole", "nope")).isEqualTo(
                "Error from server (NotFound): clusterroles.rbac.authorization.k8s.io \"nope\" not found\n");
        assertThat(fails(k, "describe", "pod", "nope")).isEqualTo(
                "Error from server (NotFound): pods \"nope\" not found\n");
        assertThat(fails(k, "get", "--raw", "/api/v1/namespaces/default/configmaps/nope")).isEqualTo(
                "Error from server (NotFound): configmaps \"nope\" not found\n");
        // a list in a namespace that does not exist is just empty
        assertThat(k.run("get", "pods", "-n", "nowhere").assertOk().stderr())
                .isEqualTo("No resources found in nowhere namespace.\n");
        assertThat(fails(k, "get", "foo")).isEqualTo("error: the server doesn't have a resource type \"foo\"\n");
        // creating in it is refused by admission, naming the namespace
        assertThat(fails(k, "create", "configmap", "x", "-n", "nowhere")).isEqualTo(
                "error: failed to create configmap: namespaces \"nowhere\" not found\n");
    }

    // The server answers the GET with the object's NotFound, as kube-apiserver does; kubectl (every
    // version) then checks the namespace itself and prints that error instead.
    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void gettingAnObjectInAMissingNamespace(String version) throws Exception {
        Kubectl k = kubectl(version);
        assertThat(fails(k, "get", "pod", "nope", "-n", "nowhere")).isEqualTo(
                "Error from server (NotFound): namespaces \"nowhere\" not found\n");
        assertThat(fails(k, "get", "--raw", "/api/v1/namespaces/nowhere/pods/nope")).isEqualTo(
                "Error from server (NotFound): pods \"nope\" not found\n");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void alreadyExists(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "exists");
        assertThat(fails(k, "create", "namespace", ns)).isEqualTo(
                "Error from server (AlreadyExists): namespaces \"" + ns + "\" already exists\n");
        k.run("create", "configmap", "twice", "-n", ns).assertOk();
        assertThat(fails(k, "create", "configmap", "twice", "-n", ns)).isEqualTo(
                "error: failed to create configmap: configmaps \"twice\" already exists\n");
        Path file = Fixtures.file(tmp, ns + ".yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: twice
                  namespace: %s
                """.formatted(ns));
        assertThat(fails(k, "create", "-f", file.toString())).isEqualTo("Error from server (AlreadyExists): error when "
                + "creating \"" + file + "\": configmaps \"twice\" already exists\n");
        k.run("run", "p", "--image=busybox", "-n", ns).assertOk();
        assertThat(fails(k, "run", "p", "--image=busybox", "-n", ns)).isEqualTo(
                "Error from server (AlreadyExists): pods \"p\" already exists\n");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void invalidObjectsListTheirFieldErrors(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "invalid");
        Path bad = Fixtures.file(tmp, ns + "-bad.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: bad
                  namespace: %s
                spec:
                  containers:
                  - name: c
                """.formatted(ns));
        assertThat(fails(k, "create", "-f", bad.toString()))
                .isEqualTo("The Pod \"bad\" is invalid: spec.containers[0].image: Required value\n");
        Path worse = Fixtures.file(tmp, ns + "-worse.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: worse
                  namespace: %s
                spec:
                  containers:
                  - name: c
                  - name: c
                    image: busybox
                """.formatted(ns));
        assertThat(fails(k, "create", "-f", worse.toString())).isEqualTo("The Pod \"worse\" is invalid: \n"
                + "* spec.containers[0].image: Required value\n"
                + "* spec.containers[1].name: Duplicate value: \"c\"\n");
        assertThat(fails(k, "create", "configmap", "Bad_Name", "-n", ns)).isEqualTo("error: failed to create configmap: "
                + "ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 "
                + "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with "
                + "an alphanumeric character (e.g. 'example.com', regex used for validation is "
                + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n");
        assertThat(k.run("get", "pods", "-n", ns).assertOk().stdout()).isEmpty();
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void malformedYamlNeverLeavesKubectl(String version) throws Exception {
        Kubectl k = kubectl(version);
        Path file = Fixtures.file(tmp, unique("malformed", version) + ".yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [oops\n");
        assertThat(fails(k, "create", "-f", file.toString())).isEqualTo("error: error parsing " + file
                + ": error converting YAML to JSON: yaml: line 4: did not find expected ',' or ']'\n");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void aWronglyTypedFieldIsABadRequest(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "badtype");
        Path file = Fixtures.file(tmp, ns + ".json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":"
                + "{\"name\":\"typed\",\"namespace\":\"" + ns + "\"},\"data\":{\"a\":1}}");
        assertThat(fails(k, "create", "-f", file.toString())).isEqualTo("Error from server (BadRequest): error when "
                + "creating \"" + file + "\": ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot "
                + "unmarshal number into Go struct field ConfigMap.data of type string\n");
        assertThat(k.run("get", "cm", "typed", "-n", ns, "--ignore-not-found").assertOk().stdout()).isEmpty();
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void malformedJsonIsABadRequest(String version) throws Exception {
        Kubectl k = kubectl(version);
        Path body = Fixtures.file(tmp, unique("raw", version) + ".txt", "{not json");
        assertThat(fails(k, "create", "--raw", "/api/v1/namespaces/default/configmaps", "-f", body.toString()))
                .isEqualTo("Error from server (BadRequest): the object provided is unrecognized (must be of type "
                        + "ConfigMap): couldn't get version/kind; json parse error: invalid character 'n' looking for "
                        + "beginning of object key string ({not json)\n");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void malformedJsonIsRejectedWithBadRequest(String version) throws Exception {
        Kubectl k = kubectl(version);
        Path body = Fixtures.file(tmp, unique("raw-reason", version) + ".txt", "{not json");
        assertThat(fails(k, "create", "--raw", "/api/v1/namespaces/default/configmaps", "-f", body.toString()))
                .startsWith("Error from server (BadRequest): ");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void creatingInATerminatingNamespaceIsForbidden(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "terminating");
        // a finalizer keeps the namespace Terminating even once something empties it
        Path hold = Fixtures.file(tmp, ns + "-hold.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: hold
                  namespace: %s
                  finalizers: [example.com/hold]
                """.formatted(ns));
        k.run("create", "-f", hold.toString()).assertOk();
        assertThat(k.run("delete", "namespace", ns, "--wait=false").assertOk().stdout())
                .isEqualTo("namespace \"" + ns + "\" deleted\n");
        try {
            Path late = Fixtures.file(tmp, ns + "-late.yaml", """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: late
                      namespace: %s
                    """.formatted(ns));
            assertThat(fails(k, "create", "-f", late.toString())).isEqualTo("Error from server (Forbidden): error when "
                    + "creating \"" + late + "\": configmaps \"late\" is forbidden: unable to create new content in "
                    + "namespace " + ns + " because it is being terminated\n");
            assertThat(fails(k, "create", "configmap", "later", "-n", ns)).isEqualTo("error: failed to create "
                    + "configmap: configmaps \"later\" is forbidden: unable to create new content in namespace " + ns
                    + " because it is being terminated\n");
        } finally {
            k.run("patch", "configmap", "hold", "-n", ns, "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}");
        }
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void methodNotAllowed(String version) throws Exception {
        Kubectl k = kubectl(version);
        String expected = "Error from server (MethodNotAllowed): the server does not allow this method on the "
                + "requested resource\n";
        assertThat(fails(k, "delete", "--raw", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"))
                .isEqualTo(expected);
        Path body = Fixtures.file(tmp, unique("cm", version) + ".json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}");
        assertThat(fails(k, "create", "--raw", "/api/v1/namespaces/default/configmaps/x", "-f", body.toString()))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void requestEntityTooLarge(String version) throws Exception {
        Kubectl k = kubectl(version);
        String blob = "x".repeat(3 * 1024 * 1024 + 100);
        Path file = Fixtures.file(tmp, unique("huge", version) + ".json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"name\":\"huge\"},\"data\":{\"blob\":\"" + blob + "\"}}");
        assertThat(fails(k, "create", "-f", file.toString())).isEqualTo("Error from server (RequestEntityTooLarge): "
                + "error when creating \"" + file + "\": Request entity too large: limit is 3145728\n");
        assertThat(k.run("get", "cm", "huge", "--ignore-not-found").assertOk().stdout()).isEmpty();
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void aWatchFromACompactedResourceVersionEndsWithExpired(String version) throws Exception {
        Kubectl k = kubectl(version);
        awaitCompactionPast(k, version);
        Kubectl.Result watch = k.run("get", "--raw",
                "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=1&timeoutSeconds=20").assertOk();
        assertThat(lines(watch.stdout())).hasSize(1);
        JsonNode event = Fixtures.json(watch.stdout());
        assertThat(event.path("type").asString()).isEqualTo("ERROR");
        assertThat(event.at("/object/kind").asString()).isEqualTo("Status");
        assertThat(event.at("/object/status").asString()).isEqualTo("Failure");
        assertThat(event.at("/object/reason").asString()).isEqualTo("Expired");
        assertThat(event.at("/object/code").asInt()).isEqualTo(410);
        assertThat(event.at("/object/message").asString()).matches("too old resource version: 1 \\(\\d+\\)");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void anExactListAtACompactedResourceVersionIsExpired(String version) throws Exception {
        Kubectl k = kubectl(version);
        awaitCompactionPast(k, version);
        assertThat(fails(k, "get", "--raw", "/api/v1/namespaces/default/configmaps?resourceVersion=1"
                + "&resourceVersionMatch=Exact&limit=1"))
                .isEqualTo("Error from server (Expired): The resourceVersion for the provided list is too old.\n");
    }

    /** Writes a little and waits until revision 1 is compacted (the exact list at it fails). */
    private static void awaitCompactionPast(Kubectl k, String version) throws Exception {
        String name = unique("churn", version);
        k.run("create", "configmap", name).assertOk();
        k.run("delete", "configmap", name).assertOk();
        await("revision 1 compacted").atMost(Cluster.patience()).pollInterval(Duration.ofMillis(250))
                .until(() -> k.run("get", "--raw", "/api/v1/namespaces/default/configmaps?resourceVersion=1"
                        + "&resourceVersionMatch=Exact&limit=1").exitCode() == 1);
    }
}
