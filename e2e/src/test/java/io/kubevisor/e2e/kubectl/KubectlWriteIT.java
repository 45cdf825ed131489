package io.kubevisor.e2e.kubectl;

import static io.kubevisor.e2e.kubectl.Fixtures.NEWEST;
import static io.kubevisor.e2e.kubectl.Fixtures.OLDEST;
import static io.kubevisor.e2e.kubectl.Fixtures.unique;
import static io.kubevisor.e2e.kubectl.Tables.AGE;
import static io.kubevisor.e2e.kubectl.Tables.CLUSTER_IP;
import static io.kubevisor.e2e.kubectl.Tables.lines;
import static io.kubevisor.e2e.kubectl.Tables.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Kubectl;

/**
 * Commands that create, replace and delete (kubectl-wire §4): the typed {@code create} generators (protobuf bodies
 * from kubectl 1.32 on), {@code create -f} with several documents, {@code replace} (plain, stale, forced),
 * {@code run}, {@code delete} by name, label and {@code --all}, {@code describe}, and namespace deletion.
 * Patch-based commands are in {@link KubectlPatchIT}, schema-based ones in {@link KubectlValidationIT}.
 */
class KubectlWriteIT {

    @TempDir
    static Path tmp;
    static Cluster cluster;

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.start(tmp.resolve("kv"));
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

