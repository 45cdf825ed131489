package io.kubevisor.e2e.kubectl;

import static io.kubevisor.e2e.kubectl.Fixtures.NEWEST;
import static io.kubevisor.e2e.kubectl.Fixtures.OLDEST;
import static io.kubevisor.e2e.kubectl.Fixtures.unique;
import static io.kubevisor.e2e.kubectl.Tables.AGE;
import static io.kubevisor.e2e.kubectl.Tables.count;
import static io.kubevisor.e2e.kubectl.Tables.firstLine;
import static io.kubevisor.e2e.kubectl.Tables.header;
import static io.kubevisor.e2e.kubectl.Tables.line;
import static io.kubevisor.e2e.kubectl.Tables.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.node.ObjectNode;

import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Kubectl;

/**
 * Watching (kubectl-wire §3): {@code get -w} streams one row per event under a single header, {@code get x -w}
 * follows one object, {@code --watch-only} skips the initial list, and {@code kubectl wait} ends when an object is
 * deleted or reaches a condition that a test sets through the status subresource.
 */
class KubectlWatchIT {

    private static final String[] POD_LABELS_HEADER = {"NAME", "READY", "STATUS", "RESTARTS", "AGE", "LABELS"};
    private static final String[] POD_HEADER = {"NAME", "READY", "STATUS", "RESTARTS", "AGE"};

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

