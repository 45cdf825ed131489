package io.kubevisor.e2e.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Kubectl;
import io.kubevisor.e2e.support.NodeScrub;
import io.kubevisor.runtime.testing.LocalRegistry;
import io.kubevisor.runtime.testing.Rootfs;
import io.kubevisor.runtime.testing.TestImages;

/**
 * Pods as gVisor sandboxes, end to end: {@code kubevisor up} with its local node, real runsc, a
 * real registry on loopback (mirroring {@code docker.io}, so {@code image: busybox:1.36} resolves
 * there), and the real kubectl 1.27 and 1.33 doing what a user does: run, get -o wide, logs (-f,
 * --previous), exec with exit codes and stdin, exec -it on a terminal, run -i --rm (attach with
 * stdin), port-forward to an HTTP server in a pod, top,
 * delete; init containers, crash-loop back-off, OOMKilled, probes, ConfigMap/Secret/env
 * injection, namespace isolation, image pull failures, and a crashed node re-adopting its pods.
 * Every sandbox, mount, netns and cgroup the node made is gone at the end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GvisorPodsIT {

    static final String IMAGE = "busybox:1.36";
    static final Pattern POD_IP = Pattern.compile("10\\.244\\.\\d+\\.\\d+");

    @TempDir
    static Path tmp;
    static Path dataDir;
    static LocalRegistry registry;
    static Cluster cluster;
    static Kubectl k;
    static Kubectl k127;
    static String node;

    @BeforeAll
    static void up() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "gVisor pods need root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/runsc")), "runsc is not installed");
        assumeTrue(Rootfs.available(), "busybox-static is not installed");
        registry = LocalRegistry.start();
        TestImages images = new TestImages(tmp.resolve("images"));
        images.busybox();
        images.push("busybox", registry, "library/busybox:1.36", false);
        images.push("busybox", registry, "tools/busybox:1", true);
        dataDir = tmp.resolve("kv");
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("registries.json"), "{\"hosts\":{\"docker.io\":{\"mirrors\":[\""
                + registry.url() + "\"],\"fallbackToUpstream\":false}}}");
        cluster = Cluster.startWithNode(dataDir);
        k = Kubectl.of("1.33", cluster, tmp.resolve("home"));
        k127 = Kubectl.of("1.27", cluster, tmp.resolve("home127"));
        await().atMost(Cluster.patience()).untilAsserted(() ->
                assertThat(get("get", "nodes", "--no-headers")).containsPattern("^\\S+ +Ready "));
        node = get("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}");
    }

    @AfterAll
    static void down() throws Exception {
        List<String> leaks = new ArrayList<>();
        try {
            if (cluster != null && cluster.isAlive()) {
                for (String ns : List.of("default", "net-a", "net-b")) {
                    k.run("delete", "pods", "--all", "-n", ns, "--grace-period=1", "--timeout=90s");
                }
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(get("get", "pods", "-A", "--no-headers")).isBlank());
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            if (dataDir != null) {
                leaks = NodeScrub.scrub(dataDir);
            }
            if (registry != null) {
                registry.close();
            }
        }
        assertThat(leaks).as("left on the host after every pod was deleted").isEmpty();
    }

    // --- the user's first minutes -------------------------------------------------------------

    @Test
    @Order(1)
    void aPodRunsInASandboxWithAnIpOnTheNode() throws Exception {
        k.run("run", "web", "--image=" + IMAGE, "--command", "--", "sh", "-c",
                "mkdir -p /www && echo served-from-pod > /www/index.html && echo started && exec httpd -f -p 8080 -h /www")
                .assertOk();
        awaitRunning("default", "web");

        String wide = get("get", "pod", "web", "-o", "wide", "--no-headers");
        assertThat(wide).containsPattern("^web +1/1 +Running +0 +\\S+ +10\\.244\\.\\d+\\.\\d+ +" + Pattern.quote(node) + " ");
        assertThat(get("get", "pod", "web", "-o", "jsonpath={.status.containerStatuses[0].containerID} "
                + "{.status.containerStatuses[0].imageID} {.status.qosClass} {.status.hostIP}"))
                .matches("runsc://[0-9a-f]+ \\S+busybox@sha256:[0-9a-f]{64} BestEffort 127\\.0\\.0\\.1");
        assertThat(sandboxCount()).isEqualTo(1);
        assertThat(get("logs", "web")).isEqualTo("started\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    @Order(2)
    void execReturnsTheCommandsExitCodeAndPassesStdin(String version) throws Exception {
        Kubectl kubectl = version.equals("1.27") ? k127 : k;
        Kubectl.Result r = kubectl.run("exec", "web", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).contains("err").contains("command terminated with exit code 3");

        Kubectl.Result cat = kubectl.runWithInput("line one\nline two\n", "exec", "-i", "web", "--", "cat");
        assertThat(cat.exitCode()).isZero();
        assertThat(cat.stdout()).isEqualTo("line one\nline two\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    @Order(2)
    void execItGivesAnInteractiveShellOnATerminal(String version) throws Exception {
        // kubectl itself needs a terminal for -t: script gives it one, as a user's shell would, sized
        // 37x123 (kubectl sends its terminal's size, and the pod's terminal takes it).
        String kubectl = "stty rows 37 cols 123; " + Kubectl.binary(version) + " --kubeconfig=" + cluster.kubeconfig()
                + " exec -it web -- sh";
        Process p = new ProcessBuilder("script", "--quiet", "--flush", "--return", "--command", kubectl, "/dev/null")
                .redirectErrorStream(true).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (var in = p.getOutputStream()) {
            Thread.sleep(2000);
            in.write("echo $((6*7)); stty size; ls /\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            Thread.sleep(1000);
            in.write("exit 5\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the session ended").isTrue();
        } finally {
            p.destroyForcibly();
        }
        String session = out.get(10, TimeUnit.SECONDS);
        assertThat(p.exitValue()).isEqualTo(5);
        // An interactive shell on a terminal of the client's size: a prompt (in the image's WorkingDir), echoed
        // input, CRLF line ends, ls in columns.
        assertThat(session).contains("/tmp # ").contains("echo $((6*7)); stty size; ls /\r\n42\r\n37 123\r\n")
                .containsPattern("bin +dev +etc +proc")
                .contains("command terminated with exit code 5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    @Order(3)
    void portForwardReachesTheHttpServerInThePod(String version) throws Exception {
        Path bin = Kubectl.binary(version);
        Process pf = new ProcessBuilder(bin.toString(), "--kubeconfig=" + cluster.kubeconfig(), "port-forward",
                "pod/web", ":8080").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            int port = Kubectl.forwardedPort(pf);
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(res.statusCode()).isEqualTo(200);
                assertThat(res.body()).isEqualTo("served-from-pod\n");
            }
        } finally {
            pf.destroy();
            pf.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(4)
    void topShowsThePodsCpuAndMemory() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(get("top", "pod", "web", "--no-headers")).containsPattern("^web +\\d+m +[1-9]\\d*Mi"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(get("top", "node", "--no-headers")).containsPattern(Pattern.quote(node) + " +\\d+m +\\d+% +\\d+Mi"));
    }

    @Test
    @Order(5)
    void logsFollowTheContainerAsItWrites() throws Exception {
        k.run("run", "ticker", "--image=" + IMAGE, "--command", "--", "sh", "-c",
                "i=0; while true; do i=$((i+1)); echo tick $i; sleep 1; done").assertOk();
        awaitRunning("default", "ticker");
        Path out = tmp.resolve("follow.txt");
        Process follow = k.start(out, "logs", "-f", "ticker");
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(Files.readString(out)).contains("tick 1\n").contains("tick 4\n"));
        } finally {
            follow.destroy();
        }
        assertThat(get("logs", "ticker", "--tail=1")).matches("tick \\d+\n");
        assertThat(get("logs", "ticker", "--timestamps", "--tail=1"))
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z tick \\d+\n");
    }

    @Test
    @Order(6)
    void deleteStopsTheSandboxWithinTheGracePeriod() throws Exception {
        int before = sandboxCount();
        long t0 = System.nanoTime();
        k.run("delete", "pod", "ticker", "--grace-period=5").assertOk();
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertThat(ms).as("delete returns once the pod is gone, within its grace period").isLessThan(15_000);
        assertThat(k.run("get", "pod", "ticker").stderr()).contains("NotFound");
        assertThat(sandboxCount()).isEqualTo(before - 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    @Order(7)
    void runDashIAttachesStdinAndRemovesThePodAfterwards(String version) throws Exception {
        Kubectl kubectl = version.equals("1.27") ? k127 : k;
        String name = "talk-" + version.replace(".", "");
        Kubectl.Result r = kubectl.runWithInput("hello there\nsecond line\n", "run", name, "--image=" + IMAGE, "-i",
                "--rm", "--restart=Never", "--command", "--", "sh", "-c",
                "while read line; do echo got: $line; done; echo stdin closed");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("got: hello there\ngot: second line\nstdin closed\n")
                .contains("pod \"" + name + "\" deleted");
        assertThat(k.run("get", "pod", name).stderr()).contains("NotFound");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    @Order(8)
    void runDashItGivesTheContainerATerminalOfTheClientsSize(String version) throws Exception {
        String name = "term-" + version.replace(".", "");
        String kubectl = "stty rows 30 cols 90; " + Kubectl.binary(version) + " --kubeconfig=" + cluster.kubeconfig()
                + " run " + name + " -it --rm --restart=Never --image=" + IMAGE + " --command -- sh";
        Process p = new ProcessBuilder("script", "--quiet", "--flush", "--return", "--command", kubectl, "/dev/null")
                .redirectErrorStream(true).start();
        var session = new StringBuffer();
        Thread reader = Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[4096];
            int n;
            try (var from = p.getInputStream()) {
                while ((n = from.read(buf)) >= 0) {
                    session.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                session.append("[").append(e).append("]");
            }
        });
        try (var in = p.getOutputStream()) {
            // kubectl says this once it is attached.
            await().atMost(Cluster.patience()).until(() -> session.toString().contains("command prompt"));
            Thread.sleep(500);
            in.write("stty size; echo $((6*7))\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            await().atMost(Duration.ofSeconds(20)).until(() -> session.toString().contains("30 90\r\n42\r\n"));
            in.write("exit\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the session ended: " + session).isTrue();
        } finally {
            p.destroyForcibly();
        }
        reader.join(Duration.ofSeconds(10));
        // A shell on a terminal: a prompt, the typed line echoed, CRLF line ends, the size kubectl sent.
        assertThat(session.toString()).contains("# ").contains("stty size; echo $((6*7))\r\n30 90\r\n42\r\n")
                .contains("pod \"" + name + "\" deleted");
        assertThat(k.run("get", "pod", name).stderr()).contains("NotFound");
    }

    // --- how containers run ------------------------------------------------------------------

    @Test
    @Order(10)
    void initContainersRunInOrderBeforeTheApp() throws Exception {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: inits}
                spec:
                  volumes: [{name: work, emptyDir: {}}]
                  initContainers:
                  - {name: first, image: %1$s, command: [sh, -c, "echo first >> /work/order"], volumeMounts: [{name: work, mountPath: /work}]}
                  - {name: second, image: %1$s, command: [sh, -c, "echo second >> /work/order"], volumeMounts: [{name: work, mountPath: /work}]}
                  containers:
                  - {name: app, image: %1$s, command: [sh, -c, "cat /work/order; exec sleep 3600"], volumeMounts: [{name: work, mountPath: /work}]}
                """.formatted(IMAGE));
        awaitRunning("default", "inits");

        assertThat(get("logs", "inits")).isEqualTo("first\nsecond\n");
        assertThat(get("get", "pod", "inits", "-o",
                "jsonpath={.status.initContainerStatuses[*].state.terminated.reason}")).isEqualTo("Completed Completed");
    }

    @Test
    @Order(11)
    void aCrashingContainerBacksOffAndKeepsItsPreviousLog() throws Exception {
        k.run("run", "crasher", "--image=" + IMAGE, "--command", "--", "sh", "-c", "echo crashing; exit 1").assertOk();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(get("get", "pod", "crasher", "--no-headers"))
                        .containsPattern("^crasher +0/1 +CrashLoopBackOff +[2-9] "));

        assertThat(get("get", "pod", "crasher", "-o", "jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}"
                + " {.status.containerStatuses[0].lastState.terminated.reason}")).isEqualTo("1 Error");
        assertThat(get("logs", "crasher", "--previous")).isEqualTo("crashing\n");
        assertThat(get("get", "events", "--field-selector", "involvedObject.name=crasher", "-o",
                "jsonpath={.items[*].reason}")).contains("BackOff");
    }

    @Test
    @Order(12)
    void podsThatRunToCompletionSucceedOrFail() throws Exception {
        k.run("run", "done-ok", "--image=" + IMAGE, "--restart=Never", "--command", "--", "sh", "-c", "exit 0").assertOk();
        k.run("run", "done-bad", "--image=" + IMAGE, "--restart=Never", "--command", "--", "sh", "-c", "exit 2")
                .assertOk();
        await().atMost(Cluster.patience()).untilAsserted(() -> {
            assertThat(get("get", "pod", "done-ok", "--no-headers")).containsPattern("^done-ok +0/1 +Completed +0 ");
            assertThat(get("get", "pod", "done-bad", "--no-headers")).containsPattern("^done-bad +0/1 +Error +0 ");
        });
        assertThat(get("get", "pod", "done-ok", "done-bad", "-o",
                "jsonpath={range .items[*]}{.status.phase} {.status.containerStatuses[0].state.terminated.exitCode};{end}"))
                .isEqualTo("Succeeded 0;Failed 2;");
    }

    @Test
    @Order(13)
    void aContainerOverItsMemoryLimitIsOomKilled() throws Exception {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: hog}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: hog
                    image: %s
                    command: [sh, -c, "head -c 300m /dev/zero | tail"]
                    resources: {limits: {memory: 48Mi}}
                """.formatted(IMAGE));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(get("get", "pod", "hog", "-o", "jsonpath={.status.containerStatuses[0].state.terminated.reason}"
                        + " {.status.containerStatuses[0].state.terminated.exitCode}")).isEqualTo("OOMKilled 137"));
        assertThat(get("get", "pod", "hog", "--no-headers")).containsPattern("^hog +0/1 +OOMKilled ");
    }

    @Test
    @Order(14)
    void probesTurnAPodReadyAndRestartAnUnhealthyContainer() throws Exception {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: probed}
                spec:
                  containers:
                  - name: app
                    image: %s
                    command: [sh, -c, "mkdir -p /www && echo ok > /www/healthz && exec httpd -f -p 8080 -h /www"]
                    readinessProbe:
                      exec: {command: [cat, /tmp/ready]}
                      periodSeconds: 1
                    livenessProbe:
                      httpGet: {path: /healthz, port: 8080}
                      periodSeconds: 1
                      failureThreshold: 2
                    startupProbe:
                      tcpSocket: {port: 8080}
                      periodSeconds: 1
                """.formatted(IMAGE));
        awaitRunning("default", "probed", "0/1");
        Thread.sleep(3000);
        assertThat(get("get", "pod", "probed", "--no-headers")).containsPattern("^probed +0/1 +Running +0 ");

        k.run("exec", "probed", "--", "touch", "/tmp/ready").assertOk();
        await().atMost(Cluster.patience()).untilAsserted(() ->
                assertThat(get("get", "pod", "probed", "--no-headers")).containsPattern("^probed +1/1 +Running +0 "));

        k.run("exec", "probed", "--", "rm", "/www/healthz").assertOk();
        await().atMost(Cluster.patience()).untilAsserted(() ->
                assertThat(get("get", "pod", "probed", "-o", "jsonpath={.status.containerStatuses[0].restartCount}"))
                        .isEqualTo("1"));
        assertThat(get("get", "events", "--field-selector", "involvedObject.name=probed", "-o",
                "jsonpath={range .items[*]}{.reason}: {.message}{\"\\n\"}{end}"))
                .contains("Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 404")
                .contains("Killing: Container app failed liveness probe, will be restarted");
        // The new instance is not ready until the file exists again (a fresh container file system).
        await().atMost(Cluster.patience()).untilAsserted(() ->
                assertThat(get("get", "pod", "probed", "--no-headers")).containsPattern("^probed +0/1 +Running +1 "));
    }

    @Test
    @Order(15)
    void configMapsSecretsAndTheDownwardApiReachTheContainer() throws Exception {
        k.run("create", "configmap", "settings", "--from-literal=color=blue", "--from-literal=SIZE=xl").assertOk();
        k.run("create", "secret", "generic", "creds", "--from-literal=token=s3cr3t").assertOk();
        k.run("create", "service", "clusterip", "cache-db", "--tcp=6379:6379").assertOk();
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: configured, labels: {tier: web}}
                spec:
                  securityContext: {runAsUser: 1234, runAsGroup: 2345}
                  volumes:
                  - {name: cfg, configMap: {name: settings}}
                  - {name: sec, secret: {secretName: creds}}
                  - name: info
                    downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}
                  containers:
                  - name: app
                    image: %s
                    workingDir: /etc
                    command: [sh, -c, "echo NAME=$POD_NAME IP=$POD_IP MEM=$MEM COLOR=$COLOR TOKEN=$TOKEN SIZE=$SIZE PLAIN=$PLAIN DB=$CACHE_DB_SERVICE_HOST:$CACHE_DB_SERVICE_PORT API=$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT; id -u; id -g; pwd; cat /etc/cfg/color; echo; cat /etc/sec/token; echo; cat /etc/info/labels; echo; grep configured /etc/hosts | wc -l; exec sleep 3600"]
                    resources: {limits: {memory: 64Mi}}
                    env:
                    - {name: PLAIN, value: plain-value}
                    - name: POD_NAME
                      valueFrom: {fieldRef: {fieldPath: metadata.name}}
                    - name: POD_IP
                      valueFrom: {fieldRef: {fieldPath: status.podIP}}
                    - name: MEM
                      valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}
                    - name: COLOR
                      valueFrom: {configMapKeyRef: {name: settings, key: color}}
                    - name: TOKEN
                      valueFrom: {secretKeyRef: {name: creds, key: token}}
                    envFrom: [{configMapRef: {name: settings}}]
                    volumeMounts:
                    - {name: cfg, mountPath: /etc/cfg}
                    - {name: sec, mountPath: /etc/sec}
                    - {name: info, mountPath: /etc/info}
                """.formatted(IMAGE));
        awaitRunning("default", "configured");

        String ip = get("get", "pod", "configured", "-o", "jsonpath={.status.podIP}");
        String db = get("get", "service", "cache-db", "-o", "jsonpath={.spec.clusterIP}");
        assertThat(db).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        // Service links: the Services of the pod's namespace as variables, as the kubelet gives them.
        assertThat(get("logs", "configured")).isEqualTo("NAME=configured IP=" + ip
                + " MEM=64 COLOR=blue TOKEN=s3cr3t SIZE=xl PLAIN=plain-value DB=" + db + ":6379 API=10.96.0.1:443\n1234\n2345\n/etc\nblue\ns3cr3t\n"
                + "tier=\"web\"\n1\n");
    }

    @Test
    @Order(16)
    void aMissingImageBacksOffWithTheRegistrysMessage() throws Exception {
        k.run("run", "ghost", "--image=" + registry.host() + "/tools/nothing-here:1").assertOk();
        await().atMost(Cluster.patience()).untilAsserted(() ->
                assertThat(get("get", "pod", "ghost", "--no-headers"))
                        .containsPattern("^ghost +0/1 +(ErrImagePull|ImagePullBackOff) +0 "));
        await().atMost(Cluster.patience()).untilAsserted(() ->
                assertThat(get("describe", "pod", "ghost"))
                        .contains("Failed to pull image \"" + registry.host() + "/tools/nothing-here:1\"")
                        .containsIgnoringCase("not found")
                        .contains("Back-off pulling image"));
    }

    @Test
    @Order(17)
    void anImageByRegistryHostRunsToo() throws Exception {
        k.run("run", "direct", "--image=" + registry.host() + "/tools/busybox:1", "--restart=Never", "--command", "--",
                "sh", "-c", "echo from-direct").assertOk();
        await().atMost(Cluster.patience()).untilAsserted(() ->
                assertThat(get("get", "pod", "direct", "--no-headers")).containsPattern("^direct +0/1 +Completed "));
        assertThat(get("logs", "direct")).isEqualTo("from-direct\n");
    }

    // --- the network ---------------------------------------------------------------------------

    @Test
    @Order(20)
    void podsOfOneNamespaceTalkAndOtherNamespacesCannotReachThem() throws Exception {
        k.run("create", "namespace", "net-a").assertOk();
        k.run("create", "namespace", "net-b").assertOk();
        String server = "mkdir -p /www && echo hello-from-$(hostname) > /www/index.html && exec httpd -f -p 8080 -h /www";
        for (String[] p : new String[][] {{"net-a", "a1"}, {"net-a", "a2"}, {"net-b", "b1"}}) {
            k.run("run", p[1], "-n", p[0], "--image=" + IMAGE, "--command", "--", "sh", "-c", server).assertOk();
        }
        awaitRunning("net-a", "a1");
        awaitRunning("net-a", "a2");
        awaitRunning("net-b", "b1");
        String a1 = get("get", "pod", "a1", "-n", "net-a", "-o", "jsonpath={.status.podIP}");
        String b1 = get("get", "pod", "b1", "-n", "net-b", "-o", "jsonpath={.status.podIP}");
        assertThat(a1).matches(POD_IP);
        assertThat(b1).matches(POD_IP);

        assertThat(get("exec", "a2", "-n", "net-a", "--", "sh", "-c", httpGet(a1)))
                .startsWith("HTTP/1.").endsWith("\r\n\r\nhello-from-a1\n");
        Kubectl.Result fromB = k.run("exec", "b1", "-n", "net-b", "--", "sh", "-c", httpGet(a1));
        assertThat(fromB.exitCode()).isNotZero();
        assertThat(fromB.stdout()).doesNotContain("hello-from-a1");
        assertThat(fromB.stderr()).as("nc itself ran and could not connect").contains("nc: ");
        Kubectl.Result toB = k.run("exec", "a2", "-n", "net-a", "--", "sh", "-c", httpGet(b1));
        assertThat(toB.exitCode()).isNotZero();
        assertThat(toB.stderr()).contains("nc: ");
    }

    // --- a crashed node ------------------------------------------------------------------------

    @Test
    @Order(30)
    void aKilledNodeReadoptsItsRunningPodsAndCleansUpTheOnesDeletedMeanwhile() throws Exception {
        k.run("run", "survivor", "--image=" + IMAGE, "--command", "--", "sleep", "3600").assertOk();
        k.run("run", "doomed", "--image=" + IMAGE, "--command", "--", "sleep", "3600").assertOk();
        awaitRunning("default", "survivor");
        awaitRunning("default", "doomed");
        String jsonpath = "jsonpath={.status.containerStatuses[0].containerID} {.status.containerStatuses[0].restartCount}"
                + " {.status.podIP}";
        String survivorBefore = get("get", "pod", "survivor", "-o", jsonpath);
        String webBefore = get("get", "pod", "web", "-o", jsonpath);
        int sandboxes = sandboxCount();

        cluster.kill();
        assertThat(sandboxCount()).as("sandboxes outlive the node").isEqualTo(sandboxes);
        // While the node is down, "doomed" is removed from the API for good.
        cluster = Cluster.start(dataDir);
        k.run("delete", "pod", "doomed", "--force", "--grace-period=0").assertOk();
        cluster.close();
        cluster = Cluster.startWithNode(dataDir);

        await().atMost(Cluster.patience()).untilAsserted(() ->
                assertThat(get("get", "nodes", "--no-headers")).containsPattern("^\\S+ +Ready "));
        await().atMost(Cluster.patience()).untilAsserted(() -> assertThat(sandboxCount()).isEqualTo(sandboxes - 1));
        assertThat(get("get", "pod", "survivor", "-o", jsonpath)).isEqualTo(survivorBefore);
        assertThat(get("get", "pod", "web", "-o", jsonpath)).isEqualTo(webBefore);
        assertThat(get("get", "pod", "survivor", "--no-headers")).containsPattern("^survivor +1/1 +Running +0 ");
        // The adopted pods still serve streams.
        assertThat(get("exec", "web", "--", "cat", "/www/index.html")).isEqualTo("served-from-pod\n");
        assertThat(get("logs", "web")).isEqualTo("started\n");
    }

    // --- helpers --------------------------------------------------------------------------------

    /**
     * A shell command fetching / from ip:8080 with busybox nc (the static busybox's wget died with
     * SIGSEGV, exit code 139, in these sandboxes even for an IP address).
     */
    static String httpGet(String ip) {
        return "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 3 " + ip + " 8080";
    }

    static String get(String... args) throws Exception {
        return k.run(args).assertOk().stdout();
    }

    static void apply(String yaml) throws Exception {
        k.runWithInput(yaml, "apply", "-f", "-").assertOk();
    }

    static void awaitRunning(String ns, String name) {
        awaitRunning(ns, name, "1/1");
    }

    static void awaitRunning(String ns, String name, String ready) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(get("get", "pod", name, "-n", ns, "--no-headers"))
                        .containsPattern("^" + name + " +" + ready + " +Running "));
    }

    static int sandboxCount() throws IOException, InterruptedException {
        return NodeScrub.sandboxes(dataDir).size();
    }
}
