package io.kubevisor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.kubevisor.cli.ControlPlane;

/**
 * The API server benchmark: starts a control plane as {@code kubevisor up} does (TLS, HTTP/2,
 * SQLite in the data dir), runs the scenarios against it and their baselines in the same process,
 * and prints a Markdown results section on stdout (progress goes to stderr). Run it through
 * {@code bench/run.sh}; it is not a test.
 */
public final class ApiServerBench {

    private ApiServerBench() {
    }

    /** Entry point; see {@link BenchOptions#USAGE} for the arguments. */
    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchArgs.parseOrExit(args, BenchOptions.USAGE, BenchOptions::parse);
        if (options == null) {
            return;
        }
        Machine machine = Machine.probe();
        Path run = BenchArgs.runDir(options.dataDir(), "kubevisor-bench", "run-");
        long started = System.nanoTime();
        List<Section> sections = new ArrayList<>();
        try {
            Progress.say("starting the control plane in " + run);
            try (ControlPlane plane = ControlPlane.start(new ControlPlane.Options(run.resolve("server"), "127.0.0.1",
                    0, null, null, "", Duration.ofMinutes(5)))) {
                KubeClient client = KubeClient.fromKubeconfig(plane.kubeconfig());
                client.create("/api/v1/namespaces", Payloads.namespace());
                Path baselines = Files.createDirectories(run.resolve("baselines"));
                for (int scenario : options.scenarios()) {
                    // A scenario should not pay for collecting the garbage of the one before.
                    System.gc();
                    sections.add(switch (scenario) {
                        case 1 -> CreateThroughput.run(client, baselines, options);
                        case 2 -> CreateLatency.run(client, baselines, options);
                        case 3 -> ListPods.run(client, baselines, options);
                        case 4 -> WatchFanout.run(client, baselines, options);
                        default -> throw new IllegalArgumentException("no scenario " + scenario);
                    });
                }
                client.http().close();
            }
        } finally {
            if (!options.keep()) {
                deleteTree(run);
            }
        }
        double minutes = (System.nanoTime() - started) / 60e9;
        String command = System.getProperty("bench.command", "java io.kubevisor.bench.ApiServerBench "
                + String.join(" ", args)).trim();
        System.out.print(report(machine, sections, minutes, command));
        // The HTTP client and the server leave non-daemon threads to time out; the report is out.
        System.exit(0);
    }

    static String report(Machine machine, List<Section> sections, double minutes, String command) {
        var sb = new StringBuilder();
        sb.append("## Results of ").append(machine.date()).append("\n\n");
        sb.append("Reproduce: `").append(command).append("` (")
                .append(Markdown.num(minutes, 1)).append(" min including server start-up).\n\n");
        sb.append(machine.markdown());
        sb.append("| load average at end | ").append(Machine.currentLoadavg()).append(" |\n\n");
        List<List<String>> rows = new ArrayList<>();
        sections.forEach(s -> rows.addAll(s.summary()));
        sb.append("### Summary\n\n");
        sb.append(Markdown.table(List.of("scenario", "measured", "baseline (same run)", "ratio", "target", "verdict"),
                rows));
        for (Section s : sections) {
            sb.append("\n### ").append(s.title()).append("\n\n").append(s.details());
        }
        return sb.toString();
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            Progress.say("could not delete " + root + ": " + e.getMessage());
        }
    }
}
