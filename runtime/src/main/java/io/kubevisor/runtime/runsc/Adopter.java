package io.kubevisor.runtime.runsc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.kubevisor.runtime.logs.ContainerLogPump;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a new {@link RunscRuntime} does first on its directories: it reads the records an earlier
 * instance left, puts back log pumps and exit waiters for the containers that still run (and
 * their stdin holders and terminal relays), records the exits of those that ended meanwhile, and deletes runsc
 * containers that have no record.
 */
final class Adopter {

    private static final Logger LOG = LoggerFactory.getLogger(Adopter.class);

    private final Runsc runsc;
    private final Layout layout;
    private final Registry registry;
    private final HostCgroups cgroups;
    private final ExitWatcher watcher;
    private final ContainerStarter containerStarter;

    Adopter(Runsc runsc, Layout layout, Registry registry, HostCgroups cgroups, ExitWatcher watcher,
            ContainerStarter containerStarter) {
        this.runsc = runsc;
        this.layout = layout;
        this.registry = registry;
        this.cgroups = cgroups;
        this.watcher = watcher;
        this.containerStarter = containerStarter;
    }

    /** Takes over what an earlier instance left: records, waiters for live containers, log pumps. */
    void adopt() {
        for (Path dir : list(layout.sandboxes())) {
            SandboxRecord s = Records.read(dir.resolve("sandbox.json"), SandboxRecord.class);
            if (s == null) {
                LOG.warn("event=sandbox-record-unreadable dir={}", dir);
                continue;
            }
            registry.putSandbox(s);
            // A single-container sandbox is as alive as its container, which is asked below.
            boolean alive = s.singleContainer()
                    || runsc.run(s.network(), Runsc.SHORT, "state", s.id()).out().contains("\"running\"");
            for (Path cdir : list(layout.containers(s.id()))) {
                ContainerRecord c = Records.read(cdir.resolve("container.json"), ContainerRecord.class);
                if (c == null) {
                    LOG.warn("event=container-record-unreadable dir={}", cdir);
                    continue;
                }
                adopt(s, c, alive);
            }
            LOG.info("event=sandbox-adopted sandbox={} running={}", s.id(), alive);
        }
        deleteOrphans();
    }

    /**
     * runsc containers in this runtime's own state root without a record (an agent that died in
     * the middle of a remove) belong to nobody: they are deleted.
     */
    private void deleteOrphans() {
        var list = runsc.run("none", Runsc.SHORT, "list", "-quiet");
        if (!list.ok()) {
            return;
        }
        for (String id : list.out().lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            if (registry.sandbox(id) == null && registry.container(id) == null) {
                LOG.warn("event=orphan-deleted id={}", id);
                runsc.run("none", Runsc.SHORT, "kill", id, "KILL");
                runsc.run("none", Runsc.SHORT, "delete", "--force", id);
            }
        }
    }

    private void adopt(SandboxRecord s, ContainerRecord c, boolean sandboxAlive) {
        var entry = new ContainerEntry(c, layout.containerRecord(s.id(), c.id()));
        registry.putContainer(entry);
        // Its stdin's holder outlived the earlier agent; it goes when the container is removed.
        StdinPipe.adopt(layout.stdin(s.id(), c.id())).ifPresent(entry::stdin);
        // So does an app container's terminal relay: attach and resizes find the terminal again.
        TerminalRelay.adopt(layout.stdout(s.id(), c.id())).ifPresent(entry::relay);
        if (s.singleContainer() && ContainerRecord.RUNNING.equals(c.status())) {
            // A single container's terminal is script's, which outlived the earlier agent with it.
            TerminalResizer.recorded(layout.stdout(s.id(), c.id())).ifPresent(entry::terminalPath);
        }
        if (c.logFile() == null) {
            return;
        }
        ContainerLogPump pump = containerStarter.pump(s.id(), c.id(), Path.of(c.logFile()));
        entry.pump(pump);
        if (s.checkpointImage() != null && ContainerRecord.RUNNING.equals(c.status())) {
            // Checkpointed: it goes on at restore, which attaches a new waiter.
            pump.start();
        } else if (ContainerRecord.RUNNING.equals(c.status()) && sandboxAlive
                && runsc.run(s.network(), Runsc.SHORT, "state", c.id()).ok()) {
            pump.start();
            entry.oomKillsBefore(cgroups.oomKills(s.cgroupPath()));
            // Also learns the code of an app container that ended while no agent ran.
            watcher.watch(s, entry);
        } else if (ContainerRecord.RUNNING.equals(c.status())) {
            watcher.finish(s, entry, null);
        } else {
            pump.finish(Duration.ofSeconds(10));
        }
    }

    private static List<Path> list(Path dir) {
        var out = new ArrayList<Path>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isDirectory(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
