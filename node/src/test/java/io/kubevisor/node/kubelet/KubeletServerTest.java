package io.kubevisor.node.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubevisor.api.Json;
import io.kubevisor.node.FakeProvider;
import io.kubevisor.node.TestPki;
import io.kubevisor.node.provider.ContainerExec;
import io.kubevisor.node.provider.ContainerLogs;
import io.kubevisor.node.provider.PodRef;
import io.kubevisor.node.provider.PodStats;
import io.kubevisor.node.provider.PortForwarder;
import io.kubevisor.node.provider.ProviderException;
import io.kubevisor.node.provider.StreamIo;
import tools.jackson.databind.JsonNode;

/** The kubelet endpoint against a fake streaming provider, driven by the JDK's HTTP and WebSocket clients. */
class KubeletServerTest {

    static final PodRef WEB = new PodRef("default", "web", "uid-1");

    /** Exec, attach, logs, port-forward and stats as a script. */
    static final class StreamingProvider extends FakeProvider implements ContainerExec, ContainerLogs, PortForwarder,
            PodStats {
        final AtomicReference<ContainerLogs.Options> lastLogOptions = new AtomicReference<>();
        final AtomicReference<StreamIo.TerminalSize> lastSize = new AtomicReference<>();

        @Override
        public int exec(PodRef pod, String container, List<String> command, StreamIo io) {
            try {
                switch (command.getFirst()) {
                    case "fail" -> {
                        io.stdout().write("out\n".getBytes(StandardCharsets.UTF_8));
                        io.stderr().write("err\n".getBytes(StandardCharsets.UTF_8));
                        return Integer.parseInt(command.get(1));
                    }
                    case "cat" -> {
                        io.stdin().transferTo(io.stdout());
                        return 0;
                    }
                    case "tty" -> {
                        lastSize.set(io.resize().poll(10, TimeUnit.SECONDS));
                        io.stdout().write(("tty=" + io.tty() + " stderr=" + (io.stderr() != null) + "\n")
                                .getBytes(StandardCharsets.UTF_8));
                        return 0;
                    }
                    default -> throw new ProviderException("exec: \"" + command.getFirst()
                            + "\": executable file not found in $PATH");
                }
            } catch (IOException | InterruptedException e) {
                throw new ProviderException(e.toString());
            }
        }

        @Override
        public int attach(PodRef pod, String container, StreamIo io) {
            try {
                io.stdout().write("attached\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ProviderException(e.toString());
            }
            return -1;
        }

        @Override
        public void logs(PodRef pod, String container, ContainerLogs.Options options, OutputStream out)
                throws IOException {
            if (!container.equals("c")) {
                throw new ProviderException("container \"" + container + "\" in pod \"web\" is not running");
            }
            lastLogOptions.set(options);
            List<String> lines = List.of("one\n", "two\n", "three\n");
            for (String l : lines.subList(options.tailLines() < 0 ? 0 : (int) (3 - options.tailLines()), 3)) {
                out.write(l.getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void forward(PodRef pod, int port, InputStream fromClient, OutputStream toClient) {
            if (port == 9999) {
                throw new ProviderException("nothing listens on port 9999");
            }
            try {
                byte[] buf = new byte[1024];
                int n;
                while ((n = fromClient.read(buf)) > 0) {
                    toClient.write(("echo:" + new String(buf, 0, n, StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // client gone
            }
        }

        @Override
        public List<PodStats.PodUsage> usage() {
            return List.of(new PodStats.PodUsage(WEB, Instant.parse("2025-03-01T10:00:00Z"), 5_000_000, 7_000_000_000L,
                    1 << 20, List.of(new PodStats.ContainerUsage("c", 4_000_000, 6_000_000_000L, 1 << 19))));
        }
    }

    final TestPki pki = TestPki.create("kubelet-test-ca");
    final StreamingProvider provider = new StreamingProvider();
    KubeletServer server;
    String base;

    @BeforeEach
    void start() {
        Pod pod = new PodBuilder().withNewMetadata().withNamespace("default").withName("web").withUid("uid-1")
                .endMetadata().withNewSpec().withNodeName("node-a").endSpec().build();
        server = KubeletServer.start("node-a", pki.endpoint(), provider, new KubeletServer.PodDirectory() {
            @Override
            public Optional<PodRef> find(String namespace, String name) {
                return namespace.equals("default") && name.equals("web") ? Optional.of(WEB) : Optional.empty();
            }

            @Override
            public List<Pod> pods() {
                return List.of(pod);
            }
        }, (user, groups, verb, sub) -> !user.equals("mallory"), Clock.systemUTC());
        base = "https://127.0.0.1:" + server.address().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<String> get(TestPki.Issued client, String path) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(pki.clientContext(client)).build();
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    TestPki.Issued apiserver() {
        return pki.client("kube-apiserver-kubelet-client", "system:masters");
    }

    @Test
    void callersWithoutACertificateFromTheCaAreUnauthorized() throws Exception {
        assertThat(get(null, "/healthz").body()).isEqualTo("ok");
        assertThat(get(null, "/pods").statusCode()).isEqualTo(401);
        TestPki stranger = TestPki.create("other-ca");
        HttpClient http = HttpClient.newBuilder().sslContext(pki.clientContext(stranger.client("x", "system:masters")))
                .build();
        var foreign = http.send(HttpRequest.newBuilder(URI.create(base + "/pods")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(401);
        var denied = get(pki.client("mallory"), "/pods");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(Json.parse(denied.body()).path("message").asString())
                .isEqualTo("Forbidden (user=mallory, verb=get, resource=nodes, subresource(s)=[proxy])");
    }

    @Test
    void podsListsThePodsTheNodeRuns() throws Exception {
        var r = get(apiserver(), "/pods");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode list = Json.parse(r.body());
        assertThat(list.path("kind").asString()).isEqualTo("PodList");
        assertThat(list.path("items").get(0).path("metadata").path("name").asString()).isEqualTo("web");
    }

    @Test
    void containerLogsStreamTheProvidersBytesWithTheOptions() throws Exception {
        var r = get(apiserver(), "/containerLogs/default/web/c?tailLines=2&timestamps=true&follow=true&sinceSeconds=60");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).contains("text/plain");
        assertThat(r.body()).isEqualTo("two\nthree\n");
        ContainerLogs.Options o = provider.lastLogOptions.get();
        assertThat(o.follow()).isTrue();
        assertThat(o.timestamps()).isTrue();
        assertThat(o.tailLines()).isEqualTo(2);
        assertThat(o.since()).isBetween(Instant.now().minusSeconds(70), Instant.now().minusSeconds(50));

        var missing = get(apiserver(), "/containerLogs/default/web/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Json.parse(missing.body()).path("message").asString()).contains("\"nope\"");
        assertThat(get(apiserver(), "/containerLogs/default/other/c").statusCode()).isEqualTo(404);
        assertThat(get(apiserver(), "/containerLogs/default/web/c?tailLines=x").statusCode()).isEqualTo(400);
    }

    @Test
    void statsSummaryReportsPodsAndContainers() throws Exception {
        JsonNode s = Json.parse(get(apiserver(), "/stats/summary").body());
        assertThat(s.path("node").path("nodeName").asString()).isEqualTo("node-a");
        assertThat(s.path("node").path("memory").path("workingSetBytes").asLong()).isEqualTo(1 << 20);
        JsonNode pod = s.path("pods").get(0);
        assertThat(pod.path("podRef").path("uid").asString()).isEqualTo("uid-1");
        assertThat(pod.path("cpu").path("usageNanoCores").asLong()).isEqualTo(5_000_000);
        assertThat(pod.path("containers").get(0).path("name").asString()).isEqualTo("c");
        assertThat(pod.path("containers").get(0).path("cpu").path("usageCoreNanoSeconds").asLong())
                .isEqualTo(6_000_000_000L);
    }

    URI ws(String path) {
        return URI.create(base.replace("https", "wss") + path);
    }

    @Test
    void execOverV5SplitsStdoutAndStderrThenSendsTheExitCodeAndCloses() throws Exception {
        WsClient c = WsClient.open(pki.clientContext(apiserver()),
                ws("/exec/default/web/c?command=fail&command=3&stdout=true&stderr=true"), "v5.channel.k8s.io");
        assertThat(c.ws.getSubprotocol()).isEqualTo("v5.channel.k8s.io");

        assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(c.channel(1)).isEqualTo("out\n");
        assertThat(c.channel(2)).isEqualTo("err\n");
        JsonNode status = Json.parse(c.channel(3));
        assertThat(status.path("status").asString()).isEqualTo("Failure");
        assertThat(status.path("reason").asString()).isEqualTo("NonZeroExitCode");
        assertThat(status.path("details").path("causes").get(0).path("reason").asString()).isEqualTo("ExitCode");
        assertThat(status.path("details").path("causes").get(0).path("message").asString()).isEqualTo("3");
        // The status is the last message before the Close frame.
        assertThat(c.messages.getLast()[0]).isEqualTo((byte) 3);
    }

    @Test
    void execOverV4EchoesStdinUntilTheClientClosesIt() throws Exception {
        WsClient c = WsClient.open(pki.clientContext(apiserver()),
                ws("/exec/default/web/c?command=cat&stdin=true&stdout=true"), "v4.channel.k8s.io");
        assertThat(c.ws.getSubprotocol()).isEqualTo("v4.channel.k8s.io");
        c.send(0, "hello ".getBytes(StandardCharsets.UTF_8));
        c.send(0, "world".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> c.channel(1).equals("hello world"));
        // v4 has no per-channel close: ending the WebSocket is the client's EOF.
        c.ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
        assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    void execOverV5EndsStdinWithACloseChannelMessageAndReportsSuccess() throws Exception {
        WsClient c = WsClient.open(pki.clientContext(apiserver()),
                ws("/exec/default/web/c?command=cat&stdin=true&stdout=true&stderr=true"), "v5.channel.k8s.io");
        c.send(0, "abc".getBytes(StandardCharsets.UTF_8));
        c.send(255, new byte[] {0});
        assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(c.channel(1)).isEqualTo("abc");
        assertThat(Json.parse(c.channel(3)).path("status").asString()).isEqualTo("Success");
    }

    @Test
    void ttyExecGetsResizesAndNoStderr() throws Exception {
        WsClient c = WsClient.open(pki.clientContext(apiserver()),
                ws("/exec/default/web/c?command=tty&stdin=true&stdout=true&stderr=true&tty=true"), "v5.channel.k8s.io");
        c.send(4, "{\"Width\":100,\"Height\":30}\n".getBytes(StandardCharsets.UTF_8));
        assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(c.channel(1)).isEqualTo("tty=true stderr=false\n");
        assertThat(provider.lastSize.get()).isEqualTo(new StreamIo.TerminalSize(100, 30));
    }

    @Test
    void aCommandThatCannotStartIsAFailureStatusWithTheProvidersMessage() throws Exception {
        WsClient c = WsClient.open(pki.clientContext(apiserver()),
                ws("/exec/default/web/c?command=nope&stdout=true"), "v5.channel.k8s.io");
        assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
        JsonNode status = Json.parse(c.channel(3));
        assertThat(status.path("status").asString()).isEqualTo("Failure");
        assertThat(status.path("message").asString()).isEqualTo("exec: \"nope\": executable file not found in $PATH");
    }

    @Test
    void attachWithTheUidInThePathReportsSuccessWhenTheClientDetaches() throws Exception {
        WsClient c = WsClient.open(pki.clientContext(apiserver()),
                ws("/attach/default/web/uid-1/c?stdout=true"), "v5.channel.k8s.io");
        assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(c.channel(1)).isEqualTo("attached\n");
        assertThat(Json.parse(c.channel(3)).path("status").asString()).isEqualTo("Success");
    }

    @Test
    void execRefusesUnknownSubprotocolsAndPlainRequests() throws Exception {
        var e = org.assertj.core.api.Assertions.catchThrowableOfType(ExecutionException.class,
                () -> WsClient.open(pki.clientContext(apiserver()), ws("/exec/default/web/c?command=cat&stdout=true"),
                        "channel.k8s.io"));
        assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(400);
        assertThat(get(apiserver(), "/exec/default/web/c?command=cat&stdout=true").statusCode()).isEqualTo(400);
    }

    @Test
    void portForwardAnnouncesThePortOnBothChannelsThenCarriesData() throws Exception {
        WsClient c = WsClient.open(pki.clientContext(apiserver()), ws("/portForward/default/web?port=8080&port=9999"),
                "v4.channel.k8s.io");
        await().atMost(Duration.ofSeconds(10)).until(() -> c.messages.size() >= 5);
        // 8080 = 0x1f90, little-endian, first on data channel 0 and error channel 1; 9999 on 2 and 3.
        assertThat(c.messages.subList(0, 4)).containsExactly(new byte[] {0, (byte) 0x90, 0x1f},
                new byte[] {1, (byte) 0x90, 0x1f}, new byte[] {2, 0x0f, 0x27}, new byte[] {3, 0x0f, 0x27});
        await().atMost(Duration.ofSeconds(10))
                .until(() -> c.channel(3).contains("nothing listens on port 9999"));
        c.send(0, "ping".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> c.channel(0).endsWith("echo:ping"));
        c.ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
        assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    void portForwardNeedsAPort() throws Exception {
        var r = get(apiserver(), "/portForward/default/web");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Json.parse(r.body()).path("message").asString()).isEqualTo("query parameter \"port\" is required");
    }

    @Test
    void unknownPathsAreNotFound() throws Exception {
        assertThat(get(apiserver(), "/nope").statusCode()).isEqualTo(404);
        assertThat(Map.of("stats", KubeletServer.subresource("stats"), "exec", KubeletServer.subresource("exec")))
                .containsEntry("stats", "stats").containsEntry("exec", "proxy");
    }
}
