package io.kubevisor.bench;

import static io.kubevisor.bench.BenchArgs.number;
import static io.kubevisor.bench.BenchArgs.value;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the pod benchmark runs. Immutable.
 *
 * @param pods         starts per sequential series (each side), and pods per burst
 * @param burst        whether the burst series run (all pods requested at once)
 * @param warmup       uncounted starts of each side before the series, in rounds of {@link PodStart#WARMUP_ROUND}
 * @param idle         idle pods to reach (0: skip the idle scenario)
 * @param idleStep     idle pods between two measurements
 * @param idleParallel pod creations in flight while filling the node
 * @param maxPods      the node's pods capacity ({@code kubevisor up --max-pods})
 * @param podTimeout   how long one pod may take to run before the idle fill stops (the start series fail)
 * @param dataDir      where the run's directory goes (null: a temp dir)
 * @param keep         keep the run's directory (logs, bundles) afterwards
 */
record PodBenchOptions(int pods, boolean burst, int warmup, int idle, int idleStep, int idleParallel,
                       int maxPods, Duration podTimeout, Path dataDir, boolean keep) {

    static final String USAGE = """
            usage: PodStartBench [--quick] [--pods N] [--warmup N] [--no-burst] [--idle N] [--idle-step N]
                                 [--idle-parallel N] [--max-pods N] [--data-dir DIR] [--keep]
              --quick          a smoke run: 10 starts per series, 20 idle pods (numbers not for the report)
              --pods           starts per sequential series and pods per burst (default 50)
              --warmup         uncounted starts of each side first, in rounds of 25 (default 100; the JIT
                               compiles the node's start path over the first hundred or so)
              --no-burst       skip the burst series
              --idle           idle pods to reach; 0 skips the idle scenario (default 300)
              --idle-step      idle pods between memory measurements (default 50)
              --idle-parallel  pod creations in flight while filling the node (default 4)
              --max-pods       the node's pods capacity, passed to `kubevisor up --max-pods` (default: 110,
                               the kubelet's, or --idle + 10 when that is more)
              --data-dir       where the run's directory goes (default: a temp dir)
              --keep           keep the run's directory (Kubevisor's log, bundles) afterwards
            Environment: KUBEVISOR_JAVA_OPTS, extra flags for the Kubevisor JVM (e.g. a flight recording).""";

    /** @throws IllegalArgumentException on an unknown or malformed argument */
    static PodBenchOptions parse(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        int pods = quick ? 10 : 50;
        boolean burst = true;
        int warmup = quick ? 2 : 100;
        int idle = quick ? 20 : 300;
        int idleStep = quick ? 10 : 50;
        int idleParallel = 4;
        Path dataDir = null;
        boolean keep = false;
        Integer maxPods = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> { }
                case "--keep" -> keep = true;
                case "--no-burst" -> burst = false;
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, a));
                case "--pods" -> pods = number(value(args, ++i, a), a, 1);
                case "--warmup" -> warmup = number(value(args, ++i, a), a, 0);
                case "--idle" -> idle = number(value(args, ++i, a), a, 0);
                case "--idle-step" -> idleStep = number(value(args, ++i, a), a, 1);
                case "--idle-parallel" -> idleParallel = number(value(args, ++i, a), a, 1);
                case "--max-pods" -> maxPods = number(value(args, ++i, a), a, 1);
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        int capacity = maxPods != null ? maxPods : Math.max(KubevisorProcess.SHIPPED_MAX_PODS, idle + 10);
        return new PodBenchOptions(pods, burst, warmup, idle, idleStep, idleParallel, capacity, Duration.ofMinutes(3),
                dataDir, keep);
    }
}
