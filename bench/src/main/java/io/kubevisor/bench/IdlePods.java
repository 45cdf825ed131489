package io.kubevisor.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scenario P2: idle pods per host. Pods running {@code sleep 3600} are added a few at a time until
 * the target is reached or something goes wrong (a pod that does not run in time, MemAvailable
 * under 10% of MemTotal, host tasks over 85% of pid_max, the node process gone). Every
 * {@code idleStep} pods the fill pauses: host memory (MemAvailable, the sandboxes' RSS and PSS by
 * process kind, the Kubevisor JVM) and the CPU of the idle pods over 15 s are measured. Memory per
 * pod is the slope of a least-squares line through the checkpoints, then extrapolated to 24 GiB.
 */
final class IdlePods {

    static final int TARGET_PODS = 300;
    static final long HOST_BYTES = 24L << 30;
    private static final int PODS_PER_NAMESPACE = 200;
    private static final long IDLE_WINDOW_MS = 15_000;

    /**
     * One measurement.
     *
     * @param pods         running pods
     * @param seconds      since the fill began
     * @param memAvailDrop MemAvailable at the start minus now, bytes
     * @param jvmRss       the Kubevisor JVM's RSS, bytes
     * @param scan         the sandboxes' processes
     * @param cgroup       what the sandboxes' memory cgroups are charged: {usage, total_rss}
     * @param hostTasks    tasks on the host
     * @param idleCpu      CPU over 15 s with no pod starting
     * @param batch        start latencies of the pods added since the previous checkpoint
     */
    record Checkpoint(int pods, double seconds, long memAvailDrop, long jvmRss, HostProcesses.Scan scan,
                      long[] cgroup, int hostTasks, HostCpu.Usage idleCpu, Latencies batch) {
    }

