package io.kubevisor.e2e.kubectl;

import static io.kubevisor.e2e.kubectl.Fixtures.NEWEST;
import static io.kubevisor.e2e.kubectl.Fixtures.OLDEST;
import static io.kubevisor.e2e.kubectl.Fixtures.unique;
import static io.kubevisor.e2e.kubectl.Tables.firstLine;
import static io.kubevisor.e2e.kubectl.Tables.header;
import static io.kubevisor.e2e.kubectl.Tables.lines;
import static io.kubevisor.e2e.kubectl.Tables.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;

import io.kubevisor.apiserver.auth.pki.ClusterCa;
import io.kubevisor.apiserver.auth.pki.KeyMaterial;
import io.kubevisor.apiserver.auth.pki.Kubeconfig;
import io.kubevisor.apiserver.auth.pki.Pem;
import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Kubectl;

/**
 * Who may do what, and what the cluster says about itself (kubectl-wire §7, and §8's Forbidden and Unauthorized):
 * {@code auth can-i} (also {@code --as} another user before and after a RoleBinding, and {@code --list}), RBAC
 * denials as kubectl prints them, credentials the server must refuse, {@code api-resources}, {@code api-versions},
 * {@code cluster-info} and {@code version}.
 */
class KubectlAuthIT {

    /** What kubectl prints when the server answers 401 (the discovery client drops the Status body). */
    private static final String NOT_LOGGED_IN =
            "error: You must be logged in to the server (the server has asked for the client to provide credentials)";

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

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void adminCanDoAnything(String version) throws Exception {
        Kubectl k = kubectl(version);
        assertThat(k.run("auth", "can-i", "create", "pods").assertOk().stdout()).isEqualTo("yes\n");
        assertThat(k.run("auth", "can-i", "*", "*").assertOk().stdout()).isEqualTo("yes\n");
        assertThat(k.run("auth", "can-i", "get", "/healthz").assertOk().stdout()).isEqualTo("yes\n");
        String list = k.run("auth", "can-i", "--list").assertOk().stdout();
        assertThat(firstLine(list)).matches(header("Resources", "Non-Resource URLs", "Resource Names", "Verbs"));
        assertThat(list).containsPattern(row("\\*\\.\\*", "\\[\\]", "\\[\\]", "\\[\\*\\]"))
                .containsPattern("(?m)^ +\\[\\*\\] +\\[\\] +\\[\\*\\] *$"); // a non-resource row
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void aliceMayActOnlyAfterARoleBinding(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = unique("team", version);
        k.run("create", "namespace", ns).assertOk();

        Kubectl.Result before = k.run("auth", "can-i", "create", "pods", "--as", "alice", "-n", ns);
        assertThat(before.exitCode()).isEqualTo(1);
        assertThat(before.stdout()).isEqualTo("no\n");

        k.run("create", "rolebinding", "alice-edit", "--clusterrole=edit", "--user=alice", "-n", ns).assertOk();
        // the authorizer may see the new binding a moment later, as on a real cluster
        await("alice may create pods in " + ns).atMost(Cluster.patience()).pollInterval(Duration.ofMillis(200))
                .until(() -> k.run("auth", "can-i", "create", "pods", "--as", "alice", "-n", ns).stdout().equals("yes\n"));
        assertThat(k.run("auth", "can-i", "list", "secrets", "--as", "alice", "-n", ns).assertOk().stdout())
                .isEqualTo("yes\n");
        Kubectl.Result rbac = k.run("auth", "can-i", "create", "rolebindings", "--as", "alice", "-n", ns);
        assertThat(rbac.exitCode()).isEqualTo(1);
        assertThat(rbac.stdout()).isEqualTo("no\n");
        Kubectl.Result elsewhere = k.run("auth", "can-i", "create", "pods", "--as", "alice", "-n", "default");
        assertThat(elsewhere.exitCode()).isEqualTo(1);
        assertThat(elsewhere.stdout()).isEqualTo("no\n");

        String list = k.run("auth", "can-i", "--list", "--as", "alice", "-n", ns).assertOk().stdout();
        assertThat(firstLine(list)).matches(header("Resources", "Non-Resource URLs", "Resource Names", "Verbs"));
        String pods = lines(list).stream().filter(l -> l.startsWith("pods ")).findFirst().orElseThrow();
        assertThat(pods).matches("pods +\\[\\] +\\[\\] +\\[.*\\]").contains("create", "delete", "get", "list", "watch");
        assertThat(lines(list)).noneMatch(l -> l.startsWith("*.*"));

        assertThat(k.run("get", "pods", "--as", "alice", "-n", ns).assertOk().stderr())
                .isEqualTo("No resources found in " + ns + " namespace.\n");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void deniedRequestsSayWhoCannotDoWhat(String version) throws Exception {
        Kubectl k = kubectl(version);
        Kubectl.Result list = k.run("get", "pods", "--as", "alice", "-n", "default");
        assertThat(list.exitCode()).isEqualTo(1);
        assertThat(list.stdout()).isEmpty();
        assertThat(list.stderr()).isEqualTo("Error from server (Forbidden): pods is forbidden: User \"alice\" cannot "
                + "list resource \"pods\" in API group \"\" in the namespace \"default\"\n");
        assertThat(k.run("get", "nodes", "--as", "alice").stderr()).isEqualTo("Error from server (Forbidden): nodes is "
                + "forbidden: User \"alice\" cannot list resource \"nodes\" in API group \"\" at the cluster scope\n");
        assertThat(k.run("create", "deployment", "x", "--image=nginx", "--as", "alice").stderr())
                .isEqualTo("error: failed to create deployment: deployments.apps is forbidden: User \"alice\" cannot "
                        + "create resource \"deployments\" in API group \"apps\" in the namespace \"default\"\n");
        assertThat(k.run("delete", "configmap", "foo", "--as", "alice").stderr()).isEqualTo("Error from server "
                + "(Forbidden): configmaps \"foo\" is forbidden: User \"alice\" cannot delete resource \"configmaps\" in "
                + "API group \"\" in the namespace \"default\"\n");
        assertThat(k.run("get", "pods", "--as", "bob", "--as-group", "devs", "-n", "kube-system").stderr())
                .isEqualTo("Error from server (Forbidden): pods is forbidden: User \"bob\" cannot list resource \"pods\" "
                        + "in API group \"\" in the namespace \"kube-system\"\n");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void anUnknownTokenIsUnauthorized(String version) throws Exception {
        Path kubeconfig = tmp.resolve("token-" + version + ".kubeconfig");
        Kubeconfig.writeWithToken(kubeconfig, cluster.url(), clusterCa(), "not-a-token", "kubevisor", "mallory");
        Kubectl.Result r = kubectl(version).withKubeconfig(kubeconfig, tmp.resolve("home-token-" + version))
                .run("get", "pods");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        assertThat(lines(r.stderr())).last().isEqualTo(NOT_LOGGED_IN);
    }

    /**
     * A client certificate signed by another CA. kube-apiserver only requests client certificates during the TLS
     * handshake ({@code tls.RequestClientCert}) and verifies them in its x509 authenticator, so the handshake succeeds
     * and the request fails with 401 Unauthorized; kubectl retries discovery and then prints "You must be logged in to
     * the server (...)" (as with an expired certificate on a real cluster).
     */
    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void aClientCertificateFromAnotherCaIsUnauthorized(String version) throws Exception {
        ClusterCa rogue = ClusterCa.create("rogue-ca", Duration.ofDays(1), Clock.systemUTC());
        KeyMaterial eve = rogue.issueClient("eve", List.of("system:masters"), Duration.ofHours(1));
        Path kubeconfig = tmp.resolve("rogue-" + version + ".kubeconfig");
        Kubeconfig.write(kubeconfig, cluster.url(), clusterCa(), eve, "kubevisor", "eve");
        Kubectl.Result r = kubectl(version).withKubeconfig(kubeconfig, tmp.resolve("home-rogue-" + version))
                .run("get", "pods");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        assertThat(lines(r.stderr())).last().isEqualTo(NOT_LOGGED_IN);
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void apiResourcesListsTheServedKinds(String version) throws Exception {
        Kubectl k = kubectl(version);
        String out = k.run("api-resources").assertOk().stdout();
        assertThat(firstLine(out)).matches(header("NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"));
        assertThat(out).containsPattern(row("pods", "po", "v1", "true", "Pod"))
                .containsPattern(row("deployments", "deploy", "apps/v1", "true", "Deployment"))
                .containsPattern(row("namespaces", "ns", "v1", "false", "Namespace"))
                .containsPattern(row("secrets", "v1", "true", "Secret"))
                .containsPattern(row("configmaps", "cm", "v1", "true", "ConfigMap"))
                .containsPattern(row("services", "svc", "v1", "true", "Service"))
                .containsPattern(row("cronjobs", "cj", "batch/v1", "true", "CronJob"))
                .containsPattern(row("roles", "rbac\\.authorization\\.k8s\\.io/v1", "true", "Role"))
                .containsPattern(row("selfsubjectaccessreviews", "authorization\\.k8s\\.io/v1", "false",
                        "SelfSubjectAccessReview"));
        // subresources are not resource types
        assertThat(out).doesNotContain("pods/status", "deployments/scale");

        assertThat(lines(k.run("api-resources", "--api-group=apps", "-o", "name").assertOk().stdout()))
                .contains("deployments.apps", "replicasets.apps", "statefulsets.apps", "daemonsets.apps");
        List<String> clusterScoped = lines(k.run("api-resources", "--namespaced=false", "-o", "name").assertOk().stdout());
        assertThat(clusterScoped).contains("namespaces", "nodes", "clusterroles.rbac.authorization.k8s.io")
                .doesNotContain("pods", "configmaps");
        String verbs = k.run("api-resources", "-o", "wide").assertOk().stdout();
        assertThat(firstLine(verbs)).matches(header("NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND", "VERBS",
                "CATEGORIES"));
        assertThat(verbs).containsPattern(row("pods", "po", "v1", "true", "Pod",
                "create,delete,deletecollection,get,list,patch,update,watch", "all"));
    }

    @Disabled("Missing feature: discovery serves only part of Kubernetes 1.32's built-in resource types; missing are "
            + "listed in the assertion failure (e.g. persistentvolumes, replicationcontrollers, controllerrevisions, "
            + "horizontalpodautoscalers, poddisruptionbudgets, ingresses, networkpolicies, storageclasses, "
            + "customresourcedefinitions, priorityclasses, runtimeclasses ...)")
    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void apiResourcesListsEveryBuiltInTypeOfKubernetes132(String version) throws Exception {
        Set<String> served = new TreeSet<>(lines(kubectl(version).run("api-resources", "-o", "name").assertOk().stdout()));
        // kube-apiserver 1.32 with its default (GA) API groups
        Set<String> expected = new TreeSet<>(List.of(
                "bindings", "componentstatuses", "configmaps", "endpoints", "events", "limitranges", "namespaces",
                "nodes", "persistentvolumeclaims", "persistentvolumes", "pods", "podtemplates",
                "replicationcontrollers", "resourcequotas", "secrets", "serviceaccounts", "services",
                "mutatingwebhookconfigurations.admissionregistration.k8s.io",
                "validatingadmissionpolicies.admissionregistration.k8s.io",
                "validatingadmissionpolicybindings.admissionregistration.k8s.io",
                "validatingwebhookconfigurations.admissionregistration.k8s.io",
                "customresourcedefinitions.apiextensions.k8s.io", "apiservices.apiregistration.k8s.io",
                "controllerrevisions.apps", "daemonsets.apps", "deployments.apps", "replicasets.apps",
                "statefulsets.apps", "selfsubjectreviews.authentication.k8s.io", "tokenreviews.authentication.k8s.io",
                "localsubjectaccessreviews.authorization.k8s.io", "selfsubjectaccessreviews.authorization.k8s.io",
                "selfsubjectrulesreviews.authorization.k8s.io", "subjectaccessreviews.authorization.k8s.io",
                "horizontalpodautoscalers.autoscaling", "cronjobs.batch", "jobs.batch",
                "certificatesigningrequests.certificates.k8s.io", "leases.coordination.k8s.io",
                "endpointslices.discovery.k8s.io", "events.events.k8s.io",
                "flowschemas.flowcontrol.apiserver.k8s.io", "prioritylevelconfigurations.flowcontrol.apiserver.k8s.io",
                "ingressclasses.networking.k8s.io", "ingresses.networking.k8s.io", "networkpolicies.networking.k8s.io",
                "runtimeclasses.node.k8s.io", "poddisruptionbudgets.policy", "clusterrolebindings.rbac.authorization.k8s.io",
                "clusterroles.rbac.authorization.k8s.io", "rolebindings.rbac.authorization.k8s.io",
                "roles.rbac.authorization.k8s.io", "priorityclasses.scheduling.k8s.io", "csidrivers.storage.k8s.io",
                "csinodes.storage.k8s.io", "csistoragecapacities.storage.k8s.io", "storageclasses.storage.k8s.io",
                "volumeattachments.storage.k8s.io"));
        assertThat(served).containsAll(expected);
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void apiVersionsListsGroupVersionsSorted(String version) throws Exception {
        List<String> out = lines(kubectl(version).run("api-versions").assertOk().stdout());
        assertThat(out).contains("v1", "apps/v1", "batch/v1", "authorization.k8s.io/v1", "coordination.k8s.io/v1",
                "rbac.authorization.k8s.io/v1").isSorted().doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void clusterInfoNamesTheControlPlaneAndLabelledServices(String version) throws Exception {
        Kubectl k = kubectl(version);
        String plain = "Kubernetes control plane is running at " + cluster.url() + "\n\n"
                + "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n";
        assertThat(uncolored(k.run("cluster-info").assertOk().stdout())).isEqualTo(plain);

        // kube-system services labelled kubernetes.io/cluster-service=true are listed with their proxy URL
        String name = unique("kube-dns", version);
        Path svc = Fixtures.file(tmp, name + ".yaml", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: %s
                  namespace: kube-system
                  labels:
                    kubernetes.io/cluster-service: "true"
                    kubernetes.io/name: CoreDNS
                spec:
                  selector: {k8s-app: kube-dns}
                  ports:
                  - name: dns
                    port: 53
                    protocol: UDP
                """.formatted(name));
        k.run("create", "-f", svc.toString()).assertOk();
        try {
            assertThat(uncolored(k.run("cluster-info").assertOk().stdout()))
                    .isEqualTo("Kubernetes control plane is running at " + cluster.url() + "\n"
                            + "CoreDNS is running at " + cluster.url() + "/api/v1/namespaces/kube-system/services/"
                            + name + ":dns/proxy\n\n"
                            + "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
        } finally {
            k.run("delete", "-f", svc.toString()).assertOk();
        }
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void versionReportsKubernetes132(String version) throws Exception {
        Kubectl k = kubectl(version);
        JsonNode v = Fixtures.json(k.run("version", "-o", "json").assertOk().stdout());
        assertThat(v.at("/clientVersion/minor").asString()).isEqualTo(version.substring(2));
        assertThat(v.at("/serverVersion/major").asString()).isEqualTo("1");
        assertThat(v.at("/serverVersion/minor").asString()).isEqualTo("32");
        assertThat(v.at("/serverVersion/gitVersion").asString()).matches("v1\\.32\\.\\d+.*");
        assertThat(v.at("/serverVersion/platform").asString()).isEqualTo("linux/amd64");
        String text = k.run("version").assertOk().stdout();
        if (version.equals("1.27")) {
            assertThat(text).containsPattern("(?m)^Server Version: version\\.Info\\{Major:\"1\", Minor:\"32\", "
                    + "GitVersion:\"v1\\.32\\.\\d+");
        } else {
            assertThat(text).containsPattern("(?m)^Server Version: v1\\.32\\.\\d+\\S*$");
        }
    }

    /** kubectl 1.27 colours cluster-info's names and URLs even when stdout is not a terminal; 1.33 does not. */
    private static String uncolored(String text) {
        return text.replaceAll("\u001B\\[[0-9;]*m", "");
    }

    private static X509Certificate clusterCa() throws Exception {
        return Pem.decodeCertificates(Files.readString(cluster.dataDir().resolve("pki").resolve(ClusterCa.CERT_FILE)))
                .getFirst();
    }
}
