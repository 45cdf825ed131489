package io.kubevisor.runtime.runsc;

import java.nio.file.Path;
import java.util.Objects;

import io.kubevisor.runtime.logs.LogRotation;

/**
 * How {@link RunscRuntime} drives runsc.
 *
 * @param runsc        the runsc binary
 * @param stateRoot    runsc's {@code --root}: its own state files; owned by this runtime alone
 * @param platform     runsc's {@code --platform}: {@code ptrace} where there is no KVM
 * @param network      how sandboxes get a network
 * @param bundleDir    this runtime's working directory: bundles, records, raw output, the pause
 *                     root file system; must survive agent restarts
 * @param cgroupParent the cgroup (v1 path, absolute) under which sandboxes without their own
 *                     cgroup path go, e.g. {@code /kubevisor}
 * @param debugLogDir  where runsc writes one debug log per command, or null for none
 * @param pauseBusybox a static busybox copied into the pause container's root file system
 * @param logRotation  how containers' CRI logs rotate
 */
public record RunscOptions(Path runsc, Path stateRoot, String platform, NetworkMode network, Path bundleDir,
                           String cgroupParent, Path debugLogDir, Path pauseBusybox, LogRotation logRotation) {

    /** How sandboxes get a network. */
    public enum NetworkMode {
        /** The sandbox's own network stack in the spec's network namespace; none when it has none. */
        SANDBOX,
        /** Loopback only, whatever the spec says. */
        NONE,
        /** The host's network stack: development only, no isolation. */
        HOST
    }

    public RunscOptions {
        Objects.requireNonNull(runsc, "runsc");
        Objects.requireNonNull(stateRoot, "stateRoot");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(bundleDir, "bundleDir");
        Objects.requireNonNull(cgroupParent, "cgroupParent");
        Objects.requireNonNull(pauseBusybox, "pauseBusybox");
        Objects.requireNonNull(logRotation, "logRotation");
        if (!cgroupParent.startsWith("/")) {
            throw new IllegalArgumentException("cgroupParent must be absolute: " + cgroupParent);
        }
        stateRoot = stateRoot.toAbsolutePath();
        bundleDir = bundleDir.toAbsolutePath();
        debugLogDir = debugLogDir == null ? null : debugLogDir.toAbsolutePath();
    }

    /**
     * The defaults for a node: {@code /usr/bin/runsc}, ptrace, sandbox networking, state and
     * bundles under {@code workDir}, cgroups under {@code /kubevisor}, busybox from
     * {@code /bin/busybox} (Debian's busybox-static), the kubelet's log rotation.
     */
    public static RunscOptions defaults(Path workDir) {
        return new RunscOptions(Path.of("/usr/bin/runsc"), workDir.resolve("runsc-state"), "ptrace",
                NetworkMode.SANDBOX, workDir.resolve("sandboxes"), "/kubevisor", null, Path.of("/bin/busybox"),
                LogRotation.defaults());
    }

    /** A copy with another cgroup parent. */
    public RunscOptions withCgroupParent(String parent) {
        return new RunscOptions(runsc, stateRoot, platform, network, bundleDir, parent, debugLogDir, pauseBusybox,
                logRotation);
    }

    /** A copy with a debug log directory (null: none). */
    public RunscOptions withDebugLogDir(Path dir) {
        return new RunscOptions(runsc, stateRoot, platform, network, bundleDir, cgroupParent, dir, pauseBusybox,
                logRotation);
    }
}
