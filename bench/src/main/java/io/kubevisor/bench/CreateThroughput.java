package io.kubevisor.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.kubevisor.store.sqlite.SqliteOptions;
import io.kubevisor.store.sqlite.SqliteStore;

/**
 * Scenario 1: durable ConfigMap creates per second over HTTP/2 with 1, 16 and 64 concurrent
 * clients, against raw durable SQLite inserts (one per transaction) in the same run. Every
 * configuration is measured in slices, the API and the baseline alternating, so background load
 * that comes and goes weighs on both.
 */
final class CreateThroughput {

    static final double TARGET = 0.5;
    private static final List<Integer> CLIENTS = List.of(1, 16, 64);
    /** Clients per HTTP/2 connection, as goroutines share one client-go transport. */
    private static final int CLIENTS_PER_CONNECTION = 16;

    /**
     * @param label       what was measured
     * @param clients     concurrent callers
     * @param connections HTTP/2 connections they share (0 for the raw baseline)
     * @param slices      one outcome per slice
     */
    record Point(String label, int clients, int connections, List<ClosedLoop.Outcome> slices) {
        ClosedLoop.Outcome total() {
            return slices.stream().reduce(ClosedLoop.Outcome::plus).orElseThrow();
        }

        double rate() {
            return total().rate();
        }

        String sliceRates() {
            return String.join(" / ", slices.stream().map(o -> Markdown.rate(o.rate())).toList());
        }
    }

    /**
     * @param api      one point per client count
     * @param raw1     raw inserts from one thread
     * @param raw16    raw inserts from 16 threads serialized on one connection
     * @param diagnostics rows that split the create time, not baselines: the transport alone
     *                    (GET /version), an authenticated read, and the store's own create
     * @param rowBytes size of the raw rows' value: the JSON the server stored for one ConfigMap
     */
    record Result(List<Point> api, Point raw1, Point raw16, List<Point> diagnostics,
                  int rowBytes) implements Section {

        @Override
        public String title() {
            return "1. Durable creates/s over HTTP/2";
        }

        /** The raw rate a client count is judged against: one thread for one client, else 16. */
        Point baselineFor(Point p) {
            return p.clients() == 1 ? raw1 : raw16;
        }

        /**
         * The median over slices of API rate ÷ raw rate in the same round. Other processes' disk
         * and CPU bursts hit single slices; the median of paired slices shrugs them off where a
         * ratio of totals would not.
         */
        static double pairedRatio(Point api, Point base) {
            int n = Math.min(api.slices().size(), base.slices().size());
            double[] r = new double[n];
            for (int i = 0; i < n; i++) {
                r[i] = api.slices().get(i).rate() / base.slices().get(i).rate();
            }
            Arrays.sort(r);
            return n % 2 == 1 ? r[n / 2] : (r[n / 2 - 1] + r[n / 2]) / 2;
        }

        @Override
        public List<List<String>> summary() {
            List<List<String>> rows = new ArrayList<>();
            for (Point p : api) {
                Point base = baselineFor(p);
                double ratio = pairedRatio(p, base);
                rows.add(List.of("1. Creates/s, " + p.clients() + (p.clients() == 1 ? " client (headline)"
                                : " clients"),
                        Markdown.rate(p.rate()) + "/s",
                        Markdown.rate(base.rate()) + "/s (raw SQLite, " + base.clients()
                                + (base.clients() == 1 ? " thread)" : " threads)"),
                        Markdown.ratio(ratio) + " (of totals: " + Markdown.ratio(p.rate() / base.rate()) + ")",
                        "≥ " + Markdown.ratio(TARGET), Markdown.verdict(ratio >= TARGET)));
            }
            return rows;
        }

        @Override
        public String details() {
            List<List<String>> rows = new ArrayList<>();
            for (Point p : api) {
                rows.add(row(p));
            }
            rows.add(row(raw1));
            rows.add(row(raw16));
            diagnostics.forEach(d -> rows.add(row(d)));
            return Markdown.table(List.of("what", "ops", "seconds", "ops/s", "ops/s per slice",
                    "ratio to raw 1 thread (paired median)", "mean latency", "errors", "CPU (average)"), rows)
                    + "\nSlices run in rounds (API 1, 16, 64 clients, raw 1, raw 16 threads, the diagnostics, then again), so the"
                    + " ratios in the summary are medians of the per-round ratios; the ratio of the totals is beside"
                    + " it. The diagnostic rows are not baselines; they split the create time: GET /version from"
                    + " one client (public, so HTTP/2 + TLS + dispatch only), GET of one ConfigMap (adds client"
                    + " certificate authentication, RBAC and a store read), and SqliteStore.create called in"
                    + " process on a fresh file (the store's own durable create, no API). Raw rows: a " + rowBytes + "-byte value (the JSON the server stored for one of these"
                    + " ConfigMaps) under a unique ~45-byte key. Mean latency is clients ÷ rate.\n";
        }

        private List<String> row(Point p) {
            ClosedLoop.Outcome o = p.total();
            double meanMs = p.clients() * 1000.0 / Math.max(o.rate(), 1e-9);
            return List.of(p.label(), Long.toString(o.completed()), Markdown.num(o.seconds(), 0),
                    Markdown.rate(o.rate()), p.sliceRates(), Markdown.ratio(pairedRatio(p, raw1)),
                    Markdown.num(meanMs, 2) + " ms", o.errors() == 0 ? "0" : o.errors() + " (" + o.firstError() + ")",
                    o.cpu().describe());
        }
    }

