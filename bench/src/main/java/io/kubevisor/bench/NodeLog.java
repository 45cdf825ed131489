package io.kubevisor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a pod's start went, from the events Kubevisor logs (one line each, key=value fields,
 * timestamps to the millisecond): the scheduler's binding, the node's network attach, the
 * sandbox's and the container's runsc create/start, the provider's whole {@code createPod}, and
 * the node agent's status write (PodSyncer at DEBUG). Immutable once parsed.
 */
final class NodeLog {

    /**
     * One pod's start as logged; times are epoch milliseconds, durations milliseconds, -1 when the
     * log has no such line.
     *
     * @param scheduled        the scheduler bound it
     * @param networkMs        PodNetwork's attach (netns, veth, bridge port, address)
     * @param sandboxRunscMs   runsc create + start of the pause sandbox (0 for a single-container one)
     * @param sandboxMs        the whole sandbox start (network, files, runsc, address restore)
     * @param containerRunscMs runsc create + start of the app container, or its run until seen running
     * @param containerStarted when the container's runsc commands returned (it runs)
     * @param createPodMs      the provider's createPod (sandbox, then the container started)
     * @param createPodEnd     when createPod returned
     * @param statusRunning    when the agent wrote status phase Running
     */
    record Pod(long scheduled, long networkMs, long sandboxRunscMs, long sandboxMs, long containerRunscMs,
               long containerStarted, long createPodMs, long createPodEnd, long statusRunning) {

        boolean complete() {
            return scheduled > 0 && networkMs >= 0 && sandboxRunscMs >= 0 && sandboxMs >= 0 && containerRunscMs >= 0
                    && containerStarted > 0 && createPodMs >= 0 && createPodEnd > 0 && statusRunning > 0;
        }
    }

    private NodeLog() {
    }

