package io.kubevisor.e2e.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real kubectl binary of one version (the versioned binaries beside the {@code kubectl} on
 * PATH), pointed at a cluster through its admin kubeconfig, with its own HOME (discovery cache).
 */
public final class Kubectl {

    /** What one invocation did. */
    public record Result(int exitCode, String stdout, String stderr) {
        public Result assertOk() {
            if (exitCode != 0) {
                throw new AssertionError("kubectl failed (rc " + exitCode + "):\n" + stderr + "\n" + stdout);
            }
            return this;
        }
    }

    private final Path binary;
    private final Path kubeconfig;
    private final Path home;

    private Kubectl(Path binary, Path kubeconfig, Path home) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
        this.home = home;
    }

    /**
     * @param version e.g. "1.27" or "1.33"
     * @param home    a directory for kubectl's HOME (its discovery and OpenAPI cache)
     */
    public static Kubectl of(String version, Cluster cluster, Path home) throws IOException {
        Files.createDirectories(home);
        return new Kubectl(binary(version), cluster.kubeconfig(), home);
    }

    /**
     * The same kubectl binary pointed at another kubeconfig (e.g. a user with other credentials), with its own
     * HOME so that its discovery cache is separate.
     */
    public Kubectl withKubeconfig(Path otherKubeconfig, Path otherHome) throws IOException {
        Files.createDirectories(otherHome);
        return new Kubectl(binary, otherKubeconfig, otherHome);
    }

    /** Locates {@code kubectl.<version>}; fails clearly when the machine does not have it. */
    public static Path binary(String version) throws IOException {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            Path k = Path.of(dir, "kubectl");
            if (Files.isExecutable(k)) {
                Path real = k.toRealPath();
                Path versioned = real.resolveSibling("kubectl." + version);
                if (Files.isExecutable(versioned)) {
                    return versioned;
                }
            }
        }
        throw new IOException("kubectl." + version + " not found beside the kubectl on PATH; the end-to-end tests "
                + "need the versioned kubectl binaries");
    }

    public String version() {
        return binary.getFileName().toString().substring("kubectl.".length());
    }

    public Result run(String... args) throws IOException, InterruptedException {
        return runWithInput(null, args);
    }

    /** Runs kubectl with {@code stdin} fed to it (e.g. {@code apply -f -}). */
    public Result runWithInput(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.add("--kubeconfig=" + kubeconfig);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("KUBECONFIG");
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 120 s");
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }

    /** Starts kubectl in the background (e.g. {@code get -w}); the caller must destroy it. */
    public Process start(Path stdout, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.add("--kubeconfig=" + kubeconfig);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("KUBECONFIG");
        pb.redirectOutput(stdout.toFile()).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.appendTo(stdout.resolveSibling(stdout.getFileName() + ".err").toFile()));
        return pb.start();
    }

    /**
     * Reads "Forwarding from 127.0.0.1:PORT -> …" from the stdout of a running {@code kubectl
     * port-forward} (started with its stdout piped) and returns the local port.
     */
    public static int forwardedPort(Process portForward) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(portForward.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            Pattern forwarding = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) ->");
            try {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = forwarding.matcher(line);
                    if (m.find()) {
                        return Integer.parseInt(m.group(1));
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            throw new IllegalStateException("port-forward ended without forwarding");
        });
        return port.get(60, TimeUnit.SECONDS);
    }
}
