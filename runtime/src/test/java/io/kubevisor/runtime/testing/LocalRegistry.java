package io.kubevisor.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A Docker distribution registry ({@code docker-registry serve}, Debian's package) on 127.0.0.1
 * with a free port and a temp storage directory, for tests. Optionally with htpasswd basic auth.
 * Its access log is kept so tests can count the requests it served. {@link #close()} stops the
 * process (by its PID) and deletes its data.
 *
 * <pre>{@code
 * try (LocalRegistry reg = LocalRegistry.start()) { ... reg.host() ... }
 * }</pre>
 */
public final class LocalRegistry implements AutoCloseable {

    private static final Pattern ACCESS = Pattern.compile("\"([A-Z]+) (\\S+) HTTP/[0-9.]+\" (\\d{3}) ");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final Path log;
    private final int port;
    private final String username;
    private final String password;
    private Process process;

    private LocalRegistry(Path dir, int port, String username, String password) {
        this.dir = dir;
        this.log = dir.resolve("registry.log");
        this.port = port;
        this.username = username;
        this.password = password;
    }

    /** Starts an open registry. */
    public static LocalRegistry start() {
        return start(null, null);
    }

    /** Starts a registry that demands basic auth ({@code username}/{@code password}) for everything. */
    public static LocalRegistry startWithBasicAuth(String username, String password) {
        return start(username, password);
    }

    private static LocalRegistry start(String username, String password) {
        try {
            Path dir = Files.createTempDirectory("kv-registry-");
            LocalRegistry r = new LocalRegistry(dir, freePort(), username, password);
            r.writeConfig();
            r.launch();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:<port>}: the registry part of image names pushed here. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI url() {
        return URI.create("http://" + host());
    }

    /** User name for basic auth, or null for an open registry. */
    public String username() {
        return username;
    }

    /** Password for basic auth, or null. */
    public String password() {
        return password;
    }

    /** Where the registry keeps a blob's bytes (to tamper with them in tests). */
    public Path blobData(String digest) {
        String hex = digest.substring("sha256:".length());
        return dir.resolve("data/docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex)
                .resolve("data");
    }

    /** One served request from the access log. */
    public record Request(String method, String path, int status) {
    }

    /** The requests served so far, oldest first. */
    public List<Request> requests() {
        List<Request> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                Matcher m = ACCESS.matcher(line);
                if (m.find()) {
                    out.add(new Request(m.group(1), m.group(2), Integer.parseInt(m.group(3))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Number of served {@code method} requests whose path contains {@code pathPart}. */
    public long count(String method, String pathPart) {
        return requests().stream().filter(r -> r.method().equals(method) && r.path().contains(pathPart)).count();
    }

    /** Stops the process but keeps the data; {@link #restart()} brings it back on the same port. */
    public void stop() {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        ProcessHandle h = p.toHandle();
        h.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                h.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            h.destroyForcibly();
        }
    }

    /** Starts a stopped registry again with its data. */
    public void restart() {
        if (process == null) {
            launch();
        }
    }

    /** Stops the registry and deletes its data. */
    @Override
    public void close() {
        stop();
        try {
            deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeConfig() throws IOException {
        StringBuilder y = new StringBuilder();
        y.append("version: 0.1\n");
        y.append("log:\n  level: warn\n  accesslog:\n    disabled: false\n");
        y.append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("data")).append('\n');
        y.append("  delete:\n    enabled: true\n");
        y.append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
        y.append("  secret: kubevisor-test-secret\n");
        if (username != null) {
            Path htpasswd = dir.resolve("htpasswd");
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            String hash = OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 6);
            Files.writeString(htpasswd, username + ":" + hash + "\n");
            y.append("auth:\n  htpasswd:\n    realm: kubevisor-test\n    path: ").append(htpasswd).append('\n');
        }
        Files.writeString(dir.resolve("config.yml"), y.toString());
    }

    private void launch() {
        try {
            process = new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start docker-registry (Debian package docker-registry)", e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("docker-registry exited: " + Files.readString(log));
                }
                try {
                    int status = http.send(HttpRequest.newBuilder(URI.create(url() + "/v2/")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status == 200 || status == 401) {
                        return;
                    }
                } catch (IOException notYet) {
                    // Not listening yet.
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stop();
        throw new IllegalStateException("docker-registry did not answer /v2/ within " + START_TIMEOUT);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
