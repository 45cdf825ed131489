package io.kubevisor.runtime.runsc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.kubevisor.runtime.sandbox.SandboxSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoint and restore of a whole sandbox ({@code runsc checkpoint}, then {@code runsc restore
 * --detach}; never {@code --leave-running}, which hangs). runsc 0.0~20221219 restores only a
 * sandbox's root container (gVisor issue 1956: restore reconnects only the root's file system).
 * So a sandbox is checkpointable with its work in it only as a single-container sandbox (its
 * container is the root); a pause-rooted sandbox with running app containers is refused before
 * anything is touched, rather than stopped into an image that cannot come back.
 *
 * <p>Restore needs the records the checkpoint left (the container's bundle, log files), so the
 * caller must not {@code remove} a sandbox it means to restore.
 */
final class Checkpointer {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final Runsc runsc;
    private final Layout layout;
    private final Registry registry;
    private final SandboxStarter starter;
    private final ExitWatcher watcher;

    Checkpointer(Runsc runsc, Layout layout, Registry registry, SandboxStarter starter, ExitWatcher watcher) {
        this.runsc = runsc;
        this.layout = layout;
        this.registry = registry;
        this.starter = starter;
        this.watcher = watcher;
    }

    void checkpoint(SandboxRecord sandbox, Path image) {
        if (sandbox.checkpointImage() != null) {
            throw new IllegalStateException("sandbox " + sandbox.id() + " is already checkpointed to "
                    + sandbox.checkpointImage());
        }
        List<ContainerEntry> running = registry.containersOf(sandbox.id()).stream().filter(e -> !e.isExited()).toList();
        String root;
        if (sandbox.singleContainer()) {
            if (running.isEmpty()) {
                throw new IllegalStateException("single-container sandbox " + sandbox.id() + " runs nothing to checkpoint");
            }
            root = running.getFirst().record().id();
        } else if (!running.isEmpty()) {
            throw new UnsupportedOperationException("runsc cannot restore app containers (only a sandbox's root "
                    + "container; gVisor issue 1956), so sandbox " + sandbox.id() + " is not checkpointed while these "
                    + "run: " + running.stream().map(e -> e.record().id()).toList()
                    + "; start it with label " + RunscRuntime.SINGLE_CONTAINER_LABEL + "=true to make it checkpointable");
        } else {
            root = sandbox.id();
        }
        try {
            Files.createDirectories(image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The root stops without exiting: its waiter's end must not count as an exit.
        running.forEach(ContainerEntry::stopWatching);
        long t0 = System.nanoTime();
        var r = runsc.run(sandbox.network(), TIMEOUT, "checkpoint", "--image-path=" + image.toAbsolutePath(), root);
        if (!r.ok()) {
            running.forEach(e -> watcher.watch(sandbox, e));
            throw new RunscException("runsc checkpoint of sandbox " + sandbox.id() + " failed: " + r.message());
        }
        // Frozen: what it wrote is all in the raw files now; the CRI log shows it before this returns.
        running.stream().map(ContainerEntry::pump).filter(java.util.Objects::nonNull).forEach(p -> p.flush());
        SandboxRecord checkpointed = sandbox.checkpointed(image.toAbsolutePath().toString());
        Records.write(layout.sandboxRecord(sandbox.id()), checkpointed);
        registry.putSandbox(checkpointed);
        LOG.info("event=sandbox-checkpointed sandbox={} image={} ms={}", sandbox.id(), image,
                (System.nanoTime() - t0) / 1_000_000);
    }

    SandboxRecord restore(SandboxSpec spec, Path image) {
        String id = Ids.check("sandbox", spec.id());
        if (!Files.isRegularFile(image.resolve("checkpoint.img"))) {
            throw new IllegalArgumentException("no checkpoint image in " + image);
        }
        SandboxRecord sandbox = registry.sandbox(id);
        if (sandbox == null) {
            sandbox = starter.prepare(spec);
        }
        List<ContainerEntry> resumed = List.of();
        String root = id;
        Path out = layout.sandboxLog(id);
        Path err = out;
        Path bundle = layout.sandbox(id);
        if (sandbox.singleContainer()) {
            resumed = registry.containersOf(id).stream().filter(e -> !e.isExited()).toList();
            if (resumed.size() != 1) {
                throw new IllegalStateException("single-container sandbox " + id + " has no checkpointed container");
            }
            String cid = resumed.getFirst().record().id();
            root = cid;
            out = layout.stdout(id, cid);
            err = layout.stderr(id, cid);
            bundle = layout.container(id, cid);
        }
        var state = runsc.run(sandbox.network(), Runsc.SHORT, "state", root);
        if (state.ok() && !state.out().contains("\"stopped\"")) {
            throw new IllegalStateException("sandbox " + id + " still runs; checkpoint it first");
        }
        if (state.ok()) {
            runsc.run(sandbox.network(), Runsc.SHORT, "delete", "--force", root);
        }
        List<String> cmd = runsc.command(sandbox.network(), List.of("restore", "--detach",
                "--image-path=" + image.toAbsolutePath(), "--bundle", bundle.toString(), root));
        if (sandbox.network().equals("sandbox")) {
            cmd = Runsc.hidingProcSysNet(cmd);
        }
        long from = TextFiles.size(err);
        long t0 = System.nanoTime();
        int rc = Runsc.runDetached(cmd, out, err, TIMEOUT);
        if (rc != 0) {
            throw new RunscException("runsc restore of sandbox " + id + " failed: " + TextFiles.appendedSince(err, from));
        }
        SandboxRecord running = sandbox.checkpointed(null);
        Records.write(layout.sandboxRecord(id), running);
        registry.putSandbox(running);
        for (ContainerEntry e : resumed) {
            watcher.watch(running, e);
        }
        LOG.info("event=sandbox-restored sandbox={} image={} ms={}", id, image, (System.nanoTime() - t0) / 1_000_000);
        return running;
    }
}
