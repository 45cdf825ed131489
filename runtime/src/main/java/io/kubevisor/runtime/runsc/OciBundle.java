package io.kubevisor.runtime.runsc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.kubevisor.api.Json;
import io.kubevisor.runtime.sandbox.ContainerSpec;
import io.kubevisor.runtime.sandbox.Resources;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OCI runtime specs (config.json) for the pause container that roots a sandbox and for the app
 * containers that join it (by the CRI annotations runsc reads).
 */
final class OciBundle {

    /** Host tasks an idle sandbox already uses (sentry, gofer, ptrace stubs: 25-32 measured),
     * plus headroom for the gofers of a few containers, added to a pod's pids limit. */
    static final long SANDBOX_HOST_TASKS = 64;

    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static final String CONTAINER_TYPE = "io.kubernetes.cri.container-type";
    static final String SANDBOX_ID = "io.kubernetes.cri.sandbox-id";
    /**
     * Where a single-container sandbox's container finds the runtime's static busybox for helpers
     * (port-forward's relay): under /dev, which is the sandbox's own tmpfs, so that the image's
     * files and a listing of / stay as the image has them.
     */
    static final String HELPER_BUSYBOX = "/dev/.kubevisor/busybox";

    /** Docker's and containerd's default capability set. */
    private static final List<String> CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    private OciBundle() {
    }

    /** The pause container: busybox sleeping forever, read-only root, the pod's limits. */
    static ObjectNode pause(SandboxRecord sandbox, Path pauseRootfs) {
        ObjectNode spec = base();
        ObjectNode process = process(List.of("/bin/busybox", "sleep", "2147483647"), List.of(DEFAULT_PATH), "/", 0, 0);
        spec.set("process", process);
        spec.set("root", Json.object().put("path", pauseRootfs.toString()).put("readonly", true));
        spec.put("hostname", sandbox.hostname());
        spec.set("mounts", baseMounts());
        spec.set("annotations", Json.object().put(CONTAINER_TYPE, "sandbox").put(SANDBOX_ID, sandbox.id()));
        ObjectNode linux = Json.object();
        linux.put("cgroupsPath", sandbox.cgroupPath());
        linux.set("resources", resources(sandbox.resources()));
        ArrayNode ns = Json.array();
        for (String t : List.of("pid", "ipc", "uts", "mount")) {
            ns.add(Json.object().put("type", t));
        }
        ObjectNode net = Json.object().put("type", "network");
        if (sandbox.netns() != null && sandbox.network().equals("sandbox")) {
            net.put("path", sandbox.netns());
        }
        ns.add(net);
        linux.set("namespaces", ns);
        spec.set("linux", linux);
        return spec;
    }

    /**
     * An app container: the overlay over its image as a writable root (writes stay in the
     * sandbox's memory), the sandbox's hosts, resolv.conf and hostname files, its volumes, and a
     * terminal when it asks for one.
     */
    static ObjectNode container(SandboxRecord sandbox, ContainerSpec c, Path rootfs, Path etcDir) {
        ObjectNode spec = base();
        var env = new ArrayList<>(c.env());
        if (env.stream().noneMatch(e -> e.startsWith("PATH="))) {
            env.addFirst(DEFAULT_PATH);
        }
        String cwd = c.workingDir() == null || c.workingDir().isEmpty() ? "/" : c.workingDir();
        ObjectNode process = process(c.args(), env, cwd, Math.max(c.uid(), 0), Math.max(c.gid(), 0));
        // A root container's runsc run hands on its own terminal (script's); an app container's
        // create makes one and sends its master over the console socket (TerminalRelay).
        process.put("terminal", c.tty());
        spec.set("process", process);
        spec.set("root", Json.object().put("path", rootfs.toString()).put("readonly", false));
        spec.put("hostname", sandbox.hostname());
        ArrayNode mounts = baseMounts();
        mounts.add(bind(etcDir.resolve("hosts"), "/etc/hosts", true));
        mounts.add(bind(etcDir.resolve("resolv.conf"), "/etc/resolv.conf", true));
        mounts.add(bind(etcDir.resolve("hostname"), "/etc/hostname", true));
        for (ContainerSpec.Mount m : c.mounts()) {
            mounts.add(bind(m.hostPath(), m.containerPath(), m.readOnly()));
        }
        spec.set("mounts", mounts);
        spec.set("annotations", Json.object().put(CONTAINER_TYPE, "container").put(SANDBOX_ID, sandbox.id()));
        ObjectNode linux = Json.object();
        // All containers share the sandbox's kernel and memory; runsc creates this cgroup but the
        // host enforces only the sandbox's limits.
        linux.put("cgroupsPath", sandbox.cgroupPath() + "/" + c.id());
        linux.set("resources", resources(c.resources() == null ? Resources.none() : c.resources()));
        ArrayNode ns = Json.array();
        for (String t : List.of("pid", "ipc", "uts", "mount", "network")) {
            ns.add(Json.object().put("type", t));
        }
        linux.set("namespaces", ns);
        spec.set("linux", linux);
        return spec;
    }

