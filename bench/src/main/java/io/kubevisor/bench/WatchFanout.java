package io.kubevisor.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.kubevisor.api.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scenario 4 (API side): many HTTP/2 watches on one namespace's ConfigMaps, then one ConfigMap
 * updated a few times; for each change, every watcher's delay from just before the PUT to
 * reading its MODIFIED event. The store baseline is {@link StoreWatchFanout}.
 */
final class WatchFanout {

    static final long TARGET_P99_NANOS = 100_000_000L;

    /**
     * @param watchers    concurrent watches
     * @param connections HTTP/2 connections they are spread over
     * @param changes     updates made
     * @param setupSeconds time to open every watch (all response headers received)
     * @param api         delays of every watcher for every change, nanoseconds
     * @param store       the same with in-process store watches
     * @param perChange   the API delays of each counted change
     * @param warmApi     the API delays of the uncounted first change
     * @param warmStore   the store delays of the uncounted first change
     * @param cpu         CPU use over the counted changes
     */
    record Result(int watchers, int connections, int changes, double setupSeconds, Latencies api,
                  Latencies store, List<Latencies> perChange, Latencies warmApi, Latencies warmStore,
                  CpuMeter.Usage cpu) implements Section {

        @Override
        public String title() {
            return "4. " + watchers + " watchers receiving one change";
        }

        @Override
        public List<List<String>> summary() {
            return List.of(List.of(title() + " (p99)", Latencies.ms(api.p99()) + " ms",
                    Latencies.ms(store.p99()) + " ms (store watches)", Markdown.ratio((double) api.p99() / store.p99()),
                    "p99 ≤ " + Latencies.ms(TARGET_P99_NANOS) + " ms",
                    Markdown.verdict(api.p99() <= TARGET_P99_NANOS && api.count() == watchers * changes)));
        }

        @Override
        public String details() {
            List<List<String>> rows = new ArrayList<>();
            rows.add(row("API, warm-up change (not counted)", warmApi));
            rows.add(row("store, warm-up change (not counted)", warmStore));
            rows.add(row("API, all " + changes + " counted changes", api));
            for (int i = 0; i < perChange.size(); i++) {
                rows.add(row("API, change " + (i + 1), perChange.get(i)));
            }
            rows.add(row("store watches in process, all " + changes + " counted changes", store));
            rows.add(List.of("ratio API / store", "", ratio(api.p50(), store.p50()), "", ratio(api.p99(), store.p99()),
                    ratio(api.max(), store.max())));
            return Markdown.table(List.of("what", "events", "p50 ms", "p90 ms", "p99 ms", "max ms"), rows)
                    + "\n" + watchers + " watches over " + connections + " HTTP/2 connection"
                    + (connections == 1 ? "" : "s") + " (" + watchers / connections + " streams each) took " + Markdown.num(setupSeconds, 1)
                    + " s to open. API and store changes alternate, 300 ms apart. CPU during the changes (both"
                    + " kinds): " + cpu.describe() + ".\n";
        }

        private static List<String> row(String what, Latencies l) {
            return List.of(what, Integer.toString(l.count()), Latencies.ms(l.p50()), Latencies.ms(l.p90()),
                    Latencies.ms(l.p99()), Latencies.ms(l.max()));
        }

        private static String ratio(long a, long b) {
            return Markdown.ratio((double) a / Math.max(b, 1));
        }
    }

    private WatchFanout() {
    }

