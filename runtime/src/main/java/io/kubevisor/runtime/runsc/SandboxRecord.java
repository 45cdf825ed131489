package io.kubevisor.runtime.runsc;

import java.time.Instant;
import java.util.Map;

import io.kubevisor.runtime.sandbox.Resources;

/**
 * What a sandbox was started with, kept on disk so a restarted agent can find it again.
 *
 * @param network    the {@code --network} flag it runs with
 * @param cgroupPath its cgroup (v1 path)
 * @param netns      its network namespace path, or null
 * @param singleContainer its one container is runsc's root container (no pause), which makes the
 *                   sandbox checkpointable: runsc restores only root containers
 * @param checkpointImage where it was checkpointed to while it is checkpointed, else null
 */
record SandboxRecord(String id, String hostname, String netns, String cgroupPath, String network, Resources resources,
                     Map<String, String> labels, Instant createdAt, boolean singleContainer, String checkpointImage) {

    SandboxRecord checkpointed(String image) {
        return new SandboxRecord(id, hostname, netns, cgroupPath, network, resources, labels, createdAt, singleContainer,
                image);
    }
}
