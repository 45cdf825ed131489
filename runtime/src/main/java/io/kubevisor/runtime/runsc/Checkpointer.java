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
 * sandbox's root container (gVisor issue 1956: the restore reconnects only the root's file
 * system), so a sandbox with running app containers is refused before anything is touched, rather
 * than stopped into an image that cannot come back.
 */
final class Checkpointer {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final Runsc runsc;
    private final Layout layout;
    private final Registry registry;
    private final SandboxStarter starter;

    Checkpointer(Runsc runsc, Layout layout, Registry registry, SandboxStarter starter) {
        this.runsc = runsc;
        this.layout = layout;
        this.registry = registry;
        this.starter = starter;
    }

    void checkpoint(SandboxRecord sandbox, Path image) {
        List<String> running = registry.containersOf(sandbox.id()).stream()
                .filter(e -> !e.isExited())
                .map(e -> e.record().id())
                .toList();
        if (!running.isEmpty()) {
            throw new UnsupportedOperationException("runsc cannot restore app containers (only a sandbox's root "
                    + "container; gVisor issue 1956), so sandbox " + sandbox.id()
                    + " is not checkpointed while these run: " + running);
        }
        try {
            Files.createDirectories(image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long t0 = System.nanoTime();
        var r = runsc.run(sandbox.network(), TIMEOUT, "checkpoint", "--image-path=" + image.toAbsolutePath(),
                sandbox.id());
        if (!r.ok()) {
            throw new RunscException("runsc checkpoint of sandbox " + sandbox.id() + " failed: " + r.message());
        }
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
        var state = runsc.run(sandbox.network(), Runsc.SHORT, "state", id);
        if (state.ok() && !state.out().contains("\"stopped\"")) {
            throw new IllegalStateException("sandbox " + id + " still runs; checkpoint it first");
        }
        if (state.ok()) {
            runsc.run(sandbox.network(), Runsc.SHORT, "delete", "--force", id);
        }
        List<String> cmd = runsc.command(sandbox.network(), List.of("restore", "--detach",
                "--image-path=" + image.toAbsolutePath(), "--bundle", layout.sandbox(id).toString(), id));
        if (sandbox.network().equals("sandbox")) {
            cmd = Runsc.hidingProcSysNet(cmd);
        }
        Path log = layout.sandboxLog(id);
        long from = TextFiles.size(log);
        long t0 = System.nanoTime();
        int rc = Runsc.runDetached(cmd, log, log, TIMEOUT);
        if (rc != 0) {
            throw new RunscException("runsc restore of sandbox " + id + " failed: " + TextFiles.appendedSince(log, from));
        }
        LOG.info("event=sandbox-restored sandbox={} image={} ms={}", id, image, (System.nanoTime() - t0) / 1_000_000);
        return sandbox;
    }
}
