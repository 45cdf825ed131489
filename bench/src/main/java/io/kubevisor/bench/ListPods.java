package io.kubevisor.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.kubevisor.api.Json;
import io.kubevisor.store.KeyValue;
import io.kubevisor.store.ListRequest;
import io.kubevisor.store.ListResult;
import io.kubevisor.store.sqlite.SqliteOptions;
import io.kubevisor.store.sqlite.SqliteStore;
import tools.jackson.databind.JsonNode;

/**
 * Scenario 3: LIST of many realistic pods as JSON and as a Table, against {@code store.list} of
 * the same stored values on a separate store in process.
 */
final class ListPods {

    /**
     * One kind of read, repeated.
     *
     * @param what  label
     * @param nanos duration of each timed run, to the last byte
     * @param bytes response size (for the store: sum of value sizes)
     * @param items items (or rows) in the answer
     */
    record Timing(String what, long[] nanos, long bytes, int items) {
        long median() {
            long[] s = nanos.clone();
            Arrays.sort(s);
            return s[s.length / 2];
        }

        long max() {
            return Arrays.stream(nanos).max().orElse(0);
        }
    }

    record Result(int pods, int requestBytes, double createSeconds, Timing json, Timing table, Timing store)
            implements Section {

        @Override
        public String title() {
            return "3. LIST of " + pods + " pods";
        }

        @Override
        public List<List<String>> summary() {
            return List.of(
                    List.of(title() + " as JSON (median)", Latencies.ms(json.median()) + " ms",
                            Latencies.ms(store.median()) + " ms (store.list)",
                            Markdown.ratio((double) json.median() / store.median()), "none set", "—"),
                    List.of(title() + " as Table (median)", Latencies.ms(table.median()) + " ms",
                            Latencies.ms(store.median()) + " ms (store.list)",
                            Markdown.ratio((double) table.median() / store.median()), "none set", "—"));
        }

        @Override
        public String details() {
            List<List<String>> rows = new ArrayList<>();
            for (Timing t : List.of(json, table, store)) {
                rows.add(List.of(t.what(), Integer.toString(t.nanos().length), Latencies.ms(t.median()),
                        Latencies.ms(t.max()), Markdown.ratio((double) t.median() / store.median()),
                        Markdown.bytes(t.bytes()), Integer.toString(t.items())));
            }
            return Markdown.table(List.of("what", "runs", "median ms", "max ms", "ratio to store.list (median)",
                    "size", "items"), rows)
                    + "\nSetup: " + pods + " pods (" + requestBytes + " bytes of JSON each as sent) created by 64"
                    + " concurrent clients on 4 HTTP/2 connections in " + Markdown.num(createSeconds, 1) + " s ("
                    + Markdown.rate(pods / createSeconds) + " creates/s). One untimed warm-up run of each, then"
                    + " the timed runs alternate JSON, Table, store.list; times are to the last byte.\n";
        }
    }

    private ListPods() {
    }

    static Result run(KubeClient client, Path dir, BenchOptions options) throws Exception {
        int pods = options.pods();
        Progress.say("scenario 3: creating " + pods + " pods");
        double createSeconds = createPods(client, pods);

        Progress.say("scenario 3: store baseline with the same " + pods + " values");
        HttpRequest json = client.request(Payloads.PODS).header("Accept", KubeClient.JSON).GET().build();
        HttpRequest table = client.request(Payloads.PODS).header("Accept", KubeClient.TABLE).GET().build();
        // The untimed first JSON list doubles as the source of the baseline's values.
        JsonNode list = Json.parse(KubeClient.expect(200, client.send(json)));
        KubeClient.expect(200, client.send(table));
        try (SqliteStore store = SqliteStore.open(dir.resolve("list-store.db"), SqliteOptions.defaults())) {
            fill(store, list);
            ListRequest all = ListRequest.all("/registry/pods/bench/");
            store.list(all);

            Progress.say("scenario 3: " + options.listRuns() + " runs of JSON, Table and store.list in turn");
            int runs = options.listRuns();
            long[][] nanos = new long[3][runs];
            HttpResponse<byte[]> lastJson = null;
            HttpResponse<byte[]> lastTable = null;
            ListResult lastStore = null;
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                lastJson = client.send(json);
                long t1 = System.nanoTime();
                lastTable = client.send(table);
                long t2 = System.nanoTime();
                lastStore = store.list(all);
                long t3 = System.nanoTime();
                KubeClient.expect(200, lastJson);
                KubeClient.expect(200, lastTable);
                nanos[0][r] = t1 - t0;
                nanos[1][r] = t2 - t1;
                nanos[2][r] = t3 - t2;
            }
            int jsonItems = Json.parse(lastJson.body()).path("items").size();
            int tableRows = Json.parse(lastTable.body()).path("rows").size();
            if (jsonItems != pods || tableRows != pods || lastStore.items().size() != pods) {
                throw new IllegalStateException("expected " + pods + " pods, listed " + jsonItems + " as JSON, "
                        + tableRows + " as Table and " + lastStore.items().size() + " from the store");
            }
            long storeBytes = 0;
            for (KeyValue kv : lastStore.items()) {
                storeBytes += kv.value().length;
            }
            return new Result(pods, Payloads.pod(podName(0)).length(), createSeconds,
                    new Timing("API LIST as JSON", nanos[0], lastJson.body().length, jsonItems),
                    new Timing("API LIST as Table", nanos[1], lastTable.body().length, tableRows),
                    new Timing("store.list in process (same values)", nanos[2], storeBytes, pods));
        }
    }

    /** Creates the pods from 64 clients on 4 connections; returns the seconds it took. */
    private static double createPods(KubeClient client, int pods) throws InterruptedException {
        List<KubeClient> conns = List.of(client, client.newConnection(), client.newConnection(),
                client.newConnection());
        var next = new AtomicInteger();
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 64; w++) {
            KubeClient c = conns.get(w % conns.size());
            workers.add(Thread.ofVirtual().start(() -> {
                for (int i; (i = next.getAndIncrement()) < pods; ) {
                    c.create(Payloads.PODS, Payloads.pod(podName(i)));
                }
            }));
        }
        for (Thread t : workers) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        for (int i = 1; i < conns.size(); i++) {
            conns.get(i).http().close();
        }
        return seconds;
    }

    static String podName(int i) {
        return String.format("web-%05d-7d9f8c6b5-x%04x", i, i);
    }

    /** Writes each listed pod's JSON under its key, from 64 threads so group commit makes it quick. */
    private static void fill(SqliteStore store, JsonNode list) throws InterruptedException {
        List<JsonNode> items = new ArrayList<>();
        list.path("items").forEach(items::add);
        var next = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 64; w++) {
            workers.add(Thread.ofVirtual().start(() -> {
                for (int i; (i = next.getAndIncrement()) < items.size(); ) {
                    JsonNode pod = items.get(i);
                    store.create("/registry/pods/bench/" + pod.path("metadata").path("name").asString(),
                            Json.bytes(pod));
                }
            }));
        }
        for (Thread t : workers) {
            t.join();
        }
    }
}
