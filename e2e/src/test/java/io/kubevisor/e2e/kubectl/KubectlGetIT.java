package io.kubevisor.e2e.kubectl;

import static io.kubevisor.e2e.kubectl.Fixtures.NEWEST;
import static io.kubevisor.e2e.kubectl.Fixtures.OLDEST;
import static io.kubevisor.e2e.kubectl.Tables.AGE;
import static io.kubevisor.e2e.kubectl.Tables.CLUSTER_IP;
import static io.kubevisor.e2e.kubectl.Tables.TIMESTAMP;
import static io.kubevisor.e2e.kubectl.Tables.firstLine;
import static io.kubevisor.e2e.kubectl.Tables.header;
import static io.kubevisor.e2e.kubectl.Tables.line;
import static io.kubevisor.e2e.kubectl.Tables.lines;
import static io.kubevisor.e2e.kubectl.Tables.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;

import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Kubectl;

/**
 * {@code kubectl get} as a user reads it (kubectl-wire §2): the server's Tables for the common kinds with the
 * headers a real cluster prints, {@code -o wide}, {@code --show-labels}, {@code -A}, one object, the other output
 * formats, several kinds at once, {@code get all}, label and field selectors, and paging. All tests only read
 * the objects of {@code get-fixtures.yaml}, created once.
 */
class KubectlGetIT {

    @TempDir
    static Path tmp;
    static Cluster cluster;

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.start(tmp.resolve("kv"));
        Kubectl admin = kubectl(NEWEST);
        admin.run("create", "-f", Fixtures.file(tmp, "fixtures.yaml", Fixtures.resource("get-fixtures.yaml")).toString())
                .assertOk();
        StringBuilder pages = new StringBuilder();
        for (int i = 1; i <= 5; i++) {
            pages.append("""
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: page-%d
                      namespace: paged
                      labels: {batch: paged}
                    data: {k: v}
                    ---
                    """.formatted(i));
        }
        admin.run("create", "-f", Fixtures.file(tmp, "pages.yaml", pages.toString()).toString()).assertOk();
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

    /** One kind's default table: the exact header of kube-apiserver 1.32 and one row of our fixtures. */
    record TableCase(List<String> args, List<String> header, List<String> row) {
        @Override
        public String toString() {
            return String.join(" ", args);
        }
    }

    /** {@code args} as typed after {@code get}; {@code header} titles separated by "|"; row cells as regexes. */
    static TableCase table(String args, String header, String... row) {
        return new TableCase(List.of(args.split(" ")), List.of(header.split("\\|")), List.of(row));
    }

