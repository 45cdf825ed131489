package io.kubevisor.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Splits each pod's create → Running time into consecutive pieces, from the benchmark's clock and
 * Kubevisor's log (same host, same clock; the log has millisecond resolution). Means add up to the
 * mean total; medians are shown beside them. Immutable.
 *
 * @param pieces  names of the pieces, in order
 * @param samples per piece, milliseconds of every pod the log fully describes
 * @param total   the create → Running time of the same pods, milliseconds
 * @param network the pod network's attach of each, milliseconds (within the third piece)
 * @param pause   the pause container's runsc create + start of each, 0 without one (within the third piece)
 * @param missing pods the log does not fully describe (left out)
 * @param server  create → Running as the API server saw it: from the create's arrival to the answer
 *                to the pod's first status write (its request log), milliseconds; without the client
 * @param client  the client's create → Running of the pods in {@code server}, milliseconds
 */
record StartBreakdown(List<String> pieces, List<double[]> samples, double[] total, double[] network, double[] pause,
                      int missing, double[] server, double[] client) {

    private static final List<String> PIECES = List.of(
            "API create, scheduler binds (request sent → `pod_scheduled` logged)",
            "agent sees the binding, queues and starts `createPod`",
            "sandbox before the container's runsc: files, pod network, pause container if any, the container's "
                    + "image, overlay, bundle and log pump (a single container's preparation overlaps the network)",
            "runsc of the container: create + start, or `run` until runsc's state says running",
            "rest of `createPod` (state files, events)",
            "`createPod` returned → the agent's status write returned (`pod_status_written`)",
            "→ the client's watch shows Running (negative: the event arrived before the agent logged its write)");

    static StartBreakdown of(List<Pods.Start> starts, Path log) {
        Map<String, NodeLog.Pod> logged = NodeLog.parse(log);
        List<double[]> rows = new ArrayList<>();
        List<Double> totals = new ArrayList<>();
        List<Double> network = new ArrayList<>();
        List<Double> pause = new ArrayList<>();
        int missing = 0;
        for (Pods.Start s : starts) {
            NodeLog.Pod p = logged.get(s.namespace() + "/" + s.name());
            if (p == null || !p.complete()) {
                missing++;
                continue;
            }
            double createBegin = p.createPodEnd() - p.createPodMs();
            double runscBegin = p.containerStarted() - p.containerRunscMs();
            rows.add(new double[] {
                p.scheduled() - s.sendWallMs(),
                createBegin - p.scheduled(),
                runscBegin - createBegin,
                p.containerRunscMs(),
                p.createPodEnd() - p.containerStarted(),
                p.statusRunning() - p.createPodEnd(),
                s.runningWallMs() - p.statusRunning()});
            totals.add(s.latency() / 1e6);
            network.add((double) p.networkMs());
            pause.add((double) p.sandboxRunscMs());
        }
        List<Double> server = new ArrayList<>();
        List<Double> client = new ArrayList<>();
        serverSide(starts, log, server, client);
        List<double[]> samples = new ArrayList<>();
        for (int i = 0; i < PIECES.size(); i++) {
            int k = i;
            samples.add(rows.stream().mapToDouble(r -> r[k]).toArray());
        }
        return new StartBreakdown(PIECES, samples, totals.stream().mapToDouble(Double::doubleValue).toArray(),
                network.stream().mapToDouble(Double::doubleValue).toArray(),
                pause.stream().mapToDouble(Double::doubleValue).toArray(), missing,
                server.stream().mapToDouble(Double::doubleValue).toArray(),
                client.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * Each start as the API server saw it. The pods were created one at a time, so a start's create
     * is the first to arrive after its request was sent (less a millisecond: the log's resolution).
     */
    private static void serverSide(List<Pods.Start> starts, Path log, List<Double> server, List<Double> client) {
        Map<String, List<Double>> arrivals = new java.util.HashMap<>();
        Map<String, Map<String, Long>> answered = new java.util.HashMap<>();
        for (Pods.Start s : starts) {
            List<Double> arrived = arrivals.computeIfAbsent(s.namespace(), ns -> NodeLog.createArrivals(log, ns));
            Long running = answered.computeIfAbsent(s.namespace(), ns -> NodeLog.firstStatusWrites(log, ns))
                    .get(s.name());
            Double arrival = arrived.stream().filter(a -> a >= s.sendWallMs() - 1).findFirst().orElse(null);
            if (running != null && arrival != null && running > arrival) {
                server.add(running - arrival);
                client.add(s.latency() / 1e6);
            }
        }
    }

    String markdown() {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            double[] v = samples.get(i);
            rows.add(List.of(pieces.get(i), Markdown.num(mean(v), 1), Markdown.num(median(v), 1),
                    Markdown.num(max(v), 1), Markdown.num(100 * mean(v) / mean(total), 0) + "%"));
        }
        rows.add(List.of("**create → Running (client)**", Markdown.num(mean(total), 1), Markdown.num(median(total), 1),
                Markdown.num(max(total), 1), "100%"));
        return Markdown.table(List.of("piece", "mean ms", "median ms", "max ms", "share of mean"), rows)
                + "\n" + total.length + " pods" + (missing > 0 ? " (" + missing + " left out: incomplete log)" : "")
                + ". Within the third piece: the network attach took " + Markdown.num(median(network), 1)
                + " ms median, the pause container's runsc " + Markdown.num(median(pause), 1)
                + " ms median (0: single-container sandboxes). Log timestamps have millisecond resolution.\n"
                + (server.length == 0 ? "" : "\nThe same starts as the API server saw them, from a create's arrival "
                + "(its request log's line less the server's own time) to its answer to the pod's first status write: "
                + Markdown.num(median(server), 1) + " ms median, " + Markdown.num(max(server), 1) + " ms max ("
                + server.length + " pods; the client's create → Running of the same pods: "
                + Markdown.num(median(client), 1) + " ms median). The rest is the client's: sending the create "
                + "and reading the watch event.\n");
    }

    /** The mean of piece {@code i}. */
    double mean(int i) {
        return mean(samples.get(i));
    }

    static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : Arrays.stream(v).average().orElse(Double.NaN);
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
