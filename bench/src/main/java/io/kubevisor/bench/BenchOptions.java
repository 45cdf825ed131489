package io.kubevisor.bench;

import static io.kubevisor.bench.BenchArgs.number;
import static io.kubevisor.bench.BenchArgs.value;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What to run and for how long. Immutable.
 *
 * @param warmup           unmeasured load before the throughput phases (the JIT needs about half a
 *                         minute of load on two cores before it stops compiling)
 * @param measure          total measured time of each throughput configuration
 * @param rounds           how many slices each measurement is cut into; the API and its baseline
 *                         alternate slice by slice, so load from other processes hits both alike
 * @param latencyRate      requests per second of the latency scenario
 * @param latencyDuration  total measured time of the latency scenario, per side
 * @param pods             pods created for the LIST scenario
 * @param listRuns         timed LIST runs per format
 * @param watchers         concurrent watches
 * @param watchConnections HTTP/2 connections the watches are spread over
 * @param changes          updates the watchers receive
 * @param dataDir          where the control plane and baseline stores live (null: a temp dir)
 * @param keep             keep the data dir afterwards
 * @param scenarios        which scenarios (1–4) to run, iterated in ascending order
 */
record BenchOptions(Duration warmup, Duration measure, int rounds, int latencyRate, Duration latencyDuration,
                    int pods, int listRuns, int watchers, int watchConnections, int changes, Path dataDir,
                    boolean keep, Set<Integer> scenarios) {

    BenchOptions {
        scenarios = Collections.unmodifiableSortedSet(new TreeSet<>(scenarios));
    }

    static final String USAGE = """
            usage: ApiServerBench [--quick] [--data-dir DIR] [--keep] [--scenarios 1,2,3,4]
                                  [--measure SECONDS] [--rounds N] [--pods N] [--watchers N]
              --quick       a short smoke run (seconds instead of minutes; numbers not for the report)
              --data-dir    where the control plane and the baseline databases live (default: a temp dir)
              --keep        keep the data dir afterwards
              --scenarios   comma-separated subset of 1 (create throughput), 2 (create latency),
                            3 (LIST), 4 (watch fan-out)
              --measure     seconds measured per throughput configuration (default 15)
              --rounds      slices per measurement, API and baseline alternating (default 5)
              --pods        pods listed in scenario 3 (default 10000)
              --watchers    watches in scenario 4, 100 per HTTP/2 connection (default 1000)""";

    /** @throws IllegalArgumentException on an unknown or malformed argument */
    static BenchOptions parse(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        Duration warmup = Duration.ofSeconds(quick ? 3 : 15);
        Duration measure = Duration.ofSeconds(quick ? 4 : 15);
        int rounds = quick ? 2 : 5;
        Duration latencyDuration = Duration.ofSeconds(quick ? 4 : 20);
        int pods = quick ? 1000 : 10_000;
        int listRuns = quick ? 3 : 5;
        int watchers = quick ? 100 : 1000;
        int changes = quick ? 3 : 5;
        Path dataDir = null;
        boolean keep = false;
        Set<Integer> scenarios = new TreeSet<>(List.of(1, 2, 3, 4));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> { }
                case "--keep" -> keep = true;
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, a));
                case "--measure" -> measure = Duration.ofSeconds(number(value(args, ++i, a), a, 1));
                case "--rounds" -> rounds = number(value(args, ++i, a), a, 1);
                case "--pods" -> pods = number(value(args, ++i, a), a, 1);
                case "--watchers" -> watchers = number(value(args, ++i, a), a, 1);
                case "--scenarios" -> {
                    Set<Integer> s = new TreeSet<>();
                    for (String part : value(args, ++i, a).split(",")) {
                        int n = number(part.trim(), a, 1);
                        if (n > 4) {
                            throw new IllegalArgumentException("no scenario " + n);
                        }
                        s.add(n);
                    }
                    scenarios = s;
                }
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        return new BenchOptions(warmup, measure, rounds, 500, latencyDuration, pods, listRuns, watchers,
                Math.max(1, (watchers + 99) / 100), changes, dataDir, keep, scenarios);
    }

    /** One slice of a measurement of {@code total}. */
    Duration slice(Duration total) {
        return total.dividedBy(rounds);
    }
}
