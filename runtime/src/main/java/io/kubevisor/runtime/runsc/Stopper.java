package io.kubevisor.runtime.runsc;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stops a container: SIGTERM, up to the grace period, then SIGKILL; returns once it exited. */
final class Stopper {

    private static final Logger LOG = LoggerFactory.getLogger(Stopper.class);
    private static final Duration AFTER_KILL = Duration.ofSeconds(15);

    private final Runsc runsc;

    Stopper(Runsc runsc) {
        this.runsc = runsc;
    }

    void stop(SandboxRecord sandbox, ContainerEntry entry, Duration grace) {
        String cid = entry.record().id();
        if (entry.isExited() || !ContainerRecord.RUNNING.equals(entry.record().status())) {
            return;
        }
        long t0 = System.nanoTime();
        if (grace != null && grace.isPositive()) {
            // Fails harmlessly when the process is already gone; the waiter records that.
            runsc.run(sandbox.network(), Runsc.SHORT, "kill", cid, "TERM");
            if (entry.awaitExit(grace)) {
                LOG.info("event=container-stopped container={} signal=TERM ms={}", cid, (System.nanoTime() - t0) / 1_000_000);
                return;
            }
        }
        runsc.run(sandbox.network(), Runsc.SHORT, "kill", cid, "KILL");
        if (!entry.awaitExit(AFTER_KILL)) {
            throw new RunscException("container " + cid + " did not exit within " + AFTER_KILL.toSeconds()
                    + "s of SIGKILL");
        }
        LOG.info("event=container-stopped container={} signal=KILL ms={}", cid, (System.nanoTime() - t0) / 1_000_000);
    }
}
