package io.kubevisor.e2e.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real Kubevisor control plane ({@code kubevisor up}) in a child JVM with its own data dir and a
 * free port, as a user would run it. Stopped (SIGTERM, then SIGKILL) on close, even when a test fails.
 */
public final class Cluster implements AutoCloseable {

    private final Process process;
    private final Path dataDir;
    private final String url;
    private final Path kubeconfig;
    private final Path log;

    private Cluster(Process process, Path dataDir, String url, Path kubeconfig, Path log) {
        this.process = process;
        this.dataDir = dataDir;
        this.url = url;
        this.kubeconfig = kubeconfig;
        this.log = log;
    }

    /**
     * Starts {@code kubevisor up --no-node} in {@code dataDir} and waits until it serves: a control
     * plane only, so that pods stay where tests put them.
     */
    public static Cluster start(Path dataDir, String... extraArgs) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--no-node"));
        args.addAll(List.of(extraArgs));
        return launch(dataDir, args);
    }

    /**
     * Starts {@code kubevisor up} with its local node (gVisor sandboxes) in {@code dataDir}. The
     * caller deletes its pods and runs {@link NodeScrub} after closing.
     */
    public static Cluster startWithNode(Path dataDir, String... extraArgs) throws IOException, InterruptedException {
        return launch(dataDir, List.of(extraArgs));
    }

    private static Cluster launch(Path dataDir, List<String> extraArgs) throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        Path log = dataDir.resolve("kubevisor.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        // sqlite-jdbc extracts its native library for every JVM and leaves it behind when the JVM is
        // killed (as restart tests do): under the test's data dir, not in /tmp.
        List<String> cmd = new ArrayList<>(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-Dorg.sqlite.tmpdir=" + dataDir,
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.kubevisor.cli.Main", "up", "--data-dir", dataDir.toString(), "--port", "0"));
        cmd.addAll(extraArgs);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        CompletableFuture<String[]> ready = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            String url = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("Kubevisor is serving at ")) {
                        url = line.substring("Kubevisor is serving at ".length()).trim();
                    } else if (line.startsWith("export KUBECONFIG=") && url != null) {
                        ready.complete(new String[] {url, line.substring("export KUBECONFIG=".length()).trim()});
                    }
                }
                ready.completeExceptionally(new IOException("kubevisor up exited before serving; see " + log));
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
        });
        try {
            String[] r = ready.get(120, TimeUnit.SECONDS);
            return new Cluster(p, dataDir, r[0], Path.of(r[1]), log);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("kubevisor up did not become ready: " + e.getMessage() + "\n" + tail(log), e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    public String url() {
        return url;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The server's log so far (stderr of the child). */
    public String log() {
        return tail(log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Ends the process with SIGKILL, as a crash would, and waits for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(15, TimeUnit.SECONDS);
        keepLog();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        keepLog();
    }

    /** Keeps the server's log under target/cluster-logs, since the data dir is a temp dir. */
    private void keepLog() {
        try {
            Path dir = Path.of("target", "cluster-logs");
            Files.createDirectories(dir);
            Files.copy(log, dir.resolve(ProcessHandle.current().pid() + "-" + process.pid() + ".log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // best effort: the log is for people debugging a failure
        }
    }

    /** How long a test should wait for something the server does asynchronously. */
    public static Duration patience() {
        return Duration.ofSeconds(30);
    }
}