    static Stream<Arguments> tables() {
        List<TableCase> cases = List.of(
                table("pods -n shop", "NAME|READY|STATUS|RESTARTS|AGE", "web-1", "0/1", "Pending", "0", AGE),
                table("deploy -n shop", "NAME|READY|UP-TO-DATE|AVAILABLE|AGE", "web", "0/2", "0", "0", AGE),
                table("svc -n shop", "NAME|TYPE|CLUSTER-IP|EXTERNAL-IP|PORT(S)|AGE",
                        "web", "ClusterIP", CLUSTER_IP, "<none>", "80/TCP", AGE),
                table("cm -n shop", "NAME|DATA|AGE", "settings", "2", AGE),
                table("secrets -n shop", "NAME|TYPE|DATA|AGE", "creds", "Opaque", "1", AGE),
                table("sa -n shop", "NAME|SECRETS|AGE", "robot", "0", AGE),
                table("events -n shop", "LAST SEEN|TYPE|REASON|OBJECT|MESSAGE",
                        "<unknown>", "Normal", "Scheduled", "pod/web-1", "hello from the test"),
                table("leases -n shop", "NAME|HOLDER|AGE", "leader", "web-1", AGE),
                table("roles -n shop", "NAME|CREATED AT", "reader", TIMESTAMP),
                table("rolebindings -n shop", "NAME|ROLE|AGE", "reader-binding", "Role/reader", AGE),
                table("jobs -n shop", "NAME|STATUS|COMPLETIONS|DURATION|AGE", "once", "Running", "0/1", AGE),
                table("cj -n shop", "NAME|SCHEDULE|TIMEZONE|SUSPEND|ACTIVE|LAST SCHEDULE|AGE",
                        "nightly", "0 3 \\* \\* \\*", "<none>", "False", "0", "<none>", AGE),
                table("ns", "NAME|STATUS|AGE", "shop", "Active", AGE),
                table("nodes", "NAME|STATUS|ROLES|AGE|VERSION", "node-a", "Ready", "worker", AGE, "v1\\.32\\.0"),
                table("clusterroles", "NAME|CREATED AT", "cluster-admin", TIMESTAMP),
                table("endpoints", "NAME|ENDPOINTS|AGE", "kubernetes", "[0-9.]+:\\d+", AGE),
                // -o wide shows the priority-1 columns too
                table("pods -n shop -o wide", "NAME|READY|STATUS|RESTARTS|AGE|IP|NODE|NOMINATED NODE|READINESS GATES",
                        "web-1", "0/1", "Pending", "0", AGE, "<none>", "<none>", "<none>", "<none>"),
                table("deploy -n shop -o wide", "NAME|READY|UP-TO-DATE|AVAILABLE|AGE|CONTAINERS|IMAGES|SELECTOR",
                        "web", "0/2", "0", "0", AGE, "web", "nginx:1\\.27", "app=web"),
                table("svc -n shop -o wide", "NAME|TYPE|CLUSTER-IP|EXTERNAL-IP|PORT(S)|AGE|SELECTOR",
                        "web", "ClusterIP", CLUSTER_IP, "<none>", "80/TCP", AGE, "app=web"),
                table("rolebindings -n shop -o wide", "NAME|ROLE|AGE|USERS|GROUPS|SERVICEACCOUNTS",
                        "reader-binding", "Role/reader", AGE, "alice"),
                table("nodes -o wide", "NAME|STATUS|ROLES|AGE|VERSION|INTERNAL-IP|EXTERNAL-IP|OS-IMAGE|KERNEL-VERSION"
                                + "|CONTAINER-RUNTIME", "node-a", "Ready", "worker", AGE, "v1\\.32\\.0", "192\\.168\\.0\\.10",
                        "<none>", Pattern.quote("Debian GNU/Linux 13 (trixie)"), "6\\.12\\.0", "runsc://20250101"));
        return Stream.of(OLDEST, NEWEST).flatMap(v -> cases.stream().map(c -> Arguments.of(v, c)));
    }