    /**
     * @param target        pods aimed for
     * @param stopReason    why the fill stopped before the target, or null
     * @param memTotal      MemTotal, bytes
     * @param memAvailStart MemAvailable before the first idle pod, bytes
     * @param jvmRssStart   the Kubevisor JVM's RSS then
     * @param tasksStart    host tasks then
     * @param pidMax        the kernel's pid_max
     * @param bare          the bare sandboxes' footprint from P1, for comparison (may be null)
     * @param deleteSeconds how long deleting every idle pod took until the node had removed them
     */
    record Result(int target, String stopReason, long memTotal, long memAvailStart, long jvmRssStart, int tasksStart,
                  int pidMax, List<Checkpoint> checkpoints, Footprint bare, double deleteSeconds)
            implements Section {

        int reached() {
            return checkpoints.isEmpty() ? 0 : checkpoints.getLast().pods();
        }

        Checkpoint last() {
            return checkpoints.getLast();
        }

        /** MemAvailable per pod: least-squares slope through (0, 0) and the checkpoints. */
        double memPerPod() {
            return slope(c -> (double) c.memAvailDrop());
        }

        double jvmPerPod() {
            return slope(c -> (double) (c.jvmRss() - jvmRssStart));
        }

        private double slope(java.util.function.ToDoubleFunction<Checkpoint> y) {
            double sxy = 0;
            double sxx = 0;
            for (Checkpoint c : checkpoints) {
                sxy += c.pods() * y.applyAsDouble(c);
                sxx += (double) c.pods() * c.pods();
            }
            return sxx == 0 ? Double.NaN : sxy / sxx;
        }

        long fitIn24GiB() {
            return (long) (HOST_BYTES / memPerPod());
        }

        @Override
        public String title() {
            return "P2. Idle pods per host";
        }

        @Override
        public List<List<String>> summary() {
            List<List<String>> rows = new ArrayList<>();
            Checkpoint c = last();
            rows.add(List.of("P2. Idle pods started on this host", reached() + " of " + target + " in "
                    + Markdown.num(c.seconds() / 60, 1) + " min" + (stopReason == null ? "" : " (stopped)"), "—", "—",
                    "≥ " + TARGET_PODS, Markdown.verdict(reached() >= TARGET_PODS)));
            String bareMem = bare == null ? "—" : Footprint.mib(bare.memAvailPerUnit()) + " MiB (bare sandbox)";
            String ratio = bare == null ? "—" : Markdown.ratio(memPerPod() / bare.memAvailPerUnit());
            rows.add(List.of("P2. Host memory per idle pod (MemAvailable slope)", Footprint.mib(memPerPod()) + " MiB",
                    bareMem, ratio, "≥ " + TARGET_PODS + " pods in 24 GiB",
                    Markdown.verdict(fitIn24GiB() >= TARGET_PODS) + " (" + fitIn24GiB() + ")"));
            String barePss = bare == null ? "—" : Footprint.mib(bare.pssPerUnit()) + " MiB (bare sandbox)";
            double pss = (double) c.scan().total().pss() / c.pods();
            rows.add(List.of("P2. Sandbox processes' PSS per idle pod", Footprint.mib(pss) + " MiB", barePss,
                    bare == null ? "—" : Markdown.ratio(pss / bare.pssPerUnit()), "none set", "—"));
            rows.add(List.of("P2. CPU with " + c.pods() + " idle pods", Markdown.num(c.idleCpu().machine(), 2)
                    + " cores busy, Kubevisor " + Markdown.num(c.idleCpu().kubevisor()
                    + c.idleCpu().kubevisorCommands(), 2) + ", sandboxes " + Markdown.num(c.idleCpu().sandboxes(), 2),
                    "—", "—", "none set", "—"));
            return rows;
        }

        @Override
        public String details() {
            var sb = new StringBuilder();
            List<List<String>> rows = new ArrayList<>();
            for (Checkpoint c : checkpoints) {
                HostProcesses.Totals t = c.scan().total();
                rows.add(List.of(Integer.toString(c.pods()), Markdown.num(c.seconds(), 0),
                        Latencies.ms(c.batch().p50()) + " / " + Latencies.ms(c.batch().max()),
                        gib(c.memAvailDrop()), gib(t.rss()), gib(t.pss()), gib(c.cgroup()[0]), mib(c.jvmRss()),
                        Integer.toString(c.hostTasks()), Markdown.num(c.idleCpu().machine(), 2),
                        Markdown.num(c.idleCpu().kubevisor(), 2) + " + " + Markdown.num(c.idleCpu().kubevisorCommands(), 2),
                        Markdown.num(c.idleCpu().sandboxes(), 2), Markdown.num(c.idleCpu().other(), 2),
                        Markdown.num(podCores(c) * 1000 / c.pods(), 1)));
            }
            sb.append(Markdown.table(List.of("pods", "s since start", "start p50 / max ms (this batch)",
                    "MemAvailable drop GiB", "sandbox RSS GiB", "sandbox PSS GiB", "sandbox cgroups GiB",
                    "Kubevisor JVM RSS MiB", "host tasks",
                    "idle CPU, machine (cores)", "Kubevisor JVM + its commands", "sandbox processes", "other",
                    "pods' millicores per pod"), rows));
            sb.append("\nBefore the first idle pod: MemAvailable ").append(gib(memAvailStart)).append(" GiB of ")
                    .append(gib(memTotal)).append(" GiB, Kubevisor JVM RSS ").append(mib(jvmRssStart))
                    .append(" MiB, ").append(tasksStart).append(" host tasks (pid_max ").append(pidMax).append(").");
            if (stopReason != null) {
                sb.append(" **The fill stopped early:** ").append(stopReason).append('.');
            }
            sb.append("\n\n**Per idle pod at ").append(last().pods()).append(" pods** (sandbox processes by kind):\n\n");
            Footprint f = new Footprint(last().pods(), last().memAvailDrop(), last().scan(),
                    last().jvmRss() - jvmRssStart, last().hostTasks(), last().cgroup());
            List<List<String>> mem = new ArrayList<>(f.rows("Kubevisor pod"));
            if (bare != null) {
                mem.addAll(bare.rows("bare sandbox (P1, " + bare.count() + " running)"));
            }
            sb.append(Markdown.table(List.of("processes", "count", "RSS MiB", "PSS MiB", "threads"), mem));
            sb.append("\nMemory cgroups of the pods' sandboxes: ").append(Footprint.mib(f.cgroupPerUnit(0)))
                    .append(" MiB charged per pod (rss ").append(Footprint.mib(f.cgroupPerUnit(1))).append(")")
                    .append(bare == null ? "" : "; bare sandboxes " + Footprint.mib(bare.cgroupPerUnit(0)) + " (rss "
                            + Footprint.mib(bare.cgroupPerUnit(1)) + ")").append(".\n");
            double tasksPerPod = (double) (last().hostTasks() - tasksStart) / last().pods();
            // CPU per pod from the first checkpoint: later ones meet a saturated machine, where the
            // pods' polling simply runs less often than asked.
            Checkpoint first = checkpoints.getFirst();
            double cpuPerPod = podCores(first) / first.pods();
            sb.append("\nSlopes through the checkpoints: MemAvailable ").append(Footprint.mib(memPerPod()))
                    .append(" MiB per pod, of which the Kubevisor JVM ").append(Footprint.mib(jvmPerPod()))
                    .append(" MiB. Host tasks ").append(Markdown.num(tasksPerPod, 1)).append(" per pod.\n\n")
                    .append("Extrapolated limits of one host: memory ").append(fitIn24GiB())
                    .append(" pods in 24 GiB (").append((long) (memAvailStart / memPerPod()))
                    .append(" in this machine's MemAvailable at the start); tasks ")
                    .append((long) ((pidMax - tasksStart) / tasksPerPod)).append(" pods until pid_max; CPU: at ")
                    .append(first.pods()).append(" idle pods the Kubevisor JVM, its commands and the sandboxes used ")
                    .append(Markdown.num(cpuPerPod * 1000, 1)).append(" millicores per pod, so ")
                    .append(Runtime.getRuntime().availableProcessors()).append(" cores are all busy at about ")
                    .append((long) (Runtime.getRuntime().availableProcessors() / cpuPerPod))
                    .append(" idle pods (beyond that the pods' own polling slows down and starts queue behind it)."
                            + " Deleting the ").append(last().pods()).append(" pods took ")
                    .append(Markdown.num(deleteSeconds, 0))
                    .append(" s until the node had removed every sandbox, mount and network namespace.\n");
            return sb.toString();
        }

        /** Cores the pods cost at a checkpoint: the Kubevisor JVM, its commands, the sandboxes. */
        private static double podCores(Checkpoint c) {
            return c.idleCpu().kubevisor() + c.idleCpu().kubevisorCommands() + c.idleCpu().sandboxes();
        }

        private static String gib(long bytes) {
            return Markdown.num(bytes / (double) (1L << 30), 2);
        }

        private static String mib(long bytes) {
            return Markdown.num(bytes / (double) (1L << 20), 0);
        }
    }

