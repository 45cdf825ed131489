package io.kubevisor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;

/**
 * The pod benchmark's pods on the Kubevisor node, through the API: {@code sleep 3600} in the
 * busybox image (cached on the node, IfNotPresent), no probes, grace period 0. A start is timed
 * from just before the create request to the watch event showing phase Running. Thread-safe.
 */
final class Pods implements AutoCloseable {

    /**
     * One pod's start, in {@code System.nanoTime()} except {@code sendWallMs}.
     *
     * @param send       just before the POST was sent
     * @param sendWallMs the same instant as epoch milliseconds (to compare with Kubevisor's log)
     * @param created    the POST's 201 arrived
     * @param bound      the watch showed spec.nodeName
     * @param running    the watch showed phase Running
     * @param ready      the watch showed Ready=True
     */
    record Start(String namespace, String name, long send, long sendWallMs, long created, long bound, long running,
                 long ready) {

        long latency() {
            return running - send;
        }

        /** When the watch saw Running, as epoch milliseconds. */
        double runningWallMs() {
            return sendWallMs + (running - send) / 1e6;
        }
    }

    private static final String POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"@NAME@","namespace":"@NS@",\
            "labels":{"app":"podstart"}},"spec":{"terminationGracePeriodSeconds":0,\
            "containers":[{"name":"sleep","image":"@IMAGE@","imagePullPolicy":"IfNotPresent",\
            "command":["sleep","3600"]}]}}""";

    private final KubeClient client;
    private final PodWatch watch;
    private final Object serialLock = new Object();
    /** The connection of {@link #start}; guarded by serialLock. */
    private Http1Connection serial;
    private final KubevisorProcess node;

    Pods(KubeClient client, PodWatch watch, KubevisorProcess node) {
        this.client = client;
        this.watch = watch;
        this.node = node;
    }

    KubevisorProcess node() {
        return node;
    }

    void namespace(String name) {
        client.create("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                + name + "\"}}");
    }

    /**
     * Creates a pod and waits until the watch shows it Running and Ready; for starts timed one at
     * a time. The create goes over this object's own HTTP/1.1 connection ({@link Http1Connection}),
     * on the caller's thread; callers take turns on it.
     */
    Start start(String namespace, String name, Duration timeout) throws InterruptedException {
        return start(namespace, name, timeout, true);
    }

    /**
     * {@link #start}, for starts requested side by side (a burst, the idle fill): their creates
     * share the client's HTTP/2 connection, one stream each.
     */
    Start startAmongOthers(String namespace, String name, Duration timeout) throws InterruptedException {
        return start(namespace, name, timeout, false);
    }

    private Start start(String namespace, String name, Duration timeout, boolean alone) throws InterruptedException {
        PodWatch.Track t = watch.track(namespace, name);
        String body = POD.replace("@NAME@", name).replace("@NS@", namespace).replace("@IMAGE@", BusyboxImage.REFERENCE);
        long wall;
        long send;
        if (alone) {
            synchronized (serialLock) {
                wall = System.currentTimeMillis();
                send = System.nanoTime();
                createAlone(path(namespace), body);
            }
        } else {
            wall = System.currentTimeMillis();
            send = System.nanoTime();
            client.create(path(namespace), body);
        }
        long created = System.nanoTime();
        try {
            long running = PodWatch.await(t.running(), t, timeout);
            long ready = PodWatch.await(t.ready(), t, timeout);
            return new Start(namespace, name, send, wall, created, t.bound().getNow(-1L), running, ready);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("pod " + namespace + "/" + name + " did not run: " + e.getMessage()
                    + "; " + describe(namespace, name), e);
        }
    }

    @Override
    public void close() {
        synchronized (serialLock) {
            if (serial != null) {
                serial.close();
                serial = null;
            }
        }
    }

    /** POSTs over the serial connection, opened on first use and again after a failure; needs serialLock. */
    private void createAlone(String path, String json) {
        try {
            if (serial == null) {
                serial = client.openHttp1();
            }
            var r = serial.send("POST", path, json.getBytes(StandardCharsets.UTF_8));
            if (r.status() != 201) {
                throw new IllegalStateException("POST " + path + " -> " + r.status() + ": "
                        + new String(r.body(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            serial.close();
            serial = null;
            throw new UncheckedIOException("POST " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the pods (grace period 0), then waits until the node has removed every sandbox,
     * mount and network namespace. Returns the seconds that took.
     */
    double deleteAll(List<Start> pods, Duration timeout) throws InterruptedException {
        return delete(pods.stream().map(p -> new String[] {p.namespace(), p.name()}).toList(), timeout);
    }

    /** {@link #deleteAll} by namespace and name; pods already gone are fine. */
    double delete(List<String[]> pods, Duration timeout) throws InterruptedException {
        long t0 = System.nanoTime();
        Semaphore inFlight = new Semaphore(8);
        List<Thread> threads = new ArrayList<>();
        List<RuntimeException> errors = new ArrayList<>();
        for (String[] nn : pods) {
            Start p = new Start(nn[0], nn[1], 0, 0, 0, 0, 0, 0);
            inFlight.acquire();
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    HttpResponse<byte[]> r = client.send(client.request(path(p.namespace()) + "/" + p.name()
                            + "?gracePeriodSeconds=0").header("Accept", KubeClient.JSON).DELETE().build());
                    // 404: a pod that never started was already gone, or never created.
                    KubeClient.expect(r.statusCode() == 404 || r.statusCode() == 202 ? r.statusCode() : 200, r);
                } catch (RuntimeException e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                } finally {
                    inFlight.release();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!errors.isEmpty()) {
            throw errors.getFirst();
        }
        long deadline = t0 + timeout.toNanos();
        String left;
        while (!(left = node.leftovers()).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the node still has " + left + " " + timeout.toSeconds()
                        + " s after the pods were deleted");
            }
            Thread.sleep(500);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The pod's phase and its container's waiting or terminated reason, for error messages. */
    String describe(String namespace, String name) {
        try {
            JsonNode pod = Json.parse(client.get(path(namespace) + "/" + name, KubeClient.JSON));
            JsonNode status = pod.path("status");
            StringBuilder sb = new StringBuilder("phase ").append(status.path("phase").asString());
            for (JsonNode c : status.path("conditions")) {
                if (c.path("status").asString().equals("False")) {
                    sb.append(", ").append(c.path("type").asString()).append(" False: ")
                            .append(c.path("reason").asString()).append(' ').append(c.path("message").asString());
                }
            }
            for (JsonNode c : status.path("containerStatuses")) {
                JsonNode st = c.path("state");
                for (String k : List.of("waiting", "terminated")) {
                    if (st.has(k)) {
                        sb.append(", ").append(k).append(' ').append(st.path(k).path("reason").asString()).append(": ")
                                .append(st.path(k).path("message").asString());
                    }
                }
            }
            return sb.toString();
        } catch (RuntimeException e) {
            return "no status (" + e.getMessage() + ")";
        }
    }

    private static String path(String namespace) {
        return "/api/v1/namespaces/" + namespace + "/pods";
    }
}
