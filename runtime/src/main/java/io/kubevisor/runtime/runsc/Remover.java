package io.kubevisor.runtime.runsc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.kubevisor.runtime.logs.ContainerLogPump;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes containers and sandboxes with everything they hold: runsc state, host overlay mounts,
 * cgroup directories, bundles, records and raw output (the CRI log file belongs to the caller
 * and stays).
 *
 * <p>A sandbox goes fastest by killing its containers (each then reports 137), then the sandbox,
 * and deleting after that: runsc's delete of a live app container takes about 1.5 s, of one in a
 * dead sandbox milliseconds (it complains that the sandbox is gone but drops its state), and the
 * sandbox's own delete about 1.5-2 s. runsc leaves the app containers' cgroups behind in that
 * order, so they are removed here. A single-container sandbox has no pause container: deleting
 * its container (runsc's root) is deleting the sandbox.
 */
final class Remover {

    private static final Logger LOG = LoggerFactory.getLogger(Remover.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final Runsc runsc;
    private final Layout layout;
    private final Registry registry;
    private final HostCgroups cgroups;

    Remover(Runsc runsc, Layout layout, Registry registry, HostCgroups cgroups) {
        this.runsc = runsc;
        this.layout = layout;
        this.registry = registry;
        this.cgroups = cgroups;
    }

    /** Removes one container from a sandbox that may keep running. */
    void removeContainer(SandboxRecord sandbox, ContainerEntry entry) {
        String cid = entry.record().id();
        killAndAwait(sandbox, entry);
        finishLogs(entry);
        entry.markRemoved();
        var r = runsc.run(sandbox.network(), Runsc.SHORT, "delete", "--force", cid);
        if (!r.ok() && exists(sandbox, cid)) {
            throw new RunscException("runsc delete of container " + cid + " failed: " + r.message());
        }
        cleanContainerFiles(sandbox, cid);
        registry.removeContainer(cid);
        LOG.info("event=container-removed container={} sandbox={}", cid, sandbox.id());
    }

    /** Removes a sandbox and all its containers. */
    void removeSandbox(SandboxRecord sandbox) {
        String sid = sandbox.id();
        long t0 = System.nanoTime();
        List<ContainerEntry> entries = registry.containersOf(sid);
        parallel(entries, e -> killAndAwait(sandbox, e));
        if (!sandbox.singleContainer()) {
            runsc.run(sandbox.network(), Runsc.SHORT, "kill", sid, "KILL");
        }
        parallel(entries, e -> {
            finishLogs(e);
            e.markRemoved();
            runsc.run(sandbox.network(), Runsc.SHORT, "delete", "--force", e.record().id());
            cgroups.removeTree(sandbox.cgroupPath() + "/" + e.record().id());
        });
        if (!sandbox.singleContainer()) {
            var r = runsc.run(sandbox.network(), Runsc.SHORT, "delete", "--force", sid);
            if (!r.ok() && exists(sandbox, sid)) {
                throw new RunscException("runsc delete of sandbox " + sid + " failed: " + r.message());
            }
        }
        for (ContainerEntry e : entries) {
            String cid = e.record().id();
            if (exists(sandbox, cid)) {
                runsc.run(sandbox.network(), Runsc.SHORT, "delete", "--force", cid);
            }
            cleanContainerFiles(sandbox, cid);
            registry.removeContainer(cid);
        }
        List<Path> left = cgroups.removeTree(sandbox.cgroupPath());
        if (!left.isEmpty()) {
            LOG.warn("event=cgroup-left sandbox={} dirs={}", sid, left);
        }
        ensureNoMounts(layout.sandbox(sid));
        TextFiles.deleteTree(layout.sandbox(sid));
        registry.removeSandbox(sid);
        LOG.info("event=sandbox-removed sandbox={} containers={} ms={}", sid, entries.size(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** SIGKILL a running container and wait until its waiter recorded the exit. */
    private void killAndAwait(SandboxRecord sandbox, ContainerEntry entry) {
        if (entry.isExited() || !ContainerRecord.RUNNING.equals(entry.record().status())
                || sandbox.checkpointImage() != null) {
            return;
        }
        runsc.run(sandbox.network(), Runsc.SHORT, "kill", entry.record().id(), "KILL");
        if (!entry.awaitExit(KILL_WAIT)) {
            LOG.warn("event=kill-no-exit container={} waitedMs={}", entry.record().id(), KILL_WAIT.toMillis());
        }
    }

    private static void finishLogs(ContainerEntry entry) {
        ContainerLogPump pump = entry.pump();
        if (pump != null) {
            pump.finish(Duration.ofSeconds(5));
        }
    }

    private void cleanContainerFiles(SandboxRecord sandbox, String cid) {
        String sid = sandbox.id();
        HostOverlay.unmount(layout.rootfs(sid, cid));
        cgroups.removeTree(sandbox.cgroupPath() + "/" + cid);
        ensureNoMounts(layout.container(sid, cid));
        TextFiles.deleteTree(layout.container(sid, cid));
    }

    /** Deleting a tree under a live mount would reach into what is mounted there. */
    private static void ensureNoMounts(Path dir) {
        for (String m : HostOverlay.mountsUnder(dir)) {
            HostOverlay.unmount(Path.of(m));
        }
        List<String> left = HostOverlay.mountsUnder(dir);
        if (!left.isEmpty()) {
            throw new RunscException("still mounted, not deleting " + dir + ": " + left);
        }
    }

    /** Whether runsc still knows the id (runsc state answers). */
    boolean exists(SandboxRecord sandbox, String id) {
        return runsc.run(sandbox.network(), Runsc.SHORT, "state", id).ok();
    }

    private static void parallel(List<ContainerEntry> entries, java.util.function.Consumer<ContainerEntry> action) {
        if (entries.size() == 1) {
            action.accept(entries.getFirst());
            return;
        }
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<?>>();
            for (ContainerEntry e : entries) {
                futures.add(pool.submit(() -> action.accept(e)));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (Exception x) {
                    LOG.warn("event=remove-step-failed error=\"{}\"", x.getMessage());
                }
            }
        }
    }
}