    /**
     * The one container of a single-container sandbox, as runsc's root container: the sandbox's
     * network namespace, cgroup and limits (its own limits when the sandbox has none), and the
     * helpers' busybox read-only at {@link #HELPER_BUSYBOX}.
     */
    static ObjectNode rootContainer(SandboxRecord sandbox, ContainerSpec c, Path rootfs, Path etcDir,
                                    Path helperBusybox) {
        ObjectNode spec = container(sandbox, c, rootfs, etcDir);
        ((ArrayNode) spec.get("mounts")).add(bind(helperBusybox, HELPER_BUSYBOX, true));
        spec.set("annotations", Json.object().put(CONTAINER_TYPE, "sandbox").put(SANDBOX_ID, c.id()));
        ObjectNode linux = (ObjectNode) spec.get("linux");
        linux.put("cgroupsPath", sandbox.cgroupPath());
        linux.set("resources", resources(rootResources(sandbox, c)));
        for (var ns : linux.get("namespaces")) {
            if (ns.get("type").asString().equals("network") && sandbox.netns() != null
                    && sandbox.network().equals("sandbox")) {
                ((ObjectNode) ns).put("path", sandbox.netns());
            }
        }
        return spec;
    }

    /** A root container's limits: the sandbox's, or its own when the sandbox has none. */
    static Resources rootResources(SandboxRecord sandbox, ContainerSpec c) {
        Resources pod = sandbox.resources();
        boolean podHasLimits = pod.cpuMillis() > 0 || pod.cpuShares() > 0 || pod.memoryBytes() > 0 || pod.pids() > 0;
        return podHasLimits ? pod : c.resources() == null ? Resources.none() : c.resources();
    }

    /** Resources as OCI cgroup settings: cpu quota per 100 ms period, pids with the sandbox's own. */
    static ObjectNode resources(Resources r) {
        ObjectNode res = Json.object();
        if (r.memoryBytes() > 0) {
            res.set("memory", Json.object().put("limit", r.memoryBytes()));
        }
        if (r.cpuMillis() > 0 || r.cpuShares() > 0) {
            ObjectNode cpu = Json.object();
            if (r.cpuMillis() > 0) {
                long period = 100_000;
                cpu.put("quota", Math.max(1_000, r.cpuMillis() * period / 1000));
                cpu.put("period", period);
            }
            if (r.cpuShares() > 0) {
                cpu.put("shares", Math.max(2, r.cpuShares()));
            }
            res.set("cpu", cpu);
        }
        if (r.pids() > 0) {
            res.set("pids", Json.object().put("limit", r.pids() + SANDBOX_HOST_TASKS));
        }
        return res;
    }

    private static ObjectNode base() {
        return Json.object().put("ociVersion", "1.0.2");
    }

    private static ObjectNode process(List<String> args, List<String> env, String cwd, long uid, long gid) {
        ObjectNode p = Json.object();
        p.put("terminal", false);
        p.set("user", Json.object().put("uid", uid).put("gid", gid));
        ArrayNode a = Json.array();
        args.forEach(a::add);
        p.set("args", a);
        ArrayNode e = Json.array();
        env.forEach(e::add);
        p.set("env", e);
        p.put("cwd", cwd);
        ObjectNode caps = Json.object();
        for (String set : List.of("bounding", "effective", "permitted")) {
            ArrayNode list = Json.array();
            CAPS.forEach(list::add);
            caps.set(set, list);
        }
        p.set("capabilities", caps);
        ArrayNode rlimits = Json.array();
        rlimits.add(Json.object().put("type", "RLIMIT_NOFILE").put("hard", 1_048_576).put("soft", 1_048_576));
        p.set("rlimits", rlimits);
        return p;
    }

    private static ArrayNode baseMounts() {
        ArrayNode m = Json.array();
        m.add(Json.object().put("destination", "/proc").put("type", "proc").put("source", "proc"));
        m.add(mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"));
        m.add(mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666",
                "mode=0620"));
        m.add(mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
        m.add(mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro"));
        return m;
    }

    private static ObjectNode mount(String dest, String type, String source, String... options) {
        ObjectNode n = Json.object().put("destination", dest).put("type", type).put("source", source);
        ArrayNode o = Json.array();
        for (String s : options) {
            o.add(s);
        }
        n.set("options", o);
        return n;
    }

    private static ObjectNode bind(Path host, String dest, boolean readOnly) {
        return mount(dest, "bind", host.toString(), "rbind", "rprivate", readOnly ? "ro" : "rw");
    }
}
