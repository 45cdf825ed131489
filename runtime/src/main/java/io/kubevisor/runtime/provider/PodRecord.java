package io.kubevisor.runtime.provider;

import java.time.Instant;
import java.util.List;

/**
 * What the provider keeps on disk about a pod beyond its spec and what the runtime knows, so that
 * a restarted agent reports the same restart counts, last states and back-offs.
 *
 * @param sandboxId     the sandbox now running the pod, or null
 * @param podIp         the pod's IP once its network is attached
 * @param startTime     when the provider accepted the pod (status.startTime)
 * @param containers    one record per init container, then per container
 * @param terminalPhase Succeeded or Failed once the pod is done for good, else null
 * @param reason        the pod's status reason (DeadlineExceeded), or null
 * @param message       the pod's status message, or null
 */
record PodRecord(String sandboxId, String podIp, Instant startTime, List<Slot> containers, String terminalPhase,
                 String reason, String message) {

    /**
     * A container instance's end, as its status shows it.
     *
     * @param containerId the runtime's id of the instance
     */
    record Terminated(int exitCode, String reason, String message, Instant startedAt, Instant finishedAt,
                      String containerId) {
    }

    /**
     * One container's durable facts.
     *
     * @param instanceId   the runtime id of its current (or last) instance, or null before the first start
     * @param terminated   how the current instance ended, or null while it runs (or never ran)
     * @param last         how the instance before it ended (lastState), or null
     * @param crashBackoff the restart back-off, or null
     * @param pullBackoff  the image pull back-off, or null
     * @param pullError    the last image pull failure's message (for ImagePullBackOff), or null
     */
    record Slot(String name, boolean init, int restartCount, String instanceId, String imageName, String imageId,
                Instant startedAt, Terminated terminated, Terminated last, Backoff.Entry crashBackoff,
                Backoff.Entry pullBackoff, String pullError) {
    }
}
