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
 */
record SandboxRecord(String id, String hostname, String netns, String cgroupPath, String network, Resources resources,
                     Map<String, String> labels, Instant createdAt) {
}
