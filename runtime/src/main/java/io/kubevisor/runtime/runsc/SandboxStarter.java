package io.kubevisor.runtime.runsc;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.kubevisor.api.Json;
import io.kubevisor.runtime.sandbox.Resources;
import io.kubevisor.runtime.sandbox.SandboxSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and starts a pod sandbox: its files (hosts, resolv.conf, hostname), the pause
 * container's bundle, {@code runsc create} and {@code runsc start} (the latter with /proc/sys/net
 * hidden when the sandbox joins a network namespace). A failed start is cleaned up completely.
 * A single-container sandbox only gets its files here; its container starts it.
 */
final class SandboxStarter {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxStarter.class);
    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(60);

    private final Runsc runsc;
    private final Layout layout;
    private final Registry registry;
    private final Remover remover;
    private final Clock clock;

    SandboxStarter(Runsc runsc, Layout layout, Registry registry, Remover remover, Clock clock) {
        this.runsc = runsc;
        this.layout = layout;
        this.registry = registry;
        this.remover = remover;
        this.clock = clock;
    }

    /** Writes the sandbox's files, bundle and record; registers it. */
    SandboxRecord prepare(SandboxSpec spec) {
        String id = Ids.check("sandbox", spec.id());
        RunscOptions o = runsc.options();
        String network = switch (o.network()) {
            case SANDBOX -> spec.netns() == null ? "none" : "sandbox";
            case NONE -> "none";
            case HOST -> "host";
        };
        if (o.network() == RunscOptions.NetworkMode.HOST) {
            LOG.warn("event=host-network sandbox={} note=\"development only: the sandbox uses the host's network\"",
                    id);
        }
        String cgroup = spec.cgroupParent() != null ? stripSlash(spec.cgroupParent()) : stripSlash(o.cgroupParent()) + "/" + id;
        if (!cgroup.startsWith("/")) {
            throw new IllegalArgumentException("cgroup path must be absolute: " + cgroup);
        }
        String hostname = spec.hostname() == null || spec.hostname().isEmpty() ? id.substring(0, 12) : spec.hostname();
        var record = new SandboxRecord(id, hostname, spec.netns() == null ? null : spec.netns().toString(),
                cgroup, network, spec.resources() == null ? Resources.none() : spec.resources(),
                spec.labels() == null ? Map.of() : Map.copyOf(spec.labels()), clock.instant(),
                spec.singleContainer(), null);

        Path dir = layout.sandbox(id);
        TextFiles.write(layout.etc(id).resolve("hosts"), spec.etcHosts() == null ? defaultHosts(spec) : spec.etcHosts());
        TextFiles.write(layout.etc(id).resolve("resolv.conf"), spec.resolvConf());
        TextFiles.write(layout.etc(id).resolve("hostname"), hostname + "\n");
        if (!record.singleContainer()) {
            // A single-container sandbox is rooted by its container's bundle: it has no pause.
            Path pause = PauseRootfs.ensure(layout.pauseRootfs(), o.pauseBusybox());
            TextFiles.write(dir.resolve("config.json"), Json.string(OciBundle.pause(record, pause)));
        }
        Records.write(layout.sandboxRecord(id), record);
        registry.putSandbox(record);
        return record;
    }

    SandboxRecord start(SandboxSpec spec) {
        String id = Ids.check("sandbox", spec.id());
        SandboxRecord existing = registry.sandbox(id);
        if (existing != null) {
            return existing;
        }
        SandboxRecord record = prepare(spec);
        if (record.singleContainer()) {
            // Its container will be runsc's root container; nothing runs until it starts.
            LOG.info("event=sandbox-prepared sandbox={} singleContainer=true network={}", id, record.network());
            return record;
        }
        String network = record.network();
        String cgroup = record.cgroupPath();
        Path dir = layout.sandbox(id);
        Path log = layout.sandboxLog(id);
        long from = TextFiles.size(log);
        long t0 = System.nanoTime();
        int rc = Runsc.runDetached(runsc.command(network, List.of("create", "--bundle", dir.toString(), id)), log, log,
                CREATE_TIMEOUT);
        if (rc != 0) {
            fail(record, "create", TextFiles.appendedSince(log, from));
        }
        long t1 = System.nanoTime();
        List<String> start = runsc.command(network, List.of("start", id));
        if (network.equals("sandbox")) {
            start = Runsc.hidingProcSysNet(start);
        }
        from = TextFiles.size(log);
        rc = Runsc.runDetached(start, log, log, CREATE_TIMEOUT);
        if (rc != 0) {
            fail(record, "start", TextFiles.appendedSince(log, from));
        }
        LOG.info("event=sandbox-started sandbox={} network={} cgroup={} createMs={} startMs={}", id, network, cgroup,
                (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        return record;
    }

    private void fail(SandboxRecord record, String verb, String message) {
        try {
            remover.removeSandbox(record);
        } catch (RuntimeException e) {
            LOG.warn("event=sandbox-cleanup-failed sandbox={} error=\"{}\"", record.id(), e.getMessage());
        }
        throw new RunscException("runsc " + verb + " of sandbox " + record.id() + " failed: " + message);
    }

    private static String defaultHosts(SandboxSpec spec) {
        return "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";
    }

    private static String stripSlash(String s) {
        return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