    static String get(Kubectl k, String jsonpath, String... object) throws Exception {
        String[] args = new String[object.length + 3];
        args[0] = "get";
        System.arraycopy(object, 0, args, 1, object.length);
        args[object.length + 1] = "-o";
        args[object.length + 2] = "jsonpath=" + jsonpath;
        return k.run(args).assertOk().stdout();
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void typedCreatesMakeWhatTheFlagsSay(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = unique("typed", version);
        assertThat(k.run("create", "namespace", ns).assertOk().stdout()).isEqualTo("namespace/" + ns + " created\n");
        assertThat(get(k, "{.status.phase} {.metadata.labels.kubernetes\\.io/metadata\\.name}", "namespace", ns))
                .isEqualTo("Active " + ns);

        assertThat(k.run("create", "deployment", "web", "--image=nginx:1.27", "--replicas=2", "--port=80", "-n", ns)
                .assertOk().stdout()).isEqualTo("deployment.apps/web created\n");
        assertThat(get(k, "{.spec.replicas} {.spec.selector.matchLabels.app} {.spec.template.spec.containers[0].image} "
                + "{.spec.template.spec.containers[0].ports[0].containerPort} {.spec.strategy.type}", "deploy", "web", "-n", ns))
                .isEqualTo("2 web nginx:1.27 80 RollingUpdate");

        assertThat(k.run("create", "configmap", "cfg", "--from-literal=color=blue", "--from-literal=size=9", "-n", ns)
                .assertOk().stdout()).isEqualTo("configmap/cfg created\n");
        assertThat(get(k, "{.data.color} {.data.size}", "cm", "cfg", "-n", ns)).isEqualTo("blue 9");

        assertThat(k.run("create", "secret", "generic", "sec", "--from-literal=password=s3cret", "-n", ns)
                .assertOk().stdout()).isEqualTo("secret/sec created\n");
        assertThat(get(k, "{.type} {.data.password}", "secret", "sec", "-n", ns)).isEqualTo("Opaque czNjcmV0");

        assertThat(k.run("create", "service", "clusterip", "svc", "--tcp=80:8080", "-n", ns).assertOk().stdout())
                .isEqualTo("service/svc created\n");
        assertThat(get(k, "{.spec.type} {.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.selector.app}",
                "svc", "svc", "-n", ns)).isEqualTo("ClusterIP 80 8080 svc");
        assertThat(get(k, "{.spec.clusterIP}", "svc", "svc", "-n", ns)).matches(CLUSTER_IP);

        assertThat(k.run("create", "job", "once", "--image=busybox", "-n", ns, "--", "echo", "hi").assertOk().stdout())
                .isEqualTo("job.batch/once created\n");
        assertThat(get(k, "{.spec.template.spec.restartPolicy} {.spec.template.spec.containers[0].command}",
                "job", "once", "-n", ns)).isEqualTo("Never [\"echo\",\"hi\"]");

        assertThat(k.run("create", "serviceaccount", "robot", "-n", ns).assertOk().stdout())
                .isEqualTo("serviceaccount/robot created\n");
        assertThat(k.run("create", "role", "reader", "--verb=get,list", "--resource=pods", "-n", ns).assertOk().stdout())
                .isEqualTo("role.rbac.authorization.k8s.io/reader created\n");
        assertThat(k.run("create", "rolebinding", "reader", "--role=reader", "--user=alice", "-n", ns).assertOk()
                .stdout()).isEqualTo("rolebinding.rbac.authorization.k8s.io/reader created\n");
        assertThat(get(k, "{.roleRef.kind}/{.roleRef.name} {.subjects[0].kind}:{.subjects[0].name}",
                "rolebinding", "reader", "-n", ns)).isEqualTo("Role/reader User:alice");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void createFromAMultiDocumentFileMakesTheNamespaceFirst(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = unique("multi", version);
        Path file = Fixtures.file(tmp, ns + ".yaml", """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %1$s
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  namespace: %1$s
                data:
                  color: blue
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: api
                  namespace: %1$s
                spec:
                  replicas: 2
                  selector:
                    matchLabels: {app: api}
                  template:
                    metadata:
                      labels: {app: api}
                    spec:
                      containers:
                      - name: api
                        image: nginx:1.27
                """.formatted(ns));
        Kubectl.Result first = k.run("create", "-f", file.toString()).assertOk();
        assertThat(first.stdout()).isEqualTo("namespace/" + ns + " created\nconfigmap/settings created\n"
                + "deployment.apps/api created\n");
        assertThat(k.run("get", "deploy,cm", "-n", ns).assertOk().stdout())
                .containsPattern(row("deployment\\.apps/api", "0/2", "0", "0", AGE))
                .containsPattern(row("configmap/settings", "1", AGE));

        Kubectl.Result again = k.run("create", "-f", file.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stdout()).isEmpty();
        assertThat(again.stderr()).isEqualTo(
                "Error from server (AlreadyExists): error when creating \"" + file + "\": namespaces \"" + ns
                        + "\" already exists\n"
                        + "Error from server (AlreadyExists): error when creating \"" + file
                        + "\": configmaps \"settings\" already exists\n"
                        + "Error from server (AlreadyExists): error when creating \"" + file
                        + "\": deployments.apps \"api\" already exists\n");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void replaceUpdatesAndRejectsAStaleResourceVersion(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "replace");
        k.run("create", "configmap", "conf", "--from-literal=v=1", "-n", ns).assertOk();
        String stale = k.run("get", "cm", "conf", "-n", ns, "-o", "yaml").assertOk().stdout();
        Path staleFile = Fixtures.file(tmp, ns + "-stale.yaml", stale.replace("v: \"1\"", "v: \"stale\""));
        Path newer = Fixtures.file(tmp, ns + "-v2.yaml", stale.replace("v: \"1\"", "v: \"2\""));

        assertThat(k.run("replace", "-f", newer.toString()).assertOk().stdout()).isEqualTo("configmap/conf replaced\n");
        assertThat(get(k, "{.data.v}", "cm", "conf", "-n", ns)).isEqualTo("2");

        Kubectl.Result conflict = k.run("replace", "-f", staleFile.toString());
        assertThat(conflict.exitCode()).isEqualTo(1);
        assertThat(conflict.stderr()).isEqualTo("Error from server (Conflict): error when replacing \"" + staleFile
                + "\": Operation cannot be fulfilled on configmaps \"conf\": the object has been modified; please apply "
                + "your changes to the latest version and try again\n");
        assertThat(get(k, "{.data.v}", "cm", "conf", "-n", ns)).isEqualTo("2");

        // without a resourceVersion the update is unconditional
        Path plain = Fixtures.file(tmp, ns + "-plain.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: conf
                  namespace: %s
                data:
                  v: "3"
                """.formatted(ns));
        assertThat(k.run("replace", "-f", plain.toString()).assertOk().stdout()).isEqualTo("configmap/conf replaced\n");

        String uid = get(k, "{.metadata.uid}", "cm", "conf", "-n", ns);
        assertThat(k.run("replace", "--force", "-f", staleFile.toString()).assertOk().stdout())
                .isEqualTo("configmap \"conf\" deleted\nconfigmap/conf replaced\n");
        assertThat(get(k, "{.data.v}", "cm", "conf", "-n", ns)).isEqualTo("stale");
        assertThat(get(k, "{.metadata.uid}", "cm", "conf", "-n", ns)).isNotEqualTo(uid);

        Kubectl.Result missing = k.run("replace", "-f", Fixtures.file(tmp, ns + "-missing.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ghost\n  namespace: " + ns + "\n").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).isEqualTo("Error from server (NotFound): error when replacing \"" + tmp.resolve(
                ns + "-missing.yaml") + "\": configmaps \"ghost\" not found\n");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void runCreatesAPendingPod(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "run");
        assertThat(k.run("run", "x", "--image=busybox", "-n", ns).assertOk().stdout()).isEqualTo("pod/x created\n");
        assertThat(k.run("get", "pod", "x", "-n", ns).assertOk().stdout())
                .containsPattern(row("x", "0/1", "Pending", "0", AGE));
        assertThat(get(k, "{.metadata.labels.run} {.spec.containers[0].name} {.spec.restartPolicy} {.spec.nodeName}",
                "pod", "x", "-n", ns)).isEqualTo("x x Always ");

        assertThat(k.run("run", "y", "--image=busybox", "--restart=Never", "--labels=app=y", "--env=A=1",
                "--port=8080", "-n", ns, "--", "sleep", "3600").assertOk().stdout()).isEqualTo("pod/y created\n");
        assertThat(get(k, "{.metadata.labels.app} {.spec.restartPolicy} {.spec.containers[0].env[0].name}="
                + "{.spec.containers[0].env[0].value} {.spec.containers[0].ports[0].containerPort} "
                + "{.spec.containers[0].args}", "pod", "y", "-n", ns))
                .isEqualTo("y Never A=1 8080 [\"sleep\",\"3600\"]");
        // defaults the API server fills in
        assertThat(get(k, "{.spec.containers[0].imagePullPolicy} {.spec.dnsPolicy} {.spec.schedulerName} "
                + "{.spec.terminationGracePeriodSeconds} {.status.phase} {.status.qosClass}", "pod", "y", "-n", ns))
                .isEqualTo("Always ClusterFirst default-scheduler 30 Pending BestEffort");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void deleteByNameLabelAndAll(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "delete");
        k.run("run", "p", "--image=busybox", "-n", ns).assertOk();
        for (String cm : new String[] {"a", "b", "c", "d"}) {
            k.run("create", "configmap", cm, "-n", ns).assertOk();
        }
        k.run("label", "cm", "a", "b", "group=g", "-n", ns).assertOk();

        // an unscheduled pod has nothing to stop: it is gone at once and kubectl's wait ends immediately
        assertThat(k.run("delete", "pod", "p", "-n", ns).assertOk().stdout()).isEqualTo("pod \"p\" deleted\n");
        assertThat(k.run("get", "pods", "-n", ns).assertOk().stderr()).isEqualTo("No resources found in " + ns
                + " namespace.\n");

        assertThat(k.run("delete", "configmap", "c", "-n", ns).assertOk().stdout())
                .isEqualTo("configmap \"c\" deleted\n");
        assertThat(k.run("delete", "cm", "-l", "group=g", "-n", ns).assertOk().stdout())
                .isEqualTo("configmap \"a\" deleted\nconfigmap \"b\" deleted\n");
        k.run("create", "configmap", "e", "-n", ns).assertOk();
        assertThat(lines(k.run("delete", "cm", "--all", "-n", ns).assertOk().stdout()))
                .contains("configmap \"d\" deleted", "configmap \"e\" deleted")
                .doesNotContain("configmap \"a\" deleted");
        assertThat(k.run("get", "cm", "d", "e", "-n", ns, "--ignore-not-found").assertOk().stdout()).isEmpty();

        Kubectl.Result nope = k.run("delete", "pod", "nope", "-n", ns);
        assertThat(nope.exitCode()).isEqualTo(1);
        assertThat(nope.stderr()).isEqualTo("Error from server (NotFound): pods \"nope\" not found\n");
        Kubectl.Result ignored = k.run("delete", "pod", "nope", "-n", ns, "--ignore-not-found").assertOk();
        assertThat(ignored.stdout()).isEmpty();
        assertThat(ignored.stderr()).isEmpty();
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void describeWorksWithoutEvents(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "describe");
        k.run(Fixtures.unscheduled("run", "d", "--image=busybox", "--labels=app=d", "-n", ns)).assertOk();
        String pod = k.run("describe", "pod", "d", "-n", ns).assertOk().stdout();
        // As on a real cluster, admission gave the pod a priority and a service account, so
        // describe widens its first column to fit "Service Account:".
        assertThat(lines(pod)).startsWith("Name:             d", "Namespace:        " + ns, "Priority:         0",
                "Service Account:  default");
        assertThat(lines(pod)).contains("Node:             <none>", "Labels:           app=d", "Status:           Pending",
                "Containers:", "  d:", "    Image:        busybox", "QoS Class:        BestEffort",
                "Events:           <none>");

        k.run("create", "deployment", "web", "--image=nginx", "-n", ns).assertOk();
        String deploy = k.run("describe", "deployment", "web", "-n", ns).assertOk().stdout();
        assertThat(lines(deploy)).startsWith("Name:                   web", "Namespace:              " + ns);
        assertThat(lines(deploy)).contains("Selector:               app=web",
                "Replicas:               1 desired | 0 updated | 0 total | 0 available | 0 unavailable",
                "StrategyType:           RollingUpdate", "MinReadySeconds:        0",
                "RollingUpdateStrategy:  25% max unavailable, 25% max surge");
        // the Events column width depends on the pod template section, which differs between kubectl versions
        assertThat(deploy).containsPattern("(?m)^Events: +<none>$");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void deletingANamespaceDeletesItsContents(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "doomed");
        k.run("create", "configmap", "c", "-n", ns).assertOk();
        k.run("run", "p", "--image=busybox", "-n", ns).assertOk();
        k.run("create", "deployment", "web", "--image=nginx", "-n", ns).assertOk();
        Kubectl.Result r = k.run("delete", "namespace", ns, "--timeout=60s");
        assertThat(r.stderr()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("namespace \"" + ns + "\" deleted\n");
        Kubectl.Result gone = k.run("get", "namespace", ns);
        assertThat(gone.stderr()).isEqualTo("Error from server (NotFound): namespaces \"" + ns + "\" not found\n");
        Kubectl.Result contents = k.run("get", "cm,pods,deploy", "-n", ns).assertOk();
        assertThat(contents.stdout()).isEmpty();
        assertThat(contents.stderr()).isEqualTo("No resources found in " + ns + " namespace.\n");
    }
}
