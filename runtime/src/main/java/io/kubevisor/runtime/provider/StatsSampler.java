package io.kubevisor.runtime.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.kubevisor.node.provider.PodStats;
import io.kubevisor.runtime.sandbox.ContainerHandle;
import io.kubevisor.runtime.sandbox.SandboxStats;

/**
 * Pods' CPU and memory now: cumulative CPU from the runtime, turned into a rate (nanocores) against
 * the previous sample of the same pod or container (or, the first time, against its start), and
 * the sandbox's memory working set. gVisor reports memory for the whole sandbox only, so a pod's
 * working set is split evenly over its running containers (the sum is right; the split is not
 * measured). Thread-safe.
 */
final class StatsSampler {

    private record Sample(long cpuNanos, Instant at) {
    }

    private final SandboxStats stats;
    private final Clock clock;
    private final Map<String, Sample> previous = new ConcurrentHashMap<>();

    StatsSampler(SandboxStats stats, Clock clock) {
        this.stats = stats;
        this.clock = clock;
    }

    List<PodStats.PodUsage> usage(Collection<PodWorker> pods) {
        List<PodStats.PodUsage> out = new ArrayList<>();
        for (PodWorker w : pods) {
            PodState st = w.state();
            var sandbox = st.sandbox;
            if (sandbox == null) {
                continue;
            }
            record Running(String name, ContainerHandle h, Instant startedAt) {
            }
            List<Running> running = new ArrayList<>();
            Instant podStart;
            synchronized (st) {
                for (ContainerSlot s : st.slots.values()) {
                    if (s.running() && s.handle != null) {
                        running.add(new Running(s.name, s.handle, s.startedAt));
                    }
                }
                podStart = st.startTime;
            }
            if (running.isEmpty()) {
                continue;
            }
            Instant now = clock.instant();
            SandboxStats.Usage pod;
            try {
                pod = stats.usage(sandbox);
            } catch (RuntimeException e) {
                continue;
            }
            List<PodStats.ContainerUsage> containers = new ArrayList<>();
            long share = pod.memoryBytes() / running.size();
            for (Running r : running) {
                SandboxStats.Usage u;
                try {
                    u = stats.usage(r.h());
                } catch (RuntimeException e) {
                    u = new SandboxStats.Usage(0, 0);
                }
                long rate = rate(st.ref.uid() + "/" + r.h().id(), u.cpuNanos(), now, r.startedAt());
                containers.add(new PodStats.ContainerUsage(r.name(), rate, u.cpuNanos(), share));
            }
            long podRate = rate(st.ref.uid() + "/" + sandbox.id(), pod.cpuNanos(), now, podStart);
            out.add(new PodStats.PodUsage(st.ref, now, podRate, pod.cpuNanos(), pod.memoryBytes(), containers));
        }
        return out;
    }

    /** Nanocores between the last sample of {@code key} (or {@code since}) and now. */
    private long rate(String key, long cpuNanos, Instant now, Instant since) {
        Sample before = previous.put(key, new Sample(cpuNanos, now));
        Sample base = before != null && before.cpuNanos() <= cpuNanos ? before
                : new Sample(0, since == null ? now : since);
        long wallNanos = Duration.between(base.at(), now).toNanos();
        if (wallNanos <= 0) {
            return 0;
        }
        return (long) ((cpuNanos - base.cpuNanos()) * 1e9 / wallNanos);
    }

    /** Forgets a pod's samples. */
    void forget(String uid) {
        previous.keySet().removeIf(k -> k.startsWith(uid + "/"));
    }
}