    private IdlePods() {
    }

    static Result run(Pods pods, Footprint bare, PodBenchOptions o) throws Exception {
        KubevisorProcess kv = pods.node();
        List<Path> roots = List.of(kv.stateRoot());
        long memTotal = HostProcesses.meminfo("MemTotal");
        long memStart = HostProcesses.meminfo("MemAvailable");
        long jvmStart = kv.rss();
        int tasksStart = HostProcesses.hostTasks();
        int pidMax = HostProcesses.pidMax();
        List<Pods.Start> all = Collections.synchronizedList(new ArrayList<>());
        List<String[]> attempted = new ArrayList<>();
        List<Checkpoint> checkpoints = new ArrayList<>();
        AtomicReference<String> stop = new AtomicReference<>();
        Semaphore inFlight = new Semaphore(o.idleParallel());
        long t0 = System.nanoTime();
        int created = 0;
        while (created < o.idle() && stop.get() == null) {
            int until = Math.min(o.idle(), created + o.idleStep());
            Progress.say("P2: idle pods " + (created + 1) + "–" + until + " (" + o.idleParallel() + " in flight)");
            List<Pods.Start> batch = Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (; created < until && stop.get() == null; created++) {
                String trouble = trouble(kv, memTotal, pidMax);
                if (trouble != null) {
                    stop.compareAndSet(null, trouble);
                    break;
                }
                inFlight.acquire();
                String ns = "idle-" + (char) ('a' + created / PODS_PER_NAMESPACE);
                if (created % PODS_PER_NAMESPACE == 0) {
                    pods.namespace(ns);
                }
                String name = String.format("idle-%03d", created);
                attempted.add(new String[] {ns, name});
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        batch.add(pods.startAmongOthers(ns, name, o.podTimeout()));
                    } catch (RuntimeException e) {
                        stop.compareAndSet(null, e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            all.addAll(batch);
            kv.rememberSandboxes();
            if (all.isEmpty()) {
                break;
            }
            checkpoints.add(checkpoint(all.size(), t0, memStart, kv, roots, batch));
            Progress.say("P2: " + all.size() + " idle pods; MemAvailable down "
                    + Footprint.mib((double) checkpoints.getLast().memAvailDrop()) + " MiB; idle CPU "
                    + checkpoints.getLast().idleCpu().describe());
        }
        Progress.say("P2: deleting " + attempted.size() + " idle pods");
        double deleteSeconds = pods.delete(attempted, java.time.Duration.ofMinutes(30));
        if (checkpoints.isEmpty()) {
            throw new IllegalStateException("no idle pod started: " + stop.get());
        }
        return new Result(o.idle(), stop.get(), memTotal, memStart, jvmStart, tasksStart, pidMax, checkpoints, bare,
                deleteSeconds);
    }

    private static Checkpoint checkpoint(int count, long t0, long memStart, KubevisorProcess kv, List<Path> roots,
                                         List<Pods.Start> batch) throws InterruptedException {
        double seconds = (System.nanoTime() - t0) / 1e9;
        Thread.sleep(3000);
        long memAvail = HostProcesses.meminfo("MemAvailable");
        long jvm = kv.rss();
        HostProcesses.Scan scan = HostProcesses.scan(kv.stateRoot(), true);
        long[] cgroup = HostProcesses.cgroupMemory(kv.sandboxCgroups());
        int tasks = HostProcesses.hostTasks();
        HostCpu cpu = HostCpu.start(kv, roots);
        Thread.sleep(IDLE_WINDOW_MS);
        HostCpu.Usage idle = cpu.stop();
        return new Checkpoint(count, seconds, memStart - memAvail, jvm, scan, cgroup, tasks, idle,
                Latencies.of(batch.stream().mapToLong(Pods.Start::latency).toArray()));
    }

    /** Why no further pod should be added now, or null. */
    private static String trouble(KubevisorProcess kv, long memTotal, int pidMax) {
        if (!kv.alive()) {
            return "the Kubevisor process exited";
        }
        long avail = HostProcesses.meminfo("MemAvailable");
        if (avail < memTotal / 10) {
            return "MemAvailable fell to " + Footprint.mib((double) avail) + " MiB, under 10% of MemTotal";
        }
        int tasks = HostProcesses.hostTasks();
        if (tasks > pidMax * 0.85) {
            return "the host runs " + tasks + " tasks, over 85% of pid_max " + pidMax;
        }
        return null;
    }
}
