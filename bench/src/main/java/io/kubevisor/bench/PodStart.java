package io.kubevisor.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Scenario P1: pod start latency with the image cached. Kubevisor pods (create request → watch
 * shows Running) against bare runsc starts of the same root in the same run, one at a time (each
 * start's sandboxes stay, so the n-th start meets n−1 running ones on both sides) and, optionally,
 * all at once; and both in turn (a bare start, then a pod, or the other way round), so both sides
 * meet the same machine. Series run one after the other, each cleaned up before the next.
 */
final class PodStart {

    static final double TARGET_P50 = 1.2;
    static final double TARGET_P99 = 2.0;

    /**
     * One series.
     *
     * @param label    what was started
     * @param nanos    each start's latency in start order
     * @param lat      their summary
     * @param makespan seconds from the first request to the last start (bursts)
     * @param cpu      CPU over the series
     */
    record Series(String label, long[] nanos, Latencies lat, double makespan, HostCpu.Usage cpu) {
        static Series of(String label, long[] nanos, double makespan, HostCpu.Usage cpu) {
            return new Series(label, nanos, Latencies.of(nanos.clone()), makespan, cpu);
        }
    }

    /**
     * @param pods          starts per series
     * @param sequential    bare run (netns, the baseline), bare none, bare pod shape, Kubevisor
     * @param ready         Kubevisor's create → Ready=True of the same pods
     * @param interleaved   bare run (netns) and Kubevisor, one start of each in turn
     * @param burst         bare run (netns) and Kubevisor, all requested at once; empty when skipped
     * @param warmups       uncounted warm-up starts: bare, Kubevisor of the first round, then of the last
     * @param breakdown     where Kubevisor's sequential starts went
     * @param requests      the API server's time for requests about the sequential pods, microseconds by shape
     * @param burstNote     what Kubevisor's log shows of the burst (empty when skipped)
     * @param bareIdle      host memory of the baseline's sandboxes, all running
     * @param podIdle       host memory of Kubevisor's sequential pods, all running
     * @param deleteSeconds how long the node took to remove the sequential pods after their deletion
     */
    record Result(int pods, List<Series> sequential, Series ready, List<Series> interleaved, List<Series> burst,
                  List<Series> warmups,
                  StartBreakdown breakdown, Map<String, List<Long>> requests, String burstNote, Footprint bareIdle,
                  Footprint podIdle, double deleteSeconds) implements Section {

        Series baseline() {
            return sequential.getFirst();
        }

        Series kubevisor() {
            return sequential.getLast();
        }

        @Override
        public String title() {
            return "P1. Pod start latency, " + pods + " pods, image cached";
        }

        @Override
        public List<List<String>> summary() {
            List<List<String>> rows = new ArrayList<>();
            Series b = baseline();
            Series k = kubevisor();
            double r50 = ratio(k.lat().p50(), b.lat().p50());
            double r99 = ratio(k.lat().p99(), b.lat().p99());
            rows.add(List.of("P1. Pod start, sequential (p50)", Latencies.ms(k.lat().p50()) + " ms",
                    Latencies.ms(b.lat().p50()) + " ms (" + b.label() + ")", Markdown.ratio(r50),
                    "≤ " + Markdown.ratio(TARGET_P50), Markdown.verdict(r50 <= TARGET_P50)));
            rows.add(List.of("P1. Pod start, sequential (p99)", Latencies.ms(k.lat().p99()) + " ms",
                    Latencies.ms(b.lat().p99()) + " ms (same)", Markdown.ratio(r99),
                    "≤ " + Markdown.ratio(TARGET_P99), Markdown.verdict(r99 <= TARGET_P99)));
            Series ib = interleaved.getFirst();
            Series ik = interleaved.getLast();
            double i50 = ratio(ik.lat().p50(), ib.lat().p50());
            double i99 = ratio(ik.lat().p99(), ib.lat().p99());
            rows.add(List.of("P1. Pod start, interleaved with its baseline (p50)", Latencies.ms(ik.lat().p50()) + " ms",
                    Latencies.ms(ib.lat().p50()) + " ms (" + ib.label() + ", in turn)", Markdown.ratio(i50),
                    "≤ " + Markdown.ratio(TARGET_P50), Markdown.verdict(i50 <= TARGET_P50)));
            rows.add(List.of("P1. Pod start, interleaved with its baseline (p99)", Latencies.ms(ik.lat().p99()) + " ms",
                    Latencies.ms(ib.lat().p99()) + " ms (same)", Markdown.ratio(i99),
                    "≤ " + Markdown.ratio(TARGET_P99), Markdown.verdict(i99 <= TARGET_P99)));
            if (burst.size() == 2) {
                Series bb = burst.getFirst();
                Series kb = burst.getLast();
                for (String q : List.of("p50", "p99")) {
                    long kv = q.equals("p50") ? kb.lat().p50() : kb.lat().p99();
                    long bv = q.equals("p50") ? bb.lat().p50() : bb.lat().p99();
                    rows.add(List.of("P1. Pod start, burst of " + pods + " (" + q + ")", Latencies.ms(kv) + " ms",
                            Latencies.ms(bv) + " ms (" + pods + " concurrent `runsc run`)",
                            Markdown.ratio(ratio(kv, bv)), "none set", "—"));
                }
            }
            return rows;
        }

        @Override
        public String details() {
            var sb = new StringBuilder();
            List<List<String>> rows = new ArrayList<>();
            for (Series s : sequential) {
                rows.add(row("sequential: " + s.label(), s, baseline()));
            }
            rows.add(row("sequential: Kubevisor, create → Ready=True", ready, baseline()));
            for (Series s : interleaved) {
                rows.add(row("interleaved: " + s.label(), s, interleaved.getFirst()));
            }
            for (Series s : burst) {
                rows.add(row("burst: " + s.label(), s, burst.getFirst()));
            }
            for (int i = 0; i < warmups.size(); i++) {
                // Bare and Kubevisor alternate: each compares with the bare round before it.
                rows.add(row("warm-up (not counted): " + warmups.get(i).label(), warmups.get(i),
                        warmups.get(i - i % 2)));
            }
            sb.append(Markdown.table(List.of("series", "starts", "p50 ms", "p90 ms", "p99 ms", "max ms",
                    "ratio p50 / p99 to its baseline", "all done in s", "CPU during the series"), rows));
            sb.append("\nSequential rows compare with the first row, interleaved rows with the interleaved bare"
                    + " starts, burst rows with the bare burst. By nearest rank,"
                    + " p99 of ").append(pods).append(" samples is the ").append((int) Math.ceil(0.99 * pods))
                    .append("th smallest").append(pods <= 100 ? ", i.e. the largest" : "").append(".\n");
            if (!burstNote.isEmpty()) {
                sb.append("\n").append(burstNote).append("\n");
            }
            sb.append("\n**Latency by position** (median of each block of starts; start n meets n − 1 running):\n\n");
            sb.append(positions());
            sb.append("\n**Where Kubevisor's sequential starts go** (from its log):\n\n").append(breakdown.markdown());
            sb.append("\n**API requests about the sequential pods** (the server's own time, from its request log;"
                    + " creation and deletion):\n\n").append(requestTable());
            sb.append("\n**Host memory with all ").append(pods).append(" running** (per sandbox or pod):\n\n");
            List<List<String>> mem = new ArrayList<>();
            mem.addAll(bareIdle.rows(baseline().label()));
            mem.addAll(podIdle.rows("Kubevisor pod"));
            sb.append(Markdown.table(List.of("processes", "count", "RSS MiB", "PSS MiB", "threads"), mem));
            sb.append("\nMemAvailable fell by ").append(Footprint.mib(bareIdle.memAvailPerUnit()))
                    .append(" MiB per bare sandbox and ").append(Footprint.mib(podIdle.memAvailPerUnit()))
                    .append(" MiB per pod; the memory cgroups were charged ").append(Footprint.mib(bareIdle.cgroupPerUnit(0)))
                    .append(" MiB per bare sandbox (rss ").append(Footprint.mib(bareIdle.cgroupPerUnit(1)))
                    .append(") and ").append(Footprint.mib(podIdle.cgroupPerUnit(0))).append(" MiB per pod (rss ")
                    .append(Footprint.mib(podIdle.cgroupPerUnit(1))).append("); Kubevisor JVM RSS ").append(podIdle.jvmGrowth() >= 0 ? "+" : "")
                    .append(Footprint.mib((double) podIdle.jvmGrowth())).append(" MiB over the ").append(pods)
                    .append(" pods). After deletion the node needed ").append(Markdown.num(deleteSeconds, 1))
                    .append(" s to remove every sandbox, mount and network namespace of the ").append(pods)
                    .append(" pods.\n");
            return sb.toString();
        }

        private String requestTable() {
            List<List<String>> rows = new ArrayList<>();
            requests.forEach((shape, micros) -> {
                long[] nanos = micros.stream().mapToLong(m -> m * 1000).toArray();
                Latencies l = Latencies.of(nanos);
                rows.add(List.of("`" + shape + "`", Integer.toString(l.count()),
                        Markdown.num((double) l.count() / pods, 1), Latencies.ms(l.p50()), Latencies.ms(l.max())));
            });
            return Markdown.table(List.of("request", "count", "per pod", "median ms", "max ms"), rows);
        }

        private String positions() {
            long[] b = baseline().nanos();
            long[] k = kubevisor().nanos();
            int block = Math.max(1, pods / 5);
            List<String> header = new ArrayList<>(List.of("series"));
            List<List<String>> rows = new ArrayList<>();
            for (int from = 0; from < pods; from += block) {
                header.add("starts " + (from + 1) + "–" + Math.min(pods, from + block));
            }
            for (Series s : List.of(baseline(), kubevisor())) {
                List<String> row = new ArrayList<>(List.of(s.label()));
                for (int from = 0; from < pods; from += block) {
                    long[] part = Arrays.copyOfRange(s.nanos(), from, Math.min(pods, from + block));
                    row.add(Latencies.ms(Latencies.of(part).p50()));
                }
                rows.add(row);
            }
            List<String> ratios = new ArrayList<>(List.of("ratio"));
            for (int from = 0; from < pods; from += block) {
                long kb = Latencies.of(Arrays.copyOfRange(k, from, Math.min(pods, from + block))).p50();
                long bb = Latencies.of(Arrays.copyOfRange(b, from, Math.min(pods, from + block))).p50();
                ratios.add(Markdown.ratio(ratio(kb, bb)));
            }
            rows.add(ratios);
            return Markdown.table(header, rows);
        }

        private static List<String> row(String what, Series s, Series base) {
            return List.of(what, Integer.toString(s.lat().count()), Latencies.ms(s.lat().p50()),
                    Latencies.ms(s.lat().p90()), Latencies.ms(s.lat().p99()), Latencies.ms(s.lat().max()),
                    Markdown.ratio(ratio(s.lat().p50(), base.lat().p50())) + " / "
                            + Markdown.ratio(ratio(s.lat().p99(), base.lat().p99())),
                    Markdown.num(s.makespan(), 1), s.cpu().describe());
        }
    }

    private PodStart() {
    }

    static double ratio(long a, long b) {
        return (double) a / Math.max(1, b);
    }

    static Result run(Pods pods, BareRunsc bare, PodBenchOptions o) throws Exception {
        KubevisorProcess kv = pods.node();
        List<Path> roots = List.of(bare.stateRoot(), kv.stateRoot());
        int n = o.pods();
        Duration timeout = o.podTimeout();

        List<Series> warmups = warmUp(pods, bare, o.warmup(), timeout, roots);

        List<Series> sequential = new ArrayList<>();
        Footprint[] bareIdle = new Footprint[1];
        for (BareRunsc.Shape shape : BareRunsc.Shape.values()) {
            Progress.say("P1: " + n + " sequential starts: " + shape.label);
            sequential.add(bareSeries(bare, shape, n, kv, roots, shape == BareRunsc.Shape.NETNS ? bareIdle : null));
        }
        Progress.say("P1: " + n + " sequential Kubevisor pods");
        pods.namespace("seq");
        Footprint[] podIdle = new Footprint[1];
        KubeSeries k = kubeSeries(pods, "seq", n, timeout, roots, podIdle);
        sequential.add(k.series());
        long[] ready = k.starts().stream().mapToLong(s -> s.ready() - s.send()).toArray();
        StartBreakdown breakdown = StartBreakdown.of(k.starts(), kv.log());
        Map<String, List<Long>> requests = NodeLog.requests(kv.log(), "seq");

        Progress.say("P1: " + n + " bare starts and " + n + " Kubevisor pods, one of each in turn");
        pods.namespace("pair");
        List<Series> interleaved = interleaved(pods, bare, n, timeout, roots);

        List<Series> burst = new ArrayList<>();
        String burstNote = "";
        if (o.burst()) {
            Progress.say("P1: burst of " + n + " bare starts");
            burst.add(bareBurst(bare, n, kv, roots));
            Progress.say("P1: burst of " + n + " Kubevisor pods");
            pods.namespace("burst");
            burst.add(kubeBurst(pods, "burst", n, timeout, roots));
            burstNote = burstNote(kv.log(), "burst");
        }
        return new Result(n, sequential, Series.of("Kubevisor, create → Ready", ready, k.series().makespan(),
                k.series().cpu()), interleaved, burst, warmups, breakdown, requests, burstNote, bareIdle[0], podIdle[0],
                k.deleteSeconds());
    }

    /** The Kubevisor burst as its log shows it: scheduling, createPod concurrency, the network attach. */
    static String burstNote(Path log, String ns) {
        List<NodeLog.Pod> pods = NodeLog.parse(log).entrySet().stream().filter(e -> e.getKey().startsWith(ns + "/"))
                .map(Map.Entry::getValue).toList();
        if (pods.isEmpty()) {
            return "";
        }
        long firstScheduled = pods.stream().mapToLong(NodeLog.Pod::scheduled).filter(t -> t > 0).min().orElse(0);
        long lastScheduled = pods.stream().mapToLong(NodeLog.Pod::scheduled).max().orElse(0);
        List<long[]> edges = new ArrayList<>();
        for (NodeLog.Pod p : pods) {
            edges.add(new long[] {p.createPodEnd() - p.createPodMs(), 1});
            edges.add(new long[] {p.createPodEnd(), -1});
        }
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int inFlight = 0;
        int most = 0;
        for (long[] e : edges) {
            inFlight += (int) e[1];
            most = Math.max(most, inFlight);
        }
        double[] net = pods.stream().mapToDouble(NodeLog.Pod::networkMs).toArray();
        double[] create = pods.stream().mapToDouble(NodeLog.Pod::createPodMs).toArray();
        return "Kubevisor's burst in its log: the scheduler bound the " + pods.size() + " pods within "
                + Markdown.num((lastScheduled - firstScheduled) / 1000.0, 1) + " s; the node ran at most " + most
                + " `createPod` at once; the network attach (which holds the Kubernetes namespace's lock) took "
                + Markdown.num(StartBreakdown.median(net), 0) + " ms median, " + Markdown.num(StartBreakdown.max(net), 0)
                + " ms max; `createPod` " + Markdown.num(StartBreakdown.median(create), 0) + " ms median, "
                + Markdown.num(StartBreakdown.max(create), 0) + " ms max.";
    }

    /** Warm-up starts per round: each round's sandboxes and pods are deleted before the next. */
    static final int WARMUP_ROUND = 25;

    /**
     * Uncounted starts of each side, in rounds of at most {@value #WARMUP_ROUND} (bare, then
     * Kubevisor, each round's pods in a namespace of its own), so the node's JIT has compiled its
     * start path before the series, as on a node that has been running for a while: most of that
     * path runs a few times per pod, and on two cores the first hundred starts of a fresh JVM are
     * about 20 ms slower. Returns the first and the last round of each side, to show the change.
     */
    private static List<Series> warmUp(Pods pods, BareRunsc bare, int n, Duration timeout, List<Path> roots)
            throws Exception {
        KubevisorProcess kv = pods.node();
        int rounds = (n + WARMUP_ROUND - 1) / WARMUP_ROUND;
        List<Series> first = new ArrayList<>();
        List<Series> last = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            int size = Math.min(WARMUP_ROUND, n - (r - 1) * WARMUP_ROUND);
            Progress.say("P1: warm-up round " + r + " of " + rounds + ", " + size + " starts of each side");
            String ns = "warm" + r;
            pods.namespace(ns);
            String round = rounds == 1 ? "" : " (round " + r + " of " + rounds + ")";
            List<Series> both = List.of(
                    relabel(bareSeries(bare, BareRunsc.Shape.NETNS, size, kv, roots, null), round),
                    relabel(kubeSeries(pods, ns, size, timeout, roots, null).series(), round));
            if (r == 1) {
                first.addAll(both);
            }
            last.clear();
            last.addAll(both);
        }
        List<Series> out = new ArrayList<>(first);
        if (rounds > 1) {
            out.addAll(last);
        }
        return out;
    }

    private static Series relabel(Series s, String suffix) {
        return new Series(s.label() + suffix, s.nanos(), s.lat(), s.makespan(), s.cpu());
    }

    /** Sequential bare starts; all run until the series ends, then they are deleted. */
    private static Series bareSeries(BareRunsc bare, BareRunsc.Shape shape, int n, KubevisorProcess kv,
                                     List<Path> roots, Footprint[] footprint) throws Exception {
        long memBefore = HostProcesses.meminfo("MemAvailable");
        long[] nanos = new long[n];
        HostCpu cpu = HostCpu.start(kv, roots);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            nanos[i] = bare.start(bare.prepare(shape));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        HostCpu.Usage usage = cpu.stop();
        if (footprint != null) {
            footprint[0] = Footprint.measure(n, bare.stateRoot(), List.of(bare.memoryCgroup()), memBefore, null, 0);
        }
        bare.deleteAll(4);
        return Series.of(shape.label, nanos, seconds, usage);
    }

    private record KubeSeries(Series series, List<Pods.Start> starts, double deleteSeconds) {
    }

    private static KubeSeries kubeSeries(Pods pods, String ns, int n, Duration timeout, List<Path> roots,
                                         Footprint[] footprint) throws Exception {
        KubevisorProcess kv = pods.node();
        long memBefore = HostProcesses.meminfo("MemAvailable");
        long jvmBefore = kv.rss();
        List<Pods.Start> starts = new ArrayList<>();
        HostCpu cpu = HostCpu.start(kv, roots);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            starts.add(pods.start(ns, String.format("%s-%03d", ns, i), timeout));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        HostCpu.Usage usage = cpu.stop();
        if (footprint != null) {
            footprint[0] = Footprint.measure(n, kv.stateRoot(), kv.sandboxCgroups(), memBefore, kv, jvmBefore);
        }
        kv.rememberSandboxes();
        double deleteSeconds = pods.deleteAll(starts, Duration.ofMinutes(10));
        long[] nanos = starts.stream().mapToLong(Pods.Start::latency).toArray();
        return new KubeSeries(Series.of("Kubevisor pod, create → Running", nanos, seconds, usage), starts,
                deleteSeconds);
    }

    /**
     * A bare start and a pod start in turn ({@code n} of each; which goes first alternates), so
     * that both sides meet the same machine: between sequential series run minutes apart, the
     * bare baseline's p50 moved by up to 10% on this machine, as much as what is measured. Both
     * sides' sandboxes keep running until the end, so the i-th pair meets 2(i − 1) running.
     */
    private static List<Series> interleaved(Pods pods, BareRunsc bare, int n, Duration timeout, List<Path> roots)
            throws Exception {
        KubevisorProcess kv = pods.node();
        long[] bareNanos = new long[n];
        List<Pods.Start> starts = new ArrayList<>();
        HostCpu cpu = HostCpu.start(kv, roots);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String name = String.format("pair-%03d", i);
            if (i % 2 == 0) {
                bareNanos[i] = bare.start(bare.prepare(BareRunsc.Shape.NETNS));
                starts.add(pods.start("pair", name, timeout));
            } else {
                starts.add(pods.start("pair", name, timeout));
                bareNanos[i] = bare.start(bare.prepare(BareRunsc.Shape.NETNS));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        HostCpu.Usage usage = cpu.stop();
        kv.rememberSandboxes();
        pods.deleteAll(starts, Duration.ofMinutes(10));
        bare.deleteAll(4);
        long[] podNanos = starts.stream().mapToLong(Pods.Start::latency).toArray();
        return List.of(Series.of(BareRunsc.Shape.NETNS.label, bareNanos, seconds, usage),
                Series.of("Kubevisor pod, create → Running", podNanos, seconds, usage));
    }

    /** {@code n} bare starts released at once, each on its own thread; network namespaces prepared first. */
    private static Series bareBurst(BareRunsc bare, int n, KubevisorProcess kv, List<Path> roots) throws Exception {
        List<BareRunsc.Prepared> prepared = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            prepared.add(bare.prepare(BareRunsc.Shape.NETNS));
        }
        long[] nanos = new long[n];
        Burst burst = Burst.run(n, k -> nanos[k] = bare.start(prepared.get(k)), kv, roots);
        bare.deleteAll(4);
        burst.rethrow();
        return Series.of("bare `runsc run --detach`, pod-like netns, all at once", nanos, burst.seconds(),
                burst.usage());
    }

    /** {@code n} pods requested at once, each from its own thread (one HTTP/2 connection). */
    private static Series kubeBurst(Pods pods, String ns, int n, Duration timeout, List<Path> roots)
            throws Exception {
        KubevisorProcess kv = pods.node();
        Pods.Start[] starts = new Pods.Start[n];
        Burst burst = Burst.run(n, k -> starts[k] = pods.startAmongOthers(ns, String.format("%s-%03d", ns, k), timeout), kv,
                roots);
        kv.rememberSandboxes();
        List<Pods.Start> done = Arrays.stream(starts).filter(s -> s != null).toList();
        pods.deleteAll(done, Duration.ofMinutes(10));
        burst.rethrow();
        return Series.of("Kubevisor pods, all requested at once", done.stream().mapToLong(Pods.Start::latency)
                .toArray(), burst.seconds(), burst.usage());
    }

    /**
     * {@code n} tasks, each on its own virtual thread, released together: how long until all
     * ended, the host CPU meanwhile, and the last failure (kept so that the caller cleans up first).
     */
    private record Burst(double seconds, HostCpu.Usage usage, RuntimeException failure) {

        /** The {@code k}-th task of a burst. */
        interface Task {
            void run(int k) throws InterruptedException;
        }

        static Burst run(int n, Task task, KubevisorProcess kv, List<Path> roots)
                throws InterruptedException {
            RuntimeException[] error = new RuntimeException[1];
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                        task.run(k);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        synchronized (error) {
                            error[0] = e;
                        }
                    }
                }));
            }
            HostCpu cpu = HostCpu.start(kv, roots);
            long t0 = System.nanoTime();
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Burst(seconds, cpu.stop(), error[0]);
        }

        void rethrow() {
            if (failure != null) {
                throw failure;
            }
        }
    }
}
