package io.kubevisor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.kubevisor.apiserver.auth.pki.ClusterCa;
import io.kubevisor.apiserver.auth.pki.KeyMaterial;

/** The benchmark's HTTP/1.1 client against a TLS server on loopback that answers from a script. */
class Http1ConnectionTest {

    private SSLServerSocket server;
    private SSLContext serverTls;
    private SSLContext clientTls;
    private Thread serverThread;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger connections = new AtomicInteger();

    @BeforeEach
    void tls() throws Exception {
        ClusterCa ca = ClusterCa.create("http1-test-ca", Duration.ofDays(1), Clock.systemUTC());
        KeyMaterial serving = ca.issueServing(List.of(), List.of(InetAddress.getLoopbackAddress()), Duration.ofDays(1));
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(serving.keyManagerFactory().getKeyManagers(), null, null);
        server = (SSLServerSocket) serverTls.getServerSocketFactory().createServerSocket(0, 8,
                InetAddress.getLoopbackAddress());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        if (serverThread != null) {
            serverThread.join(5000);
        }
    }

    @Test
    void twoRequestsShareOneConnectionAndBothBodyFramingsAreRead() throws Exception {
        serve("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"a\":\"one\"}",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "4;ext=1\r\n{\"b\"\r\n" + "7\r\n:\"two\"}\r\n" + "0\r\nX-Trailer: t\r\n\r\n");
        try (Http1Connection c = Http1Connection.open(uri(), clientTls)) {
            var created = c.send("POST", "/api/v1/namespaces/x/pods", "{\"kind\":\"Pod\"}".getBytes(StandardCharsets.UTF_8));
            var got = c.send("GET", "/api/v1/namespaces/x/pods/p", null);

            assertThat(created.status()).isEqualTo(201);
            assertThat(new String(created.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":\"one\"}");
            assertThat(got.status()).isEqualTo(200);
            assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo("{\"b\":\"two\"}");
        }
        serverThread.join(5000);
        assertThat(connections.get()).isEqualTo(1);
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0)).startsWith("POST /api/v1/namespaces/x/pods HTTP/1.1\r\n")
                .contains("Content-Type: application/json\r\n", "Content-Length: 14\r\n")
                .endsWith("\r\n\r\n{\"kind\":\"Pod\"}");
        assertThat(requests.get(1)).startsWith("GET /api/v1/namespaces/x/pods/p HTTP/1.1\r\n")
                .doesNotContain("Content-Length");
    }

    @Test
    void aStreamYieldsWholeLinesAcrossChunksAndEndsWithTheLastChunk() throws Exception {
        serve("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "a\r\n{\"type\":\"A\r\n" + "11\r\nDDED\"}\n{\"type\":\"M\r\n" + "a\r\nODIFIED\"}\n\r\n" + "0\r\n\r\n");
        try (Http1Connection c = Http1Connection.open(uri(), clientTls);
             var lines = new BufferedReader(new InputStreamReader(c.stream("/api/v1/pods?watch=1"),
                     StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo("{\"type\":\"ADDED\"}");
            assertThat(lines.readLine()).isEqualTo("{\"type\":\"MODIFIED\"}");
            assertThat(lines.readLine()).isNull();
        }
    }

    @Test
    void aStreamThatIsRefusedFailsWithTheServersAnswer() throws Exception {
        serve("HTTP/1.1 403 Forbidden\r\nContent-Length: 9\r\n\r\nforbidden");
        try (Http1Connection c = Http1Connection.open(uri(), clientTls)) {
            assertThatThrownBy(() -> c.stream("/api/v1/pods?watch=1")).isInstanceOf(IOException.class)
                    .hasMessageContaining("403").hasMessageContaining("forbidden");
        }
    }

    @Test
    void aServerWhoseCertificateDoesNotNameTheAddressIsRefused() throws Exception {
        // Another loopback address, which the certificate does not name.
        InetAddress other = InetAddress.getByName("127.0.0.2");
        try (var elsewhere = (SSLServerSocket) serverTls.getServerSocketFactory().createServerSocket(0, 1, other)) {
            Thread.ofPlatform().daemon(true).start(() -> {
                try (var s = (SSLSocket) elsewhere.accept()) {
                    s.startHandshake();
                } catch (IOException e) {
                    // the client refuses the handshake
                }
            });
            URI uri = URI.create("https://127.0.0.2:" + elsewhere.getLocalPort());
            assertThatThrownBy(() -> Http1Connection.open(uri, clientTls)).hasMessageContaining("cannot connect")
                    .hasMessageContaining("127.0.0.2");
        }
    }

    private URI uri() {
        return URI.create("https://127.0.0.1:" + server.getLocalPort());
    }

    /** Accepts one connection and answers each request with the next of {@code answers}. */
    private void serve(String... answers) {
        serverThread = Thread.ofPlatform().daemon(true).start(() -> {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                connections.incrementAndGet();
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                for (String answer : answers) {
                    requests.add(readRequest(in));
                    out.write(answer.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException e) {
                // the client went away (or never came)
            }
        });
    }

    private static String readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("client closed");
            }
            head.append((char) c);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
