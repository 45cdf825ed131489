package io.kubevisor.e2e.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Kubectl;

/**
 * exec, attach and port-forward from the REAL kubectl binaries through a real {@code kubevisor up}:
 * kubectl 1.27 (SPDY/3.1 only), 1.33 (WebSocket v5 for exec/attach, SPDY tunnelled in a WebSocket
 * for port-forward) and 1.33 with {@code KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false} (SPDY/3.1).
 *
 * <p>What this tests is the API server's protocol translation, SPDY/3.1 and SPDY-in-WebSocket on
 * kubectl's side to the kubelet's WebSocket channel protocols on the node's side. The node is a
 * TEST-ONLY {@link KubeletStub} with canned commands, registered as a Node with its address and
 * port, and the pods are bound to it by {@code spec.nodeName}: nothing runs in a container, so this
 * is not evidence that exec, attach or port-forward work against a real runtime.
 */
class PodStreamsIT {

    /** kubectl modes: a version, "-spdy" meaning KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false. */
    private static final String SPDY_SUFFIX = "-spdy";

    @TempDir
    static Path dir;
    static Cluster cluster;
    static KubeletStub kubelet;
    static com.sun.net.httpserver.HttpServer web;

    record Run(int exitCode, String stdout, String stderr) {
    }

    @BeforeAll
    static void up() throws Exception {
        web = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/", exchange -> {
            byte[] body = ("hello from pod, path " + exchange.getRequestURI().getPath() + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        web.start();
        kubelet = KubeletStub.start(Map.of(80, web.getAddress().getPort()));
        cluster = Cluster.start(dir.resolve("cluster"));
        String manifests = """
                apiVersion: v1
                kind: Node
                metadata:
                  name: stub-node
                status:
                  addresses:
                  - type: InternalIP
                    address: 127.0.0.1
                  daemonEndpoints:
                    kubeletEndpoint:
                      Port: %d
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: p
                  namespace: default
                spec:
                  nodeName: stub-node
                  containers:
                  - name: c1
                    image: busybox
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: unscheduled
                  namespace: default
                spec:
                  containers:
                  - name: c1
                    image: busybox
                """.formatted(kubelet.port());
        Path file = dir.resolve("objects.yaml");
        Files.writeString(file, manifests);
        Run created = kubectl("1.33", null, "create", "-f", file.toString());
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        for (String pod : List.of("p", "unscheduled")) {
            // kubectl port-forward refuses pods that are not Running
            Run running = kubectl("1.33", null, "patch", "pod", pod, "--subresource=status", "--type=merge",
                    "-p", "{\"status\":{\"phase\":\"Running\"}}");
            assertThat(running.exitCode()).as(running.stderr()).isZero();
        }
        Run node = kubectl("1.33", null, "get", "node", "stub-node", "-o",
                "jsonpath={.status.addresses[0].address}:{.status.daemonEndpoints.kubeletEndpoint.Port}");
        assertThat(node.stdout()).isEqualTo("127.0.0.1:" + kubelet.port());
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (kubelet != null) {
            kubelet.close();
        }
        if (web != null) {
            web.stop(0);
        }
    }

    private static List<String> command(String mode, String... args) throws IOException {
        String version = mode.replace(SPDY_SUFFIX, "");
        List<String> cmd = new ArrayList<>();
        cmd.add(Kubectl.binary(version).toString());
        cmd.add("--kubeconfig=" + cluster.kubeconfig());
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static ProcessBuilder builder(String mode, List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Path home = dir.resolve("home-" + mode);
        Files.createDirectories(home);
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("KUBECONFIG");
        if (mode.endsWith(SPDY_SUFFIX)) {
            pb.environment().put("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false");
        }
        return pb;
    }

    /** Runs kubectl to the end, feeding {@code stdin} (null: none). */
    static Run kubectl(String mode, String stdin, String... args) throws Exception {
        Process p = builder(mode, command(mode, args)).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60 s; stderr: "
                    + err.getNow(""));
        }
        return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33", "1.33" + SPDY_SUFFIX})
    void execPrintsOutputAndEndsWithTheCommandsSuccess(String mode) throws Exception {
        Run r = kubectl(mode, null, "exec", "p", "--", "echo", "hello", "world");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("hello world\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33", "1.33" + SPDY_SUFFIX})
    void aNonZeroExitCodeReachesKubectl(String mode) throws Exception {
        Run r = kubectl(mode, null, "-v=6", "exec", "p", "--", "fail", "3");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).contains("err\n").contains("command terminated with exit code 3");
        // which way kubectl went: SPDY is a POST upgrade, the WebSocket a GET
        assertThat(upgradedWith(r.stderr(), "exec")).isEqualTo(mode.equals("1.33") ? "GET" : "POST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33", "1.33" + SPDY_SUFFIX})
    void pipedStdinReachesTheCommandAndItsEndEndsIt(String mode) throws Exception {
        String input = "line one\nline two\n" + "x".repeat(200_000) + "\n";

        Run r = kubectl(mode, input, "exec", "-i", "p", "--", "cat");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo(input);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33", "1.33" + SPDY_SUFFIX})
    void aTerminalSendsItsSizeAsResizeMessages(String mode) throws Exception {
        // kubectl only uses a TTY when its stdin is one: script(1) gives it a pseudo-terminal of 100x30
        String inner = "stty cols 100 rows 30; " + String.join(" ", command(mode, "exec", "-it", "p", "--", "winsize"));
        Process p = builder(mode, List.of("script", "-qec", inner, "/dev/null")).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = read(p.getInputStream());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isZero();
        // the stub prints the first resize message it got on channel 4
        assertThat(out).contains("size 100x30");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33", "1.33" + SPDY_SUFFIX})
    void attachShowsTheContainersOutput(String mode) throws Exception {
        Run r = kubectl(mode, "typed in\n", "attach", "-i", "p");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("attached to c1\ntyped in\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void portForwardCarriesHttpToThePodsPort(String mode) throws Exception {
        Path log = dir.resolve("port-forward-" + mode + ".err");
        Process pf = builder(mode, command(mode, "-v=6", "port-forward", "pod/p", ":80"))
                .redirectError(log.toFile()).start();
        try {
            int port = Kubectl.forwardedPort(pf);
            long socketsBefore = kubelet.requests.stream().filter(u -> u.startsWith("/portForward/default/p?port=80")).count();
            for (int i = 0; i < 3; i++) {
                // a new client each time: a new forwarded connection, so a new pair of streams
                try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
                    HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/n" + i))
                            .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(res.statusCode()).isEqualTo(200);
                    assertThat(res.body()).isEqualTo("hello from pod, path /n" + i + "\n");
                }
            }
            long sockets = kubelet.requests.stream().filter(u -> u.startsWith("/portForward/default/p?port=80")).count();
            assertThat(sockets - socketsBefore).as("one kubelet socket per forwarded connection").isEqualTo(3);
            String err = Files.readString(log);
            // 1.31+ first tries SPDY in a WebSocket (GET), older ones only a SPDY upgrade (POST)
            assertThat(upgradedWith(err, "portforward")).isEqualTo(mode.equals("1.33") ? "GET" : "POST");
        } finally {
            pf.destroy();
            pf.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void aPortNothingListensOnIsReportedByKubectl(String mode) throws Exception {
        Path log = dir.resolve("port-forward-81-" + mode + ".err");
        Process pf = builder(mode, command(mode, "port-forward", "pod/p", ":81")).redirectError(log.toFile()).start();
        try {
            int port = Kubectl.forwardedPort(pf);
            try (HttpClient http = HttpClient.newHttpClient()) {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(20))
                        .build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException expected) {
                // the connection is dropped: nothing listens behind it
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(Files.readString(log)).contains("an error occurred forwarding " + port + " -> 81")
                            .contains("error forwarding port 81 to pod default/p: connection refused"));
        } finally {
            pf.destroy();
            pf.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The method of the request that kubectl ({@code -v=6}) saw switch protocols on {@code pods/p/SUB}:
     * GET for a WebSocket, POST for a SPDY upgrade. Both log formats (1.27 plain, 1.33 structured).
     */
    private static String upgradedWith(String log, String sub) {
        Matcher m = Pattern.compile("(?:verb=\"(GET|POST)\" url=\"https://[^\"]*/pods/p/" + sub + "[^\"]*\" status=\"101"
                + "|(GET|POST) https://\\S+/pods/p/" + sub + "\\S* 101)").matcher(log);
        if (!m.find()) {
            return "no upgrade in:\n" + log;
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33", "1.33" + SPDY_SUFFIX})
    void anUnknownContainerIsAnErrorAsKubernetesWordsIt(String mode) throws Exception {
        Run r = kubectl(mode, null, "exec", "p", "-c", "nope", "--", "echo", "x");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("Error from server (BadRequest): container nope is not valid for pod p");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33", "1.33" + SPDY_SUFFIX})
    void aPodWithoutANodeIsAnErrorAsKubernetesWordsIt(String mode) throws Exception {
        Run r = kubectl(mode, null, "exec", "unscheduled", "--", "echo", "x");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("Error from server (BadRequest): pod unscheduled does not have a host assigned");
    }

    @Test
    void portForwardToAPodWithoutANodeFails() throws Exception {
        Run r = kubectl("1.27", null, "port-forward", "pod/unscheduled", ":80");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("pod unscheduled does not have a host assigned");
    }
}