    /** Reads the log; keys are {@code namespace/name}. */
    static Map<String, Pod> parse(Path log) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Long> scheduled = new HashMap<>();
        Map<String, Long> network = new HashMap<>();
        Map<String, String> sandboxOf = new HashMap<>();
        Map<String, Long> sandboxMs = new HashMap<>();
        Map<String, Long> sandboxRunsc = new HashMap<>();
        Map<String, Long> containerRunscBySandbox = new HashMap<>();
        Map<String, Long> containerStartedBySandbox = new HashMap<>();
        Map<String, Long> createMs = new HashMap<>();
        Map<String, Long> createEnd = new HashMap<>();
        Map<String, Long> running = new HashMap<>();
        for (String line : lines) {
            int e = line.indexOf("event=");
            if (e < 0) {
                continue;
            }
            long at;
            try {
                at = OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant().toEpochMilli();
            } catch (RuntimeException ex) {
                continue;
            }
            Map<String, String> f = fields(line.substring(e));
            String pod = f.get("pod");
            switch (f.get("event")) {
                case "pod_scheduled" -> scheduled.putIfAbsent(pod, at);
                case "pod-network-attached" -> network.putIfAbsent(pod, num(f.get("durationMs")));
                case "sandbox-started" -> sandboxRunsc.putIfAbsent(f.get("sandbox"),
                        num(f.get("createMs")) + num(f.get("startMs")));
                // A single-container sandbox runs nothing until its container does.
                case "sandbox-prepared" -> sandboxRunsc.putIfAbsent(f.get("sandbox"), 0L);
                case "pod_sandbox_started" -> {
                    sandboxOf.putIfAbsent(pod, f.get("sandbox"));
                    sandboxMs.putIfAbsent(pod, num(f.get("ms")));
                }
                case "container-started" -> {
                    containerRunscBySandbox.putIfAbsent(f.get("sandbox"), num(f.get("ms")));
                    containerStartedBySandbox.putIfAbsent(f.get("sandbox"), at);
                }
                case "pod_created" -> {
                    if ("GvisorProvider".equals(logger(line))) {
                        createMs.putIfAbsent(pod, num(f.get("ms")));
                        createEnd.putIfAbsent(pod, at);
                    }
                }
                case "pod_status_written" -> {
                    if ("Running".equals(f.get("phase"))) {
                        running.putIfAbsent(pod, at);
                    }
                }
                case null, default -> { }
            }
        }
        Map<String, Pod> pods = new LinkedHashMap<>();
        for (String pod : createMs.keySet()) {
            String sandbox = sandboxOf.get(pod);
            pods.put(pod, new Pod(scheduled.getOrDefault(pod, -1L), network.getOrDefault(pod, -1L),
                    sandbox == null ? -1 : sandboxRunsc.getOrDefault(sandbox, -1L), sandboxMs.getOrDefault(pod, -1L),
                    sandbox == null ? -1 : containerRunscBySandbox.getOrDefault(sandbox, -1L),
                    sandbox == null ? -1 : containerStartedBySandbox.getOrDefault(sandbox, -1L), createMs.get(pod),
                    createEnd.get(pod), running.getOrDefault(pod, -1L)));
        }
        return pods;
    }

    /**
     * The API server's own time for the requests about one namespace's pods (its request log at
     * DEBUG), in microseconds, by shape: method and path with the pod's name replaced by
     * {@code {name}}. Watches are left out.
     */
    static Map<String, List<Long>> requests(Path log, String namespace) {
        String marker = "/namespaces/" + namespace + "/";
        Map<String, List<Long>> shapes = new java.util.TreeMap<>();
        try (var lines = Files.lines(log)) {
            lines.filter(l -> l.contains("event=request ") && l.contains(marker)).forEach(line -> {
                Map<String, String> f = fields(line.substring(line.indexOf("event=")));
                String uri = f.getOrDefault("uri", "");
                if (uri.contains("watch=")) {
                    return;
                }
                String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
                path = path.replaceAll("(/namespaces/[^/]+/pods/)[^/]+", "$1{name}");
                shapes.computeIfAbsent(f.get("method") + " " + path + " → " + f.get("status"),
                        k -> new java.util.ArrayList<>()).add(num(f.get("micros")));
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return shapes;
    }

    /**
     * When each pod create of the namespace reached the API server, as epoch milliseconds in
     * order: the request log's line (written at its end, to the millisecond) minus the server's
     * own time for it. The lines do not name the pod; a caller that created them one at a time
     * matches them by time.
     */
    static List<Double> createArrivals(Path log, String namespace) {
        String uri = "uri=/api/v1/namespaces/" + namespace + "/pods ";
        List<Double> arrivals = new java.util.ArrayList<>();
        serverRequests(log, line -> {
            if (line.contains(uri) && line.contains("method=POST") && line.contains("status=201")) {
                Map<String, String> f = fields(line.substring(line.indexOf("event=")));
                arrivals.add(loggedAt(line) - num(f.get("micros")) / 1000.0);
            }
        });
        java.util.Collections.sort(arrivals);
        return arrivals;
    }

    /** When the API server answered each pod's first status write (epoch milliseconds), by pod name. */
    static Map<String, Long> firstStatusWrites(Path log, String namespace) {
        String prefix = "uri=/api/v1/namespaces/" + namespace + "/pods/";
        Map<String, Long> answered = new HashMap<>();
        serverRequests(log, line -> {
            int at = line.indexOf(prefix);
            if (at >= 0 && line.contains("/status ") && line.contains("status=200")
                    && (line.contains("method=PATCH") || line.contains("method=PUT"))) {
                String rest = line.substring(at + prefix.length());
                answered.putIfAbsent(rest.substring(0, rest.indexOf('/')), loggedAt(line));
            }
        });
        return answered;
    }

    private static void serverRequests(Path log, java.util.function.Consumer<String> each) {
        try (var lines = Files.lines(log)) {
            lines.filter(l -> l.contains("event=request ")).forEach(each);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long loggedAt(String line) {
        return OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant().toEpochMilli();
    }

    /** The logger's name: the third token of a line. */
    private static String logger(String line) {
        String[] t = line.split("\\s+", 4);
        return t.length > 2 ? t[2] : "";
    }

    /** key=value fields; values may be double-quoted. */
    static Map<String, String> fields(String text) {
        Map<String, String> m = new HashMap<>();
        int i = 0;
        while (i < text.length()) {
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = text.substring(i, eq).strip();
            int v = eq + 1;
            int end;
            String value;
            if (v < text.length() && text.charAt(v) == '"') {
                end = text.indexOf('"', v + 1);
                end = end < 0 ? text.length() : end;
                value = text.substring(v + 1, end);
                end++;
            } else {
                end = text.indexOf(' ', v);
                end = end < 0 ? text.length() : end;
                value = text.substring(v, end);
            }
            m.put(key, value);
            i = end + 1;
        }
        return m;
    }

    private static long num(String s) {
        try {
            return s == null ? -1 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