    @ParameterizedTest(name = "kubectl {0} get {1}")
    @MethodSource("tables")
    void printsEachKindLikeKubernetes(String version, TableCase c) throws Exception {
        List<String> args = new ArrayList<>(List.of("get"));
        args.addAll(c.args());
        String out = kubectl(version).run(args.toArray(String[]::new)).assertOk().stdout();
        assertThat(firstLine(out)).matches(header(c.header().toArray(String[]::new)));
        assertThat(out).containsPattern(row(c.row().toArray(String[]::new)));
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void showLabelsAddsALabelsColumn(String version) throws Exception {
        Kubectl k = kubectl(version);
        String pods = k.run("get", "pods", "-n", "shop", "--show-labels").assertOk().stdout();
        assertThat(firstLine(pods)).matches(header("NAME", "READY", "STATUS", "RESTARTS", "AGE", "LABELS"));
        assertThat(pods).containsPattern(row("web-1", "0/1", "Pending", "0", AGE, "app=web,tier=front"))
                .containsPattern(row("api-1", "0/1", "Pending", "0", AGE, "app=api"));
        String deploys = k.run("get", "deploy", "-n", "shop", "--show-labels").assertOk().stdout();
        assertThat(firstLine(deploys)).matches(header("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "LABELS"));
        assertThat(deploys).containsPattern(row("web", "0/2", "0", "0", AGE, "app=web,tier=front"));
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void allNamespacesAddsANamespaceColumn(String version) throws Exception {
        Kubectl k = kubectl(version);
        String pods = k.run("get", "pods", "-A").assertOk().stdout();
        assertThat(firstLine(pods)).matches(header("NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"));
        assertThat(pods).containsPattern(row("shop", "web-1", "0/1", "Pending", "0", AGE))
                .containsPattern(row("shop", "api-1", "0/1", "Pending", "0", AGE))
                .containsPattern(row("default", "lonely", "0/1", "Pending", "0", AGE));
        String events = k.run("get", "events", "--all-namespaces").assertOk().stdout();
        assertThat(firstLine(events)).matches(header("NAMESPACE", "LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"));
        assertThat(events).containsPattern(row("shop", "<unknown>", "Normal", "Scheduled", "pod/web-1",
                "hello from the test"));
        String wide = k.run("get", "deploy", "-A", "-o", "wide").assertOk().stdout();
        assertThat(firstLine(wide)).matches(header("NAMESPACE", "NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE",
                "CONTAINERS", "IMAGES", "SELECTOR"));
        assertThat(wide).containsPattern(row("shop", "api", "0/1", "0", "0", AGE, "api", "busybox:1\\.36", "app=api"));
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void namedObjectsPrintOneRow(String version) throws Exception {
        Kubectl k = kubectl(version);
        List<String> pod = lines(k.run("get", "pod", "web-1", "-n", "shop").assertOk().stdout());
        assertThat(pod).hasSize(2);
        assertThat(pod.get(0)).matches(header("NAME", "READY", "STATUS", "RESTARTS", "AGE"));
        assertThat(pod.get(1)).matches(line("web-1", "0/1", "Pending", "0", AGE));
        List<String> deploy = lines(k.run("get", "deployment/web", "-n", "shop").assertOk().stdout());
        assertThat(deploy).hasSize(2);
        assertThat(deploy.get(1)).matches(line("web", "0/2", "0", "0", AGE));
        List<String> node = lines(k.run("get", "no", "node-a").assertOk().stdout());
        assertThat(node).hasSize(2);
        assertThat(node.get(1)).startsWith("node-a ");
        List<String> two = lines(k.run("get", "pods", "web-1", "api-1", "-n", "shop").assertOk().stdout());
        assertThat(two).hasSize(3);
        assertThat(two.get(1)).startsWith("web-1 ");
        assertThat(two.get(2)).startsWith("api-1 ");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void otherOutputFormatsPrintFullObjects(String version) throws Exception {
        Kubectl k = kubectl(version);
        assertThat(k.run("get", "pods", "-n", "shop", "-o", "name").assertOk().stdout())
                .isEqualTo("pod/api-1\npod/web-1\n");
        assertThat(k.run("get", "deploy", "-n", "shop", "-o", "name").assertOk().stdout())
                .isEqualTo("deployment.apps/api\ndeployment.apps/web\n");

        JsonNode pod = Fixtures.json(k.run("get", "pod", "web-1", "-n", "shop", "-o", "json").assertOk().stdout());
        assertThat(pod.path("apiVersion").asString()).isEqualTo("v1");
        assertThat(pod.path("kind").asString()).isEqualTo("Pod");
        assertThat(pod.at("/metadata/name").asString()).isEqualTo("web-1");
        assertThat(pod.at("/metadata/namespace").asString()).isEqualTo("shop");
        assertThat(pod.at("/metadata/uid").asString()).matches("[0-9a-f-]{36}");
        assertThat(pod.at("/metadata/resourceVersion").asString()).matches("\\d+");
        assertThat(pod.at("/metadata/labels/tier").asString()).isEqualTo("front");
        assertThat(pod.at("/spec/containers/0/image").asString()).isEqualTo("nginx:1.27");
        assertThat(pod.at("/status/phase").asString()).isEqualTo("Pending");

        JsonNode list = Fixtures.json(k.run("get", "pods", "-n", "shop", "-o", "json").assertOk().stdout());
        assertThat(list.path("kind").asString()).isEqualTo("List");
        assertThat(list.path("apiVersion").asString()).isEqualTo("v1");
        List<JsonNode> items = StreamSupport.stream(list.path("items").spliterator(), false).toList();
        assertThat(items).extracting(i -> i.at("/metadata/name").asString()).containsExactly("api-1", "web-1");
        assertThat(items).extracting(i -> i.path("kind").asString()).containsOnly("Pod");

        String yaml = k.run("get", "pod", "web-1", "-n", "shop", "-o", "yaml").assertOk().stdout();
        assertThat(yaml).startsWith("apiVersion: v1\nkind: Pod\nmetadata:\n")
                .contains("\n  name: web-1\n", "\n  namespace: shop\n", "\n  phase: Pending\n");
        String yamlList = k.run("get", "pods", "-n", "shop", "-o", "yaml").assertOk().stdout();
        assertThat(yamlList).startsWith("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n")
                .endsWith("kind: List\nmetadata:\n  resourceVersion: \"\"\n");

        assertThat(k.run("get", "pods", "-n", "shop", "-o", "jsonpath={.items[*].metadata.name}").assertOk().stdout())
                .isEqualTo("api-1 web-1");
        assertThat(k.run("get", "secret", "creds", "-n", "shop", "-o", "jsonpath={.data.password}").assertOk().stdout())
                .isEqualTo("czNjcmV0"); // base64("s3cret"): stringData is merged into data on write
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void severalKindsPrintOneTableEach(String version) throws Exception {
        String out = kubectl(version).run("get", "deploy,cm,secrets", "-n", "shop").assertOk().stdout();
        List<String> sections = Arrays.asList(out.split("\n\n"));
        assertThat(sections).hasSize(3);
        assertThat(firstLine(sections.get(0))).matches(header("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"));
        assertThat(sections.get(0)).containsPattern(row("deployment\\.apps/api", "0/1", "0", "0", AGE))
                .containsPattern(row("deployment\\.apps/web", "0/2", "0", "0", AGE));
        assertThat(firstLine(sections.get(1))).matches(header("NAME", "DATA", "AGE"));
        assertThat(sections.get(1)).containsPattern(row("configmap/settings", "2", AGE));
        assertThat(firstLine(sections.get(2))).matches(header("NAME", "TYPE", "DATA", "AGE"));
        assertThat(sections.get(2)).containsPattern(row("secret/creds", "Opaque", "1", AGE));
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void getAllListsTheWorkloadKinds(String version) throws Exception {
        String out = kubectl(version).run("get", "all", "-n", "shop").assertOk().stdout();
        assertThat(out).containsPattern(row("pod/web-1", "0/1", "Pending", "0", AGE))
                .containsPattern(row("service/web", "ClusterIP", CLUSTER_IP, "<none>", "80/TCP", AGE))
                .containsPattern(row("deployment\\.apps/web", "0/2", "0", "0", AGE))
                .containsPattern(row("job\\.batch/once", "Running", "0/1", AGE))
                .containsPattern(row("cronjob\\.batch/nightly", "0 3 \\* \\* \\*", "<none>", "False", "0", "<none>", AGE));
        assertThat(out).doesNotContain("configmap/", "secret/", "serviceaccount/");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void getAllPrintsKindsInDiscoveryOrderOfARealCluster(String version) throws Exception {
        String out = kubectl(version).run("get", "all", "-n", "shop").assertOk().stdout();
        List<String> kinds = Arrays.stream(out.split("\n\n"))
                .map(s -> lines(s).get(1).replaceAll("/.*", "")).toList();
        assertThat(kinds).containsExactly("pod", "service", "deployment.apps", "cronjob.batch", "job.batch");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void labelSelectorsFilterRows(String version) throws Exception {
        Kubectl k = kubectl(version);
        assertThat(names(k, "-l", "app=web")).containsExactly("web-1");
        assertThat(names(k, "-l", "app in (web,api)")).containsExactly("api-1", "web-1");
        assertThat(names(k, "-l", "app!=web")).containsExactly("api-1");
        assertThat(names(k, "-l", "!tier")).containsExactly("api-1");
        assertThat(names(k, "-l", "tier")).containsExactly("web-1");
        assertThat(names(k, "--selector=app=web,tier=front")).containsExactly("web-1");
        Kubectl.Result none = k.run("get", "pods", "-n", "shop", "-l", "app=none").assertOk();
        assertThat(none.stdout()).isEmpty();
        assertThat(none.stderr()).isEqualTo("No resources found in shop namespace.\n");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void fieldSelectorsFilterRows(String version) throws Exception {
        Kubectl k = kubectl(version);
        assertThat(names(k, "--field-selector=metadata.name=web-1")).containsExactly("web-1");
        assertThat(names(k, "--field-selector=status.phase=Pending")).containsExactly("api-1", "web-1");
        assertThat(names(k, "--field-selector=spec.nodeName=")).containsExactly("api-1", "web-1");
        assertThat(names(k, "--field-selector=status.phase!=Pending")).isEmpty();
        assertThat(names(k, "--field-selector=metadata.name!=web-1", "-l", "app")).containsExactly("api-1");
        String cms = k.run("get", "cm", "-A", "--field-selector=metadata.namespace=paged", "-o", "name")
                .assertOk().stdout();
        assertThat(lines(cms)).containsExactly("configmap/page-1", "configmap/page-2", "configmap/page-3",
                "configmap/page-4", "configmap/page-5");
        Kubectl.Result bad = k.run("get", "pods", "--field-selector=bogus=x");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stderr()).isEqualTo("Error from server (BadRequest): Unable to find \"/v1, Resource=pods\" that "
                + "match label selector \"\", field selector \"bogus=x\": field label not supported: bogus\n");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void chunkSizeFollowsContinueTokens(String version) throws Exception {
        Kubectl.Result r = kubectl(version).run("get", "cm", "-n", "paged", "-l", "batch=paged", "--chunk-size=2",
                "-v=6").assertOk();
        assertThat(lines(r.stdout())).hasSize(6);
        assertThat(firstLine(r.stdout())).matches(header("NAME", "DATA", "AGE"));
        for (int i = 1; i <= 5; i++) {
            assertThat(r.stdout()).containsPattern(row("page-" + i, "1", AGE));
        }
        // three pages of 2, 2 and 1: the first request has no continue token, the next two carry one
        List<String> requests = lines(r.stderr()).stream()
                .filter(l -> l.contains("/namespaces/paged/configmaps?") && l.contains("200 OK")).toList();
        assertThat(requests).hasSize(3);
        assertThat(requests).allMatch(l -> l.contains("limit=2"));
        assertThat(requests.stream().filter(l -> l.contains("continue="))).hasSize(2);
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void emptyResultsSayNoResourcesFound(String version) throws Exception {
        Kubectl k = kubectl(version);
        Kubectl.Result r = k.run("get", "pods", "-n", "empty").assertOk();
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEqualTo("No resources found in empty namespace.\n");
        Kubectl.Result all = k.run("get", "leases", "-A", "-l", "nothing=here").assertOk();
        assertThat(all.stdout()).isEmpty();
        assertThat(all.stderr()).isEqualTo("No resources found\n");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void jobsGetAGeneratedSelector(String version) throws Exception {
        Kubectl k = kubectl(version);
        String uid = k.run("get", "job", "once", "-n", "shop", "-o", "jsonpath={.metadata.uid}").assertOk().stdout();
        String out = k.run("get", "jobs", "-n", "shop", "-o", "wide").assertOk().stdout();
        assertThat(firstLine(out)).matches(header("NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE", "CONTAINERS",
                "IMAGES", "SELECTOR"));
        assertThat(out).containsPattern(row("once", "Running", "0/1", AGE, "once", "busybox:1\\.36",
                Pattern.quote("batch.kubernetes.io/controller-uid=" + uid)));
        assertThat(k.run("get", "job", "once", "-n", "shop", "-o",
                "jsonpath={.spec.template.metadata.labels.batch\\.kubernetes\\.io/job-name}").assertOk().stdout())
                .isEqualTo("once");
    }

    /** The pod names in namespace shop that {@code kubectl get pods <selectors>} prints. */
    private static List<String> names(Kubectl k, String... selectors) throws Exception {
        List<String> args = new ArrayList<>(List.of("get", "pods", "-n", "shop", "-o", "name"));
        args.addAll(List.of(selectors));
        return lines(k.run(args.toArray(String[]::new)).assertOk().stdout()).stream()
                .map(l -> l.substring("pod/".length())).toList();
    }
}
