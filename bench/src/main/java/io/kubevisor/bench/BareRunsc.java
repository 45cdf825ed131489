package io.kubevisor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.kubevisor.api.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The baseline: sandboxes started with runsc directly, with the global flags Kubevisor's runtime
 * uses ({@code --platform=ptrace --overlay2=root:memory}, a state root of its own) and the same
 * busybox root, each running {@code sleep 3600}. What is not part of a start (bundle, network
 * namespace) is prepared untimed; {@link #start} times the runsc commands alone. Sandboxes stay
 * until {@link #deleteAll}; {@link #close} also removes the bridge, leftover sandboxes and cgroups.
 *
 * <p>Every name carries a random tag ({@code kvbXXXX}): network namespaces {@code TAG-p-N} and
 * {@code TAG-b}, cgroups under {@code /TAG}, fixed-length runsc ids (runsc matches ids by prefix).
 * Thread-safe: starts may run concurrently.
 */
final class BareRunsc implements AutoCloseable {

    /** What is started. */
    enum Shape {
        /** {@code runsc run --detach} in a network namespace wired like a pod's (veth to a bridge). */
        NETNS("bare `runsc run --detach`, pod-like netns"),
        /** {@code runsc run --detach --network=none}: no network namespace at all. */
        NO_NETWORK("bare `runsc run --detach`, `--network=none`"),
        /**
         * What a Kubevisor pod is, by hand: {@code create} + {@code start} of a pause sandbox in a
         * pod-like netns, then {@code create} + {@code start} of the app container in it.
         */
        POD("bare pod shape: pause + app container, `create`/`start` ×2, pod-like netns");

        final String label;

        Shape(String label) {
            this.label = label;
        }
    }

    /** A sandbox ready to start: its ids, bundles and network namespace (null: none). */
    record Prepared(Shape shape, String id, Path bundle, String appId, Path appBundle, String netns) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String HIDE_PROC_SYS_NET =
            "mount -t tmpfs -o size=4k kvbench-hide /proc/sys/net && exec \"$0\" \"$@\"";
    private static final List<String> CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    private final Path dir;
    private final Path stateRoot;
    private final Path rootfs;
    private final Path log;
    private final String tag;
    private final AtomicInteger seq = new AtomicInteger();
    private final List<Prepared> live = Collections.synchronizedList(new ArrayList<>());
    private boolean bridge;

    private BareRunsc(Path dir, Path rootfs, String tag) {
        this.dir = dir;
        this.stateRoot = dir.resolve("state");
        this.rootfs = rootfs;
        this.log = dir.resolve("runsc.log");
        this.tag = tag;
    }

    /** A baseline working in {@code dir} on {@code rootfs}. */
    static BareRunsc open(Path dir, Path rootfs) {
        byte[] b = new byte[2];
        new SecureRandom().nextBytes(b);
        try {
            Files.createDirectories(dir.resolve("state"));
            Files.createDirectories(dir.resolve("bundles"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BareRunsc(dir.toAbsolutePath(), rootfs, "kvb" + HexFormat.of().formatHex(b));
    }

    Path stateRoot() {
        return stateRoot;
    }

    /** The memory cgroup all of this baseline's sandboxes are under. */
    Path memoryCgroup() {
        return Path.of("/sys/fs/cgroup/memory", tag);
    }

    /** The prefix of every network namespace and the top cgroup of this baseline. */
    String tag() {
        return tag;
    }

    /** Writes the bundle(s) and wires the network namespace; nothing of this is timed. */
    synchronized Prepared prepare(Shape shape) {
        int n = seq.incrementAndGet();
        String netns = shape == Shape.NO_NETWORK ? null : tag + "-p-" + n;
        if (netns != null) {
            plumb(netns, n);
        }
        // Fixed length: runsc resolves ids by prefix.
        String id = String.format("%s-s-%05d", tag, n);
        String appId = shape == Shape.POD ? String.format("%s-c-%05d", tag, n) : null;
        Path bundle = dir.resolve("bundles").resolve(id);
        String cgroup = "/" + tag + "/" + id;
        if (shape == Shape.POD) {
            write(bundle, spec(List.of("/bin/busybox", "sleep", "2147483647"), id, cgroup, netns, "sandbox", id,
                    null));
            Path app = bundle.resolve("containers").resolve(appId);
            write(app, spec(List.of("/bin/sleep", "3600"), id, cgroup + "/" + appId, null, "container", id,
                    podFiles(app, id, n)));
            return new Prepared(shape, id, bundle, appId, app, netns);
        }
        write(bundle, spec(List.of("/bin/sleep", "3600"), id, cgroup, netns, null, null, podFiles(bundle, id, n)));
        return new Prepared(shape, id, bundle, null, null, netns);
    }

    /**
     * Starts a prepared sandbox and returns how long the runsc commands took, in nanoseconds: from
     * just before the first is spawned until the last has exited with 0 (runsc then reports the
     * container running). The sandbox keeps running.
     */
    long start(Prepared p) {
        long t0 = System.nanoTime();
        switch (p.shape()) {
            case NETNS -> runsc("sandbox", true, "run", "--detach", "--bundle", p.bundle().toString(), p.id());
            case NO_NETWORK -> runsc("none", false, "run", "--detach", "--bundle", p.bundle().toString(), p.id());
            case POD -> {
                runsc("sandbox", false, "create", "--bundle", p.bundle().toString(), p.id());
                runsc("sandbox", true, "start", p.id());
                runsc("sandbox", false, "create", "--bundle", p.appBundle().toString(), p.appId());
                runsc("sandbox", false, "start", p.appId());
            }
        }
        long nanos = System.nanoTime() - t0;
        live.add(p);
        String state = HostCommand.check(TIMEOUT, command("none", List.of("state",
                p.appId() != null ? p.appId() : p.id())).toArray(String[]::new));
        if (!state.contains("\"running\"")) {
            throw new IllegalStateException("sandbox " + p.id() + " is not running after start: " + state);
        }
        return nanos;
    }

    /** How many sandboxes run. */
    int running() {
        return live.size();
    }

    /** Deletes every sandbox and its network namespace, {@code parallel} at a time. */
    void deleteAll(int parallel) throws Exception {
        List<Prepared> all;
        synchronized (live) {
            all = new ArrayList<>(live);
            live.clear();
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(parallel)) {
            List<Future<Object>> done = new ArrayList<>();
            for (Prepared p : all) {
                done.add(pool.submit((Callable<Object>) () -> {
                    delete(p);
                    return null;
                }));
            }
            for (Future<Object> f : done) {
                f.get();
            }
        }
    }

    /** Deletes what is left (also after a failure), the bridge, and this baseline's cgroups. */
    @Override
    public void close() {
        try {
            deleteAll(4);
        } catch (Exception e) {
            Progress.say("baseline: delete failed: " + e.getMessage());
        }
        HostCommand.Result list = HostCommand.run(TIMEOUT, command("none", List.of("list", "-quiet")));
        for (String id : list.out().lines().map(String::strip).filter(s -> !s.isEmpty()).toList()) {
            Progress.say("baseline: deleting leftover sandbox " + id);
            HostCommand.run(TIMEOUT, command("none", List.of("delete", "--force", id)));
        }
        for (String ns : HostCommand.run(TIMEOUT, "ip", "netns", "list").out().lines()
                .map(l -> l.split(" ")[0]).filter(n -> n.startsWith(tag + "-")).toList()) {
            HostCommand.run(TIMEOUT, "ip", "netns", "del", ns);
        }
        bridge = false;
        removeCgroups(tag);
    }

    private void delete(Prepared p) {
        if (p.appId() != null) {
            HostCommand.run(TIMEOUT, command("none", List.of("delete", "--force", p.appId())));
        }
        HostCommand.Result r = HostCommand.run(TIMEOUT, command("none", List.of("delete", "--force", p.id())));
        if (!r.ok()) {
            Progress.say("baseline: runsc delete " + p.id() + ": " + r.message());
        }
        if (p.netns() != null) {
            HostCommand.run(TIMEOUT, "ip", "netns", "del", p.netns());
        }
    }

    /** A pod-like network: the netns with lo and eth0, eth0's peer a port of br0 in the bridge netns. */
    private void plumb(String netns, int n) {
        String br = tag + "-b";
        if (!bridge) {
            HostCommand.check(TIMEOUT, "ip", "netns", "add", br);
            HostCommand.check(TIMEOUT, "ip", "-n", br, "link", "set", "lo", "up");
            HostCommand.check(TIMEOUT, "ip", "-n", br, "link", "add", "br0", "type", "bridge");
            HostCommand.check(TIMEOUT, "ip", "-n", br, "addr", "add", "10.251.0.1/24", "dev", "br0");
            HostCommand.check(TIMEOUT, "ip", "-n", br, "link", "set", "br0", "up");
            bridge = true;
        }
        String peer = String.format("v%05d", n);
        String ip = "10.251.0." + (2 + n % 250) + "/24";
        HostCommand.check(TIMEOUT, "ip", "netns", "add", netns);
        HostCommand.check(TIMEOUT, "ip", "-n", netns, "link", "set", "lo", "up");
        HostCommand.check(TIMEOUT, "ip", "-n", netns, "link", "add", "eth0", "type", "veth", "peer", "name", peer);
        HostCommand.check(TIMEOUT, "ip", "-n", netns, "link", "set", peer, "netns", br);
        HostCommand.check(TIMEOUT, "ip", "-n", br, "link", "set", peer, "master", "br0");
        HostCommand.check(TIMEOUT, "ip", "-n", br, "link", "set", peer, "up");
        HostCommand.check(TIMEOUT, "ip", "-n", netns, "addr", "add", ip, "dev", "eth0");
        HostCommand.check(TIMEOUT, "ip", "-n", netns, "link", "set", "eth0", "up");
        HostCommand.check(TIMEOUT, "ip", "-n", netns, "route", "add", "default", "via", "10.251.0.1");
    }

    private void runsc(String network, boolean hide, String... args) {
        List<String> cmd = command(network, List.of(args));
        if (hide) {
            // As Kubevisor does: runsc's root-netns check misfires on this kernel (see runtimes.md §3).
            var wrapped = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                    HIDE_PROC_SYS_NET));
            wrapped.addAll(cmd);
            cmd = wrapped;
        }
        long from = size(log);
        int rc = HostCommand.runDetached(cmd, log, TIMEOUT);
        if (rc != 0) {
            throw new IllegalStateException("runsc " + args[0] + " " + args[args.length - 1] + " failed (rc " + rc
                    + "): " + tail(from));
        }
    }

    private List<String> command(String network, List<String> args) {
        var cmd = new ArrayList<String>(List.of("/usr/bin/runsc", "--root=" + stateRoot, "--platform=ptrace",
                "--network=" + network, "--overlay2=root:memory"));
        cmd.addAll(args);
        return cmd;
    }

    /**
     * The files Kubevisor binds into a pod's container, written as it writes them for a pod of
     * that name and address: {@code /etc/hosts}, {@code resolv.conf}, {@code hostname} (read-only),
     * the termination-message file (read-write) and its helper busybox (read-only).
     */
    private static ArrayNode podFiles(Path bundle, String hostname, int n) {
        Path files = bundle.resolve("files");
        String ip = "10.251." + (n / 250) + "." + (2 + n % 250);
        ArrayNode binds = Json.array();
        try {
            Files.createDirectories(files);
            Map<String, String> texts = new LinkedHashMap<>();
            texts.put("/etc/hosts", "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost "
                    + "ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\n"
                    + "fe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n" + ip + "\t" + hostname + "\n");
            texts.put("/etc/resolv.conf", "search seq.svc.cluster.local svc.cluster.local cluster.local\n"
                    + "nameserver 10.96.0.10\noptions ndots:5\n");
            texts.put("/etc/hostname", hostname + "\n");
            for (var e : texts.entrySet()) {
                Path f = files.resolve(e.getKey().substring(e.getKey().lastIndexOf('/') + 1));
                Files.writeString(f, e.getValue());
                binds.add(mount(e.getKey(), "bind", f.toString(), "rbind", "rprivate", "ro"));
            }
            Path termination = Files.writeString(files.resolve("termination-log"), "");
            binds.add(mount("/dev/termination-log", "bind", termination.toString(), "rbind", "rprivate", "rw"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        binds.add(mount("/dev/.kubevisor/busybox", "bind", "/bin/busybox", "rbind", "rprivate", "ro"));
        return binds;
    }

    /**
     * An OCI spec like Kubevisor's (same mounts, capabilities, namespaces, pids limit); with
     * {@code binds}, a pod's container: its root writable (to memory, through the overlay flag)
     * and its files bound as Kubevisor binds them; without, a pause container on a read-only root.
     */
    private ObjectNode spec(List<String> args, String hostname, String cgroup, String netns, String criType,
                            String sandboxId, ArrayNode binds) {
        ObjectNode p = Json.object();
        p.put("terminal", false);
        p.set("user", Json.object().put("uid", 0).put("gid", 0));
        ArrayNode a = p.putArray("args");
        args.forEach(a::add);
        ArrayNode env = p.putArray("env").add("PATH=/bin");
        if (binds != null) {
            // What a pod's container gets: its hostname and the kubernetes service's variables.
            env.add("HOSTNAME=" + hostname);
            for (String v : List.of("SERVICE_HOST=10.96.0.1", "SERVICE_PORT=443", "SERVICE_PORT_HTTPS=443",
                    "PORT=tcp://10.96.0.1:443", "PORT_443_TCP=tcp://10.96.0.1:443", "PORT_443_TCP_PROTO=tcp",
                    "PORT_443_TCP_PORT=443", "PORT_443_TCP_ADDR=10.96.0.1")) {
                env.add("KUBERNETES_" + v);
            }
        }
        p.put("cwd", "/");
        ObjectNode caps = p.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            ArrayNode list = caps.putArray(set);
            CAPS.forEach(list::add);
        }
        p.putArray("rlimits").add(Json.object().put("type", "RLIMIT_NOFILE").put("hard", 1_048_576)
                .put("soft", 1_048_576));
        ObjectNode spec = Json.object().put("ociVersion", "1.0.2");
        spec.set("process", p);
        spec.set("root", Json.object().put("path", rootfs.toString()).put("readonly", binds == null));
        spec.put("hostname", hostname.substring(0, Math.min(hostname.length(), 63)));
        ArrayNode mounts = spec.putArray("mounts");
        mounts.add(Json.object().put("destination", "/proc").put("type", "proc").put("source", "proc"));
        mounts.add(mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"));
        mounts.add(mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666",
                "mode=0620"));
        mounts.add(mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
        mounts.add(mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro"));
        if (binds != null) {
            mounts.addAll(binds);
        }
        if (criType != null) {
            spec.set("annotations", Json.object().put("io.kubernetes.cri.container-type", criType)
                    .put("io.kubernetes.cri.sandbox-id", sandboxId));
        }
        ObjectNode linux = spec.putObject("linux");
        linux.put("cgroupsPath", cgroup);
        // Kubevisor's default pod pids limit, with room for the sandbox's own host tasks.
        linux.set("resources", Json.object().set("pids", Json.object().put("limit", 4160)));
        ArrayNode ns = linux.putArray("namespaces");
        for (String t : List.of("pid", "ipc", "uts", "mount")) {
            ns.add(Json.object().put("type", t));
        }
        ObjectNode net = Json.object().put("type", "network");
        if (netns != null) {
            net.put("path", "/var/run/netns/" + netns);
        }
        ns.add(net);
        return spec;
    }

    private static ObjectNode mount(String dest, String type, String source, String... options) {
        ObjectNode n = Json.object().put("destination", dest).put("type", type).put("source", source);
        ArrayNode o = n.putArray("options");
        for (String s : options) {
            o.add(s);
        }
        return n;
    }

    private static void write(Path bundle, ObjectNode spec) {
        try {
            Files.createDirectories(bundle);
            Files.writeString(bundle.resolve("config.json"), Json.string(spec));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes {@code /sys/fs/cgroup/<controller>/<top>} and what is below it, deepest first, where empty. */
    static void removeCgroups(String top) {
        try (Stream<Path> controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path c : controllers.toList()) {
                Path root = c.resolve(top);
                if (!Files.isDirectory(root)) {
                    continue;
                }
                List<Path> dirs;
                try (Stream<Path> walk = Files.walk(root)) {
                    dirs = walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
                }
                for (Path d : dirs) {
                    try {
                        Files.delete(d);
                    } catch (IOException e) {
                        Progress.say("cannot remove cgroup " + d + ": " + e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            Progress.say("cannot list cgroups: " + e.getMessage());
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private String tail(long from) {
        try {
            byte[] all = Files.readAllBytes(log);
            int start = (int) Math.min(from, all.length);
            return new String(all, start, all.length - start).strip().replace('\n', ' ');
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
