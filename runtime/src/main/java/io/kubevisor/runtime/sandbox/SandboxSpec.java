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
}
