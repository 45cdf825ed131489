package io.kubevisor.runtime.sandbox;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a pod sandbox needs from the runtime.
 *
 * @param id          fixed-length lowercase hex
 * @param hostname    the pod's hostname
 * @param netns       the network namespace to run in (the pod's), or null for no network
 * @param cgroupParent the cgroup path for the pod (limits of all its containers), absolute; or null
 *                     for the runtime's default (its own parent plus the sandbox id)
 * @param resources   pod-level limits
 * @param etcHosts    /etc/hosts content for every container
 * @param resolvConf  /etc/resolv.conf content for every container
 * @param labels      recorded with the sandbox and returned by {@link SandboxRuntime#sandboxes()}; a
 *                    runtime may document label keys of its own that shape the sandbox
 */
public record SandboxSpec(String id, String hostname, Path netns, String cgroupParent, Resources resources,
                          String etcHosts, String resolvConf, Map<String, String> labels) {

    /**
     * A label asking for a sandbox that holds one container at a time, with nothing else in it
     * (no pause process): the container starts the sandbox and ends it, and the next container
     * (a restart) gets a new one on the same network and limits. Cheaper to start and
     * checkpointable with its work; a runtime that cannot do it says so in its documentation and
     * ignores the label.
     */
    public static final String SINGLE_CONTAINER = "runtime.kubevisor.io/single-container";

    /** Whether {@link #SINGLE_CONTAINER} is asked for. */
    public boolean singleContainer() {
        return labels != null && "true".equals(labels.get(SINGLE_CONTAINER));
    }
}