    static Result run(KubeClient client, java.nio.file.Path dir, BenchOptions options) throws Exception {
        int watchers = options.watchers();
        int connections = options.watchConnections();
        int changes = options.changes();
        // One extra, uncounted change first: it meets a cold JIT on the delivery path.
        int total = changes + 1;
        ObjectNode cm = (ObjectNode) Json.parse(client.create(Payloads.CONFIGMAPS,
                Payloads.configMap("watched", "v0")));
        String rv = cm.path("metadata").path("resourceVersion").asString();

        Progress.say("scenario 4: opening " + watchers + " watches on " + connections + " connection(s)");
        List<KubeClient> conns = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            conns.add(client.newConnection());
        }
        long[][] arrivals = new long[total][watchers];
        CountDownLatch[] latches = new CountDownLatch[total];
        for (int k = 0; k < total; k++) {
            latches[k] = new CountDownLatch(watchers);
        }
        long t0 = System.nanoTime();
        List<CompletableFuture<HttpResponse<InputStream>>> opened = new ArrayList<>();
        String path = Payloads.CONFIGMAPS + "?watch=1&timeoutSeconds=600&resourceVersion=" + rv;
        for (int w = 0; w < watchers; w++) {
            KubeClient c = conns.get(w % connections);
            opened.add(c.http().sendAsync(c.request(path).timeout(Duration.ofMinutes(10))
                    .header("Accept", KubeClient.JSON).GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
        }
        List<InputStream> bodies = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        for (int w = 0; w < watchers; w++) {
            HttpResponse<InputStream> response = opened.get(w).get(2, TimeUnit.MINUTES);
            KubeClient.requireHttp2(response);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("watch " + w + " answered " + response.statusCode());
            }
            bodies.add(response.body());
            int watcher = w;
            readers.add(Thread.ofVirtual().start(() -> read(response.body(), watcher, arrivals, latches)));
        }
        double setupSeconds = (System.nanoTime() - t0) / 1e9;

        Progress.say("scenario 4: " + watchers + " store watches for the baseline");
        List<Latencies> perChange = new ArrayList<>();
        List<long[]> all = new ArrayList<>();
        List<long[]> storeAll = new ArrayList<>();
        CpuMeter.Usage usage;
        Latencies warmApi = null;
        Latencies warmStore = null;
        try (StoreWatchFanout store = StoreWatchFanout.open(dir.resolve("watch-store.db"), watchers, total)) {
            Progress.say("scenario 4: 1 + " + changes + " changes, API and store in turn");
            CpuMeter cpu = null;
            for (int k = 0; k < total; k++) {
                Thread.sleep(300);
                ((ObjectNode) cm.path("data")).put("greeting", "v" + (k + 1));
                long before = System.nanoTime();
                cm = (ObjectNode) Json.parse(client.replace(Payloads.CONFIGMAPS + "/watched", Json.string(cm)));
                if (!latches[k].await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("change " + (k + 1) + ": only "
                            + (watchers - latches[k].getCount()) + " of " + watchers + " watchers saw it in 60 s");
                }
                long[] delays = new long[watchers];
                for (int w = 0; w < watchers; w++) {
                    delays[w] = arrivals[k][w] - before;
                }
                Thread.sleep(300);
                long[] storeDelays = store.change(k);
                if (k == 0) {
                    warmApi = Latencies.of(delays);
                    warmStore = Latencies.of(storeDelays);
                    cpu = CpuMeter.start();
                } else {
                    all.add(delays.clone());
                    perChange.add(Latencies.of(delays));
                    storeAll.add(storeDelays);
                }
            }
            usage = cpu.stop();
        } finally {
            for (InputStream in : bodies) {
                in.close();
            }
            for (Thread t : readers) {
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
            for (KubeClient c : conns) {
                c.http().shutdownNow();
            }
        }
        return new Result(watchers, connections, changes, setupSeconds, Latencies.of(concat(all)),
                Latencies.of(concat(storeAll)), perChange, warmApi, warmStore, usage);
    }

    /**
     * Records when each MODIFIED line arrives; the k-th one a watcher reads is change k. Keeps
     * reading until the stream is closed, so that no watch ends (and makes the server tear it
     * down) while other watchers still wait for the last change.
     */
    private static void read(InputStream body, int watcher, long[][] arrivals, CountDownLatch[] latches) {
        try (var reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            int k = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                long now = System.nanoTime();
                if (k < latches.length && line.contains("\"type\":\"MODIFIED\"")) {
                    arrivals[k][watcher] = now;
                    latches[k++].countDown();
                }
            }
        } catch (IOException e) {
            // closed at the end of the scenario
        }
    }

    static long[] concat(List<long[]> parts) {
        int n = parts.stream().mapToInt(a -> a.length).sum();
        long[] out = new long[n];
        int i = 0;
        for (long[] a : parts) {
            System.arraycopy(a, 0, out, i, a.length);
            i += a.length;
        }
        return out;
    }
}
