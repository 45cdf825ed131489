package io.kubevisor.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;

/**
 * One watch of every pod in the cluster: for each pod it notes (in {@code System.nanoTime()})
 * when the watch first showed it bound to a node, in phase Running, with condition Ready=True,
 * and deleted. The stream is read on a platform thread of its own from an HTTP/1.1 connection
 * with blocking I/O ({@link Http1Connection}), so an event's arrival wakes the thread that takes
 * its time; through the JDK's HTTP/2 client it passed two more threads first. Reopens from the
 * last resourceVersion when the server ends the stream. Thread-safe.
 */
final class PodWatch implements AutoCloseable {

    /** What the watch saw of one pod; each future completes with the arrival time of the event. */
    record Track(CompletableFuture<Long> bound, CompletableFuture<Long> running, CompletableFuture<Long> ready,
                 CompletableFuture<Long> deleted, CompletableFuture<String> failed) {
        Track() {
            this(new CompletableFuture<>(), new CompletableFuture<>(), new CompletableFuture<>(),
                    new CompletableFuture<>(), new CompletableFuture<>());
        }
    }

    private final KubeClient client;
    private final Map<String, Track> tracks = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile String resourceVersion;
    private volatile InputStream body;
    private volatile boolean closed;

    private PodWatch(KubeClient client, String resourceVersion) {
        this.client = client;
        this.resourceVersion = resourceVersion;
        this.reader = Thread.ofPlatform().name("pod-watch").daemon(true).unstarted(this::loop);
    }

    /** Opens the watch from the cluster's current resourceVersion. */
    static PodWatch open(KubeClient client) {
        JsonNode list = Json.parse(client.get("/api/v1/pods?limit=1", KubeClient.JSON));
        PodWatch w = new PodWatch(client, list.path("metadata").path("resourceVersion").asString());
        w.connect();
        w.reader.start();
        return w;
    }

    /** The track of {@code namespace/name}; created on first use, so ask before creating the pod. */
    Track track(String namespace, String name) {
        return tracks.computeIfAbsent(namespace + "/" + name, k -> new Track());
    }

    /** Waits for an event; fails with the pod's failure reason if it failed, or after {@code timeout}. */
    static long await(CompletableFuture<Long> event, Track t, Duration timeout) throws InterruptedException {
        try {
            return (Long) CompletableFuture.anyOf(event, t.failed().thenApply(reason -> {
                throw new IllegalStateException(reason);
            })).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no event within " + timeout.toSeconds() + " s");
        }
    }

    private void connect() {
        String path = "/api/v1/pods?watch=1&timeoutSeconds=3600&resourceVersion=" + resourceVersion;
        Http1Connection connection = client.openHttp1();
        try {
            body = connection.stream(path);
        } catch (IOException e) {
            connection.close();
            throw new IllegalStateException("cannot open the pod watch: " + e.getMessage(), e);
        }
    }

    private void loop() {
        while (!closed) {
            try (var in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    long now = System.nanoTime();
                    if (!line.isBlank()) {
                        handle(Json.parse(line), now);
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    Progress.say("pod watch: " + e.getMessage() + "; reopening");
                }
            }
            if (!closed) {
                try {
                    connect();
                } catch (RuntimeException e) {
                    Progress.say("pod watch: " + e.getMessage());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    private void handle(JsonNode event, long now) {
        String type = event.path("type").asString();
        JsonNode pod = event.path("object");
        if (type.equals("ERROR")) {
            Progress.say("pod watch error: " + pod.path("message").asString());
            return;
        }
        JsonNode meta = pod.path("metadata");
        String rv = meta.path("resourceVersion").asString();
        if (!rv.isEmpty()) {
            resourceVersion = rv;
        }
        if (type.equals("BOOKMARK")) {
            return;
        }
        Track t = track(meta.path("namespace").asString(), meta.path("name").asString());
        if (type.equals("DELETED")) {
            t.deleted().complete(now);
            return;
        }
        if (!pod.path("spec").path("nodeName").asString().isEmpty()) {
            t.bound().complete(now);
        }
        String phase = pod.path("status").path("phase").asString();
        if (phase.equals("Running")) {
            t.running().complete(now);
        } else if (phase.equals("Failed") || phase.equals("Succeeded")) {
            t.failed().complete("pod " + meta.path("name").asString() + " is " + phase + ": "
                    + pod.path("status").path("message").asString());
        }
        for (JsonNode c : pod.path("status").path("conditions")) {
            if (c.path("type").asString().equals("Ready") && c.path("status").asString().equals("True")) {
                t.ready().complete(now);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        InputStream in = body;
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        reader.join(Duration.ofSeconds(10));
    }
}