    /** A fresh namespace for one test, so that watches see only what that test does. */
    static String namespace(Kubectl k, String base) throws Exception {
        String ns = unique(base, k.version());
        k.run("create", "namespace", ns).assertOk();
        return ns;
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void podWatchStreamsAddedModifiedAndDeletedRowsUnderOneHeader(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "watch-pods");
        try (Background watch = Background.start(k, tmp.resolve("bg"), "get", "pods", "-n", ns, "-w", "--show-labels")) {
            k.run(Fixtures.unscheduled("run", "p", "--image=busybox", "-n", ns)).assertOk();
            watch.awaitStdout("ADDED row", out -> rows(out, line("p", "0/1", "Pending", "0", AGE, "run=p")) == 1);
            assertThat(firstLine(watch.stdout())).matches(header(POD_LABELS_HEADER));

            k.run("label", "pod", "p", "color=red", "-n", ns).assertOk();
            watch.awaitStdout("MODIFIED row", out -> rows(out, line("p", "0/1", "Pending", "0", AGE, "color=red,run=p")) == 1);

            k.run("delete", "pod", "p", "-n", ns).assertOk();
            watch.awaitStdout("DELETED row", out -> lines(out).size() >= 4);
            String out = watch.stdout();
            assertThat(count(out, header(POD_LABELS_HEADER))).as("one header for the whole stream:\n%s", out).isEqualTo(1);
            assertThat(lines(out).subList(1, lines(out).size())).allMatch(l -> l.startsWith("p "));
            assertThat(watch.stderr()).doesNotContain("rror");
        }
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void deletingAnUnscheduledPodShowsTerminatingRows(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "watch-term");
        k.run(Fixtures.unscheduled("run", "t", "--image=busybox", "-n", ns)).assertOk();
        try (Background watch = Background.start(k, tmp.resolve("bg"), "get", "pods", "-n", ns, "-w")) {
            watch.awaitStdout("initial row", out -> lines(out).size() == 2);
            k.run("delete", "pod", "t", "-n", ns).assertOk();
            watch.awaitStdout("Terminating rows", out -> rows(out, line("t", "0/1", "Terminating", "0", AGE)) == 2);
            assertThat(lines(watch.stdout())).hasSize(4);
        }
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void deploymentWatchStreamsRows(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "watch-deploy");
        try (Background watch = Background.start(k, tmp.resolve("bg"), "get", "deploy", "-n", ns, "-w")) {
            k.run("create", "deployment", "web", "--image=nginx", "-n", ns).assertOk();
            watch.awaitStdout("ADDED row", out -> rows(out, line("web", "0/1", "0", "0", AGE)) == 1);
            k.run("scale", "deployment", "web", "--replicas=3", "-n", ns).assertOk();
            watch.awaitStdout("MODIFIED row", out -> rows(out, line("web", "0/3", "0", "0", AGE)) == 1);
            String out = watch.stdout();
            assertThat(firstLine(out)).matches(header("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"));
            assertThat(count(out, header("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"))).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void namedWatchFollowsOnlyThatObject(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "watch-one");
        k.run(Fixtures.unscheduled("run", "a", "--image=busybox", "-n", ns)).assertOk();
        k.run(Fixtures.unscheduled("run", "b", "--image=busybox", "-n", ns)).assertOk();
        try (Background watch = Background.start(k, tmp.resolve("bg"), "get", "pod", "a", "-n", ns, "-w")) {
            watch.awaitStdout("the pod's row", out -> rows(out, line("a", "0/1", "Pending", "0", AGE)) == 1);
            assertThat(firstLine(watch.stdout())).matches(header(POD_HEADER));
            k.run("label", "pod", "b", "x=1", "-n", ns).assertOk();
            k.run("label", "pod", "a", "x=1", "-n", ns).assertOk();
            watch.awaitStdout("a MODIFIED row", out -> rows(out, line("a", "0/1", "Pending", "0", AGE)) == 2);
            assertThat(lines(watch.stdout())).hasSize(3).noneMatch(l -> l.startsWith("b "));
        }
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void watchOnlySkipsTheInitialList(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "watch-only");
        k.run(Fixtures.unscheduled("run", "old", "--image=busybox", "-n", ns)).assertOk();
        try (Background watch = Background.start(k, tmp.resolve("bg"), "get", "pods", "-n", ns, "--watch-only", "-v=6")) {
            // the watch starts at the list's resourceVersion: once the list is done, every later change is seen
            watch.awaitStderr("the initial list", err -> err.lines()
                    .anyMatch(l -> l.contains("/namespaces/" + ns + "/pods?") && !l.contains("watch=") && l.contains("200 OK")));
            assertThat(watch.stdout()).isEmpty();
            k.run(Fixtures.unscheduled("run", "new", "--image=busybox", "-n", ns)).assertOk();
            watch.awaitStdout("the new pod's row", out -> rows(out, line("new", "0/1", "Pending", "0", AGE)) == 1);
            k.run("label", "pod", "old", "x=1", "-n", ns).assertOk();
            watch.awaitStdout("old's MODIFIED row", out -> rows(out, line("old", "0/1", "Pending", "0", AGE)) == 1);
            List<String> out = lines(watch.stdout());
            assertThat(out).hasSize(3);
            assertThat(out.get(0)).matches(header(POD_HEADER));
            assertThat(out.get(1)).startsWith("new ");
            assertThat(out.get(2)).startsWith("old ");
        }
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void waitForDeleteEndsWhenThePodIsGone(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "wait-delete");
        k.run(Fixtures.unscheduled("run", "w", "--image=busybox", "-n", ns)).assertOk();
        try (Background wait = Background.start(k, tmp.resolve("bg"), "wait", "--for=delete", "pod/w", "-n", ns,
                "--timeout=60s", "-v=6")) {
            wait.awaitStderr("the list before the watch", err -> err.lines()
                    .anyMatch(l -> l.contains("fieldSelector=metadata.name%3Dw") && l.contains("200 OK")));
            k.run("delete", "pod", "w", "-n", ns, "--wait=false").assertOk();
            assertThat(wait.awaitExit()).as(wait.stderr()).isZero();
            assertThat(wait.stdout()).isEqualTo("pod/w condition met\n");
        }
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void waitForJsonpathChecksAField(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "wait-jsonpath");
        k.run(Fixtures.unscheduled("run", "j", "--image=busybox", "-n", ns)).assertOk();
        assertThat(k.run("wait", "--for=jsonpath={.status.phase}=Pending", "pod/j", "-n", ns, "--timeout=30s")
                .assertOk().stdout()).isEqualTo("pod/j condition met\n");
        Kubectl.Result timeout = k.run("wait", "--for=jsonpath={.status.phase}=Running", "pod/j", "-n", ns,
                "--timeout=1s");
        assertThat(timeout.exitCode()).isEqualTo(1);
        assertThat(timeout.stderr()).isEqualTo("error: timed out waiting for the condition on pods/j\n");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void waitForConditionEndsWhenTheStatusIsReplaced(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "wait-replace");
        k.run("create", "deployment", "d", "--image=nginx", "-n", ns).assertOk();
        try (Background wait = Background.start(k, tmp.resolve("bg"), "wait", "--for=condition=Available",
                "deployment/d", "-n", ns, "--timeout=60s")) {
            ObjectNode d = (ObjectNode) Fixtures.json(k.run("get", "deployment", "d", "-n", ns, "-o", "json")
                    .assertOk().stdout());
            ObjectNode condition = d.putObject("status").putArray("conditions").addObject();
            condition.put("type", "Available").put("status", "True").put("reason", "MinimumReplicasAvailable")
                    .put("message", "set by the test");
            Path file = Fixtures.file(tmp, unique("status", version) + ".json", d.toString());
            assertThat(k.run("replace", "--subresource=status", "-f", file.toString()).assertOk().stdout())
                    .isEqualTo("deployment.apps/d replaced\n");
            assertThat(wait.awaitExit()).as(wait.stderr()).isZero();
            assertThat(wait.stdout()).isEqualTo("deployment.apps/d condition met\n");
        }
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void waitForConditionEndsWhenTheStatusIsPatched(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "wait-patch");
        k.run("create", "deployment", "d", "--image=nginx", "-n", ns).assertOk();
        try (Background wait = Background.start(k, tmp.resolve("bg"), "wait", "--for=condition=Progressing=True",
                "deployment/d", "-n", ns, "--timeout=60s")) {
            assertThat(k.run("patch", "deployment", "d", "-n", ns, "--subresource=status", "--type=merge", "-p",
                    "{\"spec\":{\"replicas\":5},\"status\":{\"conditions\":[{\"type\":\"Progressing\","
                            + "\"status\":\"True\",\"reason\":\"Test\"}]}}")
                    .assertOk().stdout()).isEqualTo("deployment.apps/d patched\n");
            assertThat(wait.awaitExit()).as(wait.stderr()).isZero();
            assertThat(wait.stdout()).isEqualTo("deployment.apps/d condition met\n");
        }
        // the status subresource ignores the spec part of the patch
        assertThat(k.run("get", "deployment", "d", "-n", ns, "-o", "jsonpath={.spec.replicas}").assertOk().stdout())
                .isEqualTo("1");
    }

    /** How many lines of {@code out} match {@code lineRegex} completely. */
    private static long rows(String out, String lineRegex) {
        return count(out, lineRegex);
    }
}
