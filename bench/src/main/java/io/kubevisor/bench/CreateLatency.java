package io.kubevisor.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.kubevisor.store.sqlite.SqliteOptions;
import io.kubevisor.store.sqlite.SqliteStore;

/**
 * Scenario 2: create latency at a fixed request rate, open loop, against the store's own create
 * latency at the same rate (in process, on another file).
 */
final class CreateLatency {

    static final long TARGET_P99_NANOS = 50_000_000L;

    /**
     * @param rate  requests per second
     * @param api   creates over HTTP/2
     * @param store {@code SqliteStore.create} called directly
     */
    record Result(int rate, Duration duration, int rounds, OpenLoop.Outcome api, OpenLoop.Outcome store,
                  Latencies apiLatency, Latencies storeLatency) implements Section {

        @Override
        public String title() {
            return "2. Create latency at " + rate + " req/s";
        }

        @Override
        public List<List<String>> summary() {
            return List.of(List.of(title() + " (p99)", Latencies.ms(apiLatency.p99()) + " ms",
                    Latencies.ms(storeLatency.p99()) + " ms (store.create)",
                    Markdown.ratio((double) apiLatency.p99() / storeLatency.p99()),
                    "p99 ≤ " + Latencies.ms(TARGET_P99_NANOS) + " ms",
                    Markdown.verdict(apiLatency.p99() <= TARGET_P99_NANOS && api.errors() == 0)));
        }

        @Override
        public String details() {
            return Markdown.table(List.of("what", "requests", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors",
                    "max send lag ms", "CPU"), List.of(
                    row("API (POST over HTTP/2, 1 connection)", api, apiLatency),
                    row("store.create in process", store, storeLatency),
                    List.of("ratio API / store", "", ratio(apiLatency.p50(), storeLatency.p50()),
                            ratio(apiLatency.p90(), storeLatency.p90()), ratio(apiLatency.p99(), storeLatency.p99()),
                            ratio(apiLatency.max(), storeLatency.max()), "", "", "")))
                    + "\nOpen loop: sends are scheduled every " + 1000.0 / rate + " ms and each latency runs from"
                    + " the scheduled time, so a stalled sender counts against the system. " + duration.toSeconds()
                    + " s per side in " + rounds + " slices, API and store alternating, after a 5 s warm-up of"
                    + " each. Max send lag is the worst delay of a send behind its schedule.\n";
        }

        private static List<String> row(String what, OpenLoop.Outcome o, Latencies l) {
            return List.of(what, Integer.toString(l.count()), Latencies.ms(l.p50()), Latencies.ms(l.p90()),
                    Latencies.ms(l.p99()), Latencies.ms(l.max()),
                    o.errors() == 0 ? "0" : o.errors() + " (" + o.firstError() + ")", Latencies.ms(o.maxLag()),
                    o.cpu().describe());
        }

        private static String ratio(long a, long b) {
            return Markdown.ratio((double) a / Math.max(b, 1));
        }
    }

    private CreateLatency() {
    }

    static Result run(KubeClient client, Path dir, BenchOptions options) throws Exception {
        int rate = options.latencyRate();
        Duration slice = options.slice(options.latencyDuration());
        Duration warm = Duration.ofSeconds(Math.min(5, options.latencyDuration().toSeconds()));
        byte[] stored = client.create(Payloads.CONFIGMAPS, Payloads.configMap("lat-probe", "v"));
        try (SqliteStore s = SqliteStore.open(dir.resolve("latency-store.db"), SqliteOptions.defaults())) {
            Progress.say("scenario 2: warm-up at " + rate + "/s for " + warm.toSeconds() + " s each");
            OpenLoop.run(rate, warm, seq -> client.create(Payloads.CONFIGMAPS, Payloads.configMap("lw-" + seq, "v")));
            OpenLoop.run(rate, warm, seq -> s.create("/registry/configmaps/bench/lw-" + seq, stored));
            OpenLoop.Outcome api = null;
            OpenLoop.Outcome store = null;
            for (int r = 0; r < options.rounds(); r++) {
                Progress.say("scenario 2: round " + (r + 1) + " of " + options.rounds() + ", " + slice.toSeconds()
                        + " s at " + rate + "/s each");
                String prefix = "lat-r" + r + "-";
                OpenLoop.Outcome a = OpenLoop.run(rate, slice,
                        seq -> client.create(Payloads.CONFIGMAPS, Payloads.configMap(prefix + seq, "v")));
                OpenLoop.Outcome b = OpenLoop.run(rate, slice,
                        seq -> s.create("/registry/configmaps/bench/" + prefix + seq, stored));
                api = api == null ? a : api.plus(a);
                store = store == null ? b : store.plus(b);
            }
            return new Result(rate, options.latencyDuration(), options.rounds(), api, store, Latencies.of(api.nanos().clone()),
                    Latencies.of(store.nanos().clone()));
        }
    }
}
