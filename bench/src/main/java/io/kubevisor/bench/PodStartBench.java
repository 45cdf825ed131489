package io.kubevisor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.kubevisor.runtime.image.ImageStore;
import io.kubevisor.runtime.image.ImageStoreOptions;

/**
 * The pod benchmark: pod start latency against bare runsc starts of the same root in the same run
 * (P1), and idle pods per host with their host memory (P2). It builds the busybox image, imports
 * it into a fresh node's image store, runs {@code kubevisor up} as a separate process (control
 * plane, scheduler, gVisor node) and drives it over the API; the baseline runs runsc directly.
 * Prints a Markdown results section on stdout (progress on stderr). Everything it starts is removed
 * at the end, also after a failure. Needs root, runsc, umoci, skopeo, iproute2 and busybox-static.
 * Run it through {@code bench/pods.sh}; it is not a test.
 */
public final class PodStartBench {

    private PodStartBench() {
    }

    /** Entry point; see {@link PodBenchOptions#USAGE}. */
    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            Progress.say("FAILED: " + t);
            t.printStackTrace();
            System.exit(1);
        }
        // HTTP client threads would linger; the report is out.
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        PodBenchOptions options = BenchArgs.parseOrExit(args, PodBenchOptions.USAGE, PodBenchOptions::parse);
        if (options == null) {
            return;
        }
        Machine machine = Machine.probe();
        Path run = BenchArgs.runDir(options.dataDir(), "kubevisor-podbench", "pods-");
        long started = System.nanoTime();
        List<Section> sections = new ArrayList<>();
        boolean ok = false;
        String nodeLoadAtEnd;
        String nodeProcess = "n/a";
        try {
            Progress.say("building the busybox image in " + run);
            BusyboxImage image = BusyboxImage.build(Files.createDirectories(run.resolve("image")));
            Path kvDir = run.resolve("kubevisor");
            try (ImageStore store = new ImageStore(ImageStoreOptions.at(kvDir.resolve("node").resolve("images")))) {
                store.importArchive(image.archive());
            }
            try (BareRunsc bare = BareRunsc.open(run.resolve("bare"), image.rootfs())) {
                Progress.say("starting kubevisor up in " + kvDir);
                try (KubevisorProcess kv = KubevisorProcess.start(kvDir, System.getenv("KUBEVISOR_JAVA_OPTS"),
                        options.maxPods())) {
                    nodeProcess = kv.description();
                    KubeClient client = KubeClient.fromKubeconfig(kv.kubeconfig());
                    try (PodWatch watch = PodWatch.open(client); Pods pods = new Pods(client, watch, kv)) {
                        PodStart.Result start = PodStart.run(pods, bare, options);
                        sections.add(start);
                        if (options.idle() > 0) {
                            System.gc();
                            sections.add(IdlePods.run(pods, start.bareIdle(), options));
                        }
                    } finally {
                        client.http().shutdownNow();
                    }
                    ok = true;
                } finally {
                    Progress.say("stopping kubevisor and checking the host");
                }
            }
        } finally {
            nodeLoadAtEnd = Machine.currentLoadavg();
            if (!options.keep() && ok) {
                deleteTree(run);
            } else {
                Progress.say("kept " + run + (ok ? "" : " (the run failed; Kubevisor's log is kubevisor/kubevisor.log)"));
            }
        }
        double minutes = (System.nanoTime() - started) / 60e9;
        String command = System.getProperty("bench.command", "java io.kubevisor.bench.PodStartBench "
                + String.join(" ", args)).trim();
        System.out.print(report(machine, sections, minutes, command, nodeLoadAtEnd, nodeProcess));
        System.out.flush();
    }

    static String report(Machine machine, List<Section> sections, double minutes, String command, String loadAtEnd,
                         String nodeProcess) {
        var sb = new StringBuilder();
        sb.append("### Results of ").append(machine.date()).append("\n\n");
        sb.append("Reproduce: `").append(command).append("` (").append(Markdown.num(minutes, 1))
                .append(" min including image build and node start-up).\n\n");
        sb.append(machine.markdown());
        sb.append("| runsc | ").append(runscVersion()).append(" |\n");
        sb.append("| node process | ").append(nodeProcess).append(" |\n");
        sb.append("| load average at end | ").append(loadAtEnd).append(" |\n\n");
        List<List<String>> rows = new ArrayList<>();
        sections.forEach(s -> rows.addAll(s.summary()));
        sb.append("#### Summary\n\n");
        sb.append(Markdown.table(List.of("scenario", "measured", "baseline (same run)", "ratio", "target", "verdict"),
                rows));
        for (Section s : sections) {
            sb.append("\n#### ").append(s.title()).append("\n\n").append(s.details());
        }
        return sb.toString();
    }

    private static String runscVersion() {
        try {
            return HostCommand.check(java.time.Duration.ofSeconds(10), "/usr/bin/runsc", "--version").lines()
                    .findFirst().orElse("n/a") + ", `--platform=ptrace`";
        } catch (RuntimeException e) {
            return "n/a";
        }
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
        } catch (IOException | UncheckedIOException e) {
            Progress.say("could not delete " + root + ": " + e.getMessage());
        }
    }
}