    private CreateThroughput() {
    }

    static Result run(KubeClient client, Path dir, BenchOptions options) throws Exception {
        // One ConfigMap as the server stores it gives the raw baseline a row of the same size.
        byte[] stored = client.create(Payloads.CONFIGMAPS, Payloads.configMap("probe", value(0)));
        List<KubeClient> connections = new ArrayList<>(List.of(client));
        for (int i = 1; i < 64 / CLIENTS_PER_CONNECTION; i++) {
            connections.add(client.newConnection());
        }
        Duration slice = options.slice(options.measure());
        try (RawSqlite raw = RawSqlite.open(dir.resolve("raw-inserts.db"));
             SqliteStore store = SqliteStore.open(dir.resolve("create-store.db"), SqliteOptions.defaults())) {
            Progress.say("scenario 1: warm-up, " + options.warmup().toSeconds() + " s");
            apiSlice(connections, "warm64", 64, options.warmup().multipliedBy(2).dividedBy(3));
            apiSlice(connections, "warm1", 1, options.warmup().dividedBy(3));
            raw.insert("warm", 1, Duration.ofSeconds(2), stored);

            List<List<ClosedLoop.Outcome>> api = new ArrayList<>();
            CLIENTS.forEach(c -> api.add(new ArrayList<>()));
            List<ClosedLoop.Outcome> raw1 = new ArrayList<>();
            List<ClosedLoop.Outcome> raw16 = new ArrayList<>();
            List<ClosedLoop.Outcome> floor = new ArrayList<>();
            List<ClosedLoop.Outcome> read = new ArrayList<>();
            List<ClosedLoop.Outcome> store1 = new ArrayList<>();
            List<ClosedLoop.Outcome> store64 = new ArrayList<>();
            for (int r = 0; r < options.rounds(); r++) {
                Progress.say("scenario 1: round " + (r + 1) + " of " + options.rounds() + ", " + slice.toSeconds()
                        + " s per configuration");
                for (int i = 0; i < CLIENTS.size(); i++) {
                    api.get(i).add(apiSlice(connections, "c" + CLIENTS.get(i) + "r" + r, CLIENTS.get(i), slice));
                }
                raw1.add(raw.insert("t1r" + r, 1, slice, stored));
                raw16.add(raw.insert("t16r" + r, 16, slice, stored));
                floor.add(ClosedLoop.run(1, slice, (worker, seq) -> client.get("/version", KubeClient.JSON)));
                read.add(ClosedLoop.run(1, slice,
                        (worker, seq) -> client.get(Payloads.CONFIGMAPS + "/probe", KubeClient.JSON)));
                String round = "r" + r;
                store1.add(ClosedLoop.run(1, slice, (worker, seq) -> store.create(
                        "/registry/configmaps/bench/s1" + round + "-" + seq, stored)));
                store64.add(ClosedLoop.run(64, slice, (worker, seq) -> store.create(
                        "/registry/configmaps/bench/s64" + round + "-" + worker + "-" + seq, stored)));
            }
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < CLIENTS.size(); i++) {
                int clients = CLIENTS.get(i);
                int conns = connectionsFor(clients);
                points.add(new Point("API, " + clients + (clients == 1 ? " client" : " clients") + " on " + conns
                        + " HTTP/2 connection" + (conns == 1 ? "" : "s"), clients, conns, api.get(i)));
            }
            return new Result(points, new Point("raw SQLite, 1 thread", 1, 0, raw1),
                    new Point("raw SQLite, 16 threads on 1 connection", 16, 0, raw16),
                    List.of(new Point("diagnostic: API, 1 client, GET /version", 1, 1, floor),
                            new Point("diagnostic: API, 1 client, GET one ConfigMap", 1, 1, read),
                            new Point("diagnostic: SqliteStore.create, 1 thread", 1, 0, store1),
                            new Point("diagnostic: SqliteStore.create, 64 threads", 64, 0, store64)),
                    stored.length);
        } finally {
            for (int i = 1; i < connections.size(); i++) {
                connections.get(i).http().close();
            }
        }
    }

    private static int connectionsFor(int clients) {
        return (clients + CLIENTS_PER_CONNECTION - 1) / CLIENTS_PER_CONNECTION;
    }

    private static ClosedLoop.Outcome apiSlice(List<KubeClient> connections, String phase, int clients,
                                               Duration duration) throws InterruptedException {
        int conns = connectionsFor(clients);
        return ClosedLoop.run(clients, duration, (worker, seq) -> connections.get(worker % conns)
                .create(Payloads.CONFIGMAPS, Payloads.configMap(phase + "-" + worker + "-" + seq, value(seq))));
    }

    private static String value(long seq) {
        return "hello-" + seq + "-abcdefghijklmnopqrstuvwxyz0123456789";
    }
}
