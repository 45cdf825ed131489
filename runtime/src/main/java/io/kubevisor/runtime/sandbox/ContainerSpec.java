package io.kubevisor.runtime.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one container needs.
 *
 * @param id         fixed-length lowercase hex
 * @param rootfs     the unpacked image root (read-only; writes go to an overlay in the sandbox)
 * @param args       the full command line (entrypoint + args resolved by the caller)
 * @param env        environment, in order
 * @param workingDir working directory, or null for "/"
 * @param uid        user id, or -1 for the image's default (root)
 * @param gid        group id, or -1
 * @param mounts     volumes: host path → container path
 * @param resources  container limits; where all containers of a sandbox share one kernel (runsc)
 *                   the host enforces only the sandbox's limits, so the caller puts the pod's
 *                   totals into {@link SandboxSpec#resources()}
 * @param tty        allocate a terminal (a runtime without terminal support runs it without one)
 * @param stdin      keep stdin open for attach (a runtime without attach gives /dev/null)
 * @param logFile    where stdout/stderr go, in CRI log format; the caller owns the file (the runtime
 *                   never deletes it)
 * @param labels     recorded with the container
 */
public record ContainerSpec(String id, Path rootfs, List<String> args, List<String> env, String workingDir, long uid,
                            long gid, List<Mount> mounts, Resources resources, boolean tty, boolean stdin, Path logFile,
                            Map<String, String> labels) {

    /** A bind mount of a host path (a volume) into the container. */
    public record Mount(Path hostPath, String containerPath, boolean readOnly) {
    }

    /** This spec with one more mount, after the others. */
    public ContainerSpec withMount(Mount m) {
        var all = new java.util.ArrayList<>(mounts);
        all.add(m);
        return new ContainerSpec(id, rootfs, args, env, workingDir, uid, gid, List.copyOf(all), resources, tty, stdin,
                logFile, labels);
    }
}
