package io.kubevisor.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.kubevisor.node.provider.PodRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real network namespaces, veths and bridges, with busybox servers and clients inside them
 * (no sandbox runtime). Needs root and iproute2; every netns carries a random per-run prefix
 * and is removed after each test, also when it fails.
 */
class PodNetworkIT {

    private static final String CIDR = "10.244.0.0/16";

    @TempDir
    Path stateDir;
    @TempDir
    Path www;

    private String prefix;
    private PodNetwork net;
    private final List<Process> servers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        prefix = PodNetworkOptions.randomPrefix();
        net = new PodNetwork(options(prefix));
    }

    private PodNetworkOptions options(String namePrefix) {
        return new PodNetworkOptions(CIDR, namePrefix, stateDir);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (var p : servers) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
        }
        for (String ns : ourNetns()) {
            new ProcessBuilder("ip", "netns", "del", ns).inheritIO().start().waitFor();
        }
        assertThat(ourNetns()).as("netns left behind").isEmpty();
    }

    private List<String> ourNetns() throws IOException {
        var dir = Path.of("/var/run/netns");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix + "-")).sorted().toList();
        }
    }

    /** The text of every file in the network's state directory. */
    private String stateFiles() throws Exception {
        var text = new StringBuilder();
        try (var files = Files.list(stateDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                text.append(Files.readString(f));
            }
        }
        return text.toString();
    }

    private static PodNetworkRequest pod(String namespace, String name) {
        return new PodNetworkRequest(namespace, name, UUID.randomUUID().toString());
    }

    private static String sh(String... cmd) throws Exception {
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }

    /** Starts busybox httpd in the pod serving a file with the given body, and waits until it answers. */
    private void serveHttp(PodInterface pod, String body) throws Exception {
        var root = Files.createDirectories(www.resolve(pod.podUid()));
        Files.writeString(root.resolve("index.html"), body);
        servers.add(net.startInNetns(pod.podUid(), List.of("busybox", "httpd", "-f", "-p", "8080", "-h",
                root.toString())));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> wget(pod, "127.0.0.1").succeeded());
    }

    private NetnsExecResult wget(PodInterface from, String ip) {
        return net.runInNetns(from.podUid(), List.of("timeout", "2", "busybox", "wget", "-q", "-O", "-",
                "http://" + ip + ":8080/index.html"), Duration.ofSeconds(5));
    }

    @Test
    void podsOfOneNamespaceReachEachOtherAndNoOtherNamespace() throws Exception {
        String rootLinks = sh("ip", "-o", "link", "show").replaceAll("\\s+link/.*", "");
        String rootRoutes = sh("ip", "route", "show");
        String rootAddrs = sh("ip", "-o", "addr", "show");

        var a1 = net.attach(pod("team-a", "a1"));
        var a2 = net.attach(pod("team-a", "a2"));
        var b1 = net.attach(pod("team-b", "b1"));

        var cidr = Ipv4Cidr.parse(CIDR);
        var subnetA = Ipv4Cidr.parse(a1.ip().replaceAll("\\.\\d+$", ".0") + "/24");
        assertThat(Set.of(a1.ip(), a2.ip(), b1.ip())).hasSize(3);
        assertThat(List.of(a1.ip(), a2.ip(), b1.ip())).allMatch(cidr::contains);
        assertThat(subnetA.contains(a2.ip())).isTrue();
        assertThat(subnetA.contains(b1.ip())).isFalse();
        assertThat(a1.gateway()).isEqualTo(Ipv4Cidr.format(subnetA.host(1))).isEqualTo(a2.gateway());
        assertThat(a1.prefixLength()).isEqualTo(24);
        assertThat(a1.interfaceName()).isEqualTo("eth0");
        assertThat(a1.netnsPath()).isEqualTo(Path.of("/var/run/netns", a1.netnsName())).exists();
        assertThat(sh("ip", "-n", a1.netnsName(), "-o", "-4", "addr", "show", "dev", "eth0")).contains(a1.cidr());
        assertThat(sh("ip", "-n", a1.netnsName(), "route", "show", "default")).contains("via " + a1.gateway());

        // One bridge netns per namespace, holding only its bridge and its pods' veths, routing nothing.
        String bridgeA = prefix + "-b-team-a";
        assertThat(ourNetns()).containsExactlyInAnyOrder(a1.netnsName(), a2.netnsName(), b1.netnsName(), bridgeA,
                prefix + "-b-team-b");
        String bridgeLinks = sh("ip", "-n", bridgeA, "-o", "link", "show");
        assertThat(bridgeLinks.lines()).hasSize(4).anyMatch(l -> l.contains(" br0:"))
                .filteredOn(l -> l.contains("master br0")).hasSize(2);
        assertThat(sh("ip", "netns", "exec", bridgeA, "cat", "/proc/sys/net/ipv4/ip_forward").strip()).isEqualTo("0");
        assertThat(sh("ip", "-n", bridgeA, "route", "show").strip())
                .isEqualTo(subnetA + " dev br0 proto kernel scope link src " + a1.gateway());

        String tokenA1 = "a1-" + UUID.randomUUID();
        String tokenA2 = "a2-" + UUID.randomUUID();
        serveHttp(a1, tokenA1);
        serveHttp(a2, tokenA2);

        var ok = wget(a1, a2.ip());
        assertThat(ok.succeeded()).as(ok.toString()).isTrue();
        assertThat(ok.stdout()).isEqualTo(tokenA2);
        assertThat(wget(a2, a1.ip()).stdout()).isEqualTo(tokenA1);

        // Plain TCP too: a1 sends a line to nc listening in a2.
        var listener = net.startInNetns(a2.podUid(), List.of("busybox", "nc", "-l", "-p", "9000"));
        servers.add(listener);
        String line = "hello-" + UUID.randomUUID();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> net.runInNetns(
                a1.podUid(), List.of("sh", "-c", "echo " + line + " | timeout 3 busybox nc -w 2 " + a2.ip() + " 9000"),
                Duration.ofSeconds(5)).succeeded());
        assertThat(new String(listener.getInputStream().readNBytes(line.length()), StandardCharsets.UTF_8))
                .isEqualTo(line);

        long t0 = System.nanoTime();
        for (String target : List.of(a1.ip(), a2.ip())) {
            var denied = wget(b1, target);
            assertThat(denied.succeeded()).as("b1 -> " + target + ": " + denied).isFalse();
            assertThat(denied.stdout()).doesNotContain("a1-").doesNotContain("a2-");
        }
        var tcp = net.runInNetns(b1.podUid(), List.of("timeout", "2", "busybox", "nc", "-w", "1", a2.ip(), "9000"),
                Duration.ofSeconds(5));
        assertThat(tcp.succeeded()).as(tcp.toString()).isFalse();
        var gatewayA = net.runInNetns(b1.podUid(), List.of("timeout", "2", "busybox", "nc", "-w", "1", a1.gateway(),
                "22"), Duration.ofSeconds(5));
        assertThat(gatewayA.succeeded()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));

        // Nothing was added to the agent's own namespace.
        assertThat(sh("ip", "-o", "link", "show").replaceAll("\\s+link/.*", "")).isEqualTo(rootLinks);
        assertThat(sh("ip", "route", "show")).isEqualTo(rootRoutes);
        assertThat(sh("ip", "-o", "addr", "show")).isEqualTo(rootAddrs);
    }

    @Test
    void attachIsIdempotentAndRestoreAddressPutsAStrippedAddressBack() throws Exception {
        var req = pod("team-a", "web");
        var first = net.attach(req);
        Object inode = Files.getAttribute(first.netnsPath(), "unix:ino");
        assertThat(net.attach(req)).isEqualTo(first);
        assertThat(Files.getAttribute(first.netnsPath(), "unix:ino")).as("netns kept").isEqualTo(inode);
        assertThat(net.find(req.uid())).contains(first);
        assertThat(net.restoreAddress(req.uid())).isFalse();

        // What runsc leaves behind: eth0 without its address (and so without the default route).
        sh("ip", "-n", first.netnsName(), "addr", "flush", "dev", "eth0");
        assertThat(net.attach(req)).as("attach does not rebuild a netns in use").isEqualTo(first);
        assertThat(Files.getAttribute(first.netnsPath(), "unix:ino")).isEqualTo(inode);
        assertThat(net.restoreAddress(req.uid())).isTrue();
        assertThat(sh("ip", "-n", first.netnsName(), "-o", "-4", "addr", "show", "dev", "eth0")).contains(first.cidr());
        assertThat(sh("ip", "-n", first.netnsName(), "route", "show", "default")).contains("via " + first.gateway());

        var peer = net.attach(pod("team-a", "peer"));
        serveHttp(first, "restored");
        assertThat(wget(peer, first.ip()).stdout()).isEqualTo("restored");
    }

    @Test
    void aReservedAddressIsTheOneAttachPlumbsAndDetachFreesIt() throws Exception {
        var req = pod("team-a", "early");
        var reserved = net.reserve(req);
        assertThat(net.reserve(req)).as("idempotent").isEqualTo(reserved);
        assertThat(reserved.netnsPath()).as("nothing made yet").doesNotExist();
        assertThat(net.find(req.uid())).as("not attached yet").isEmpty();
        assertThat(stateFiles()).as("a reservation is not written: nothing uses it yet").doesNotContain(req.uid());
        var otherReq = pod("team-a", "other");
        assertThat(net.reserve(otherReq).ip()).as("but its address is taken").isNotEqualTo(reserved.ip());
        net.detach(new PodRef(otherReq.namespace(), otherReq.name(), otherReq.uid()));

        // A crash after the netns was made and before the attach wrote the address leaves a netns
        // without a lease: the next attach rebuilds it.
        sh("ip", "netns", "add", reserved.netnsName());
        var attached = net.attach(req);
        assertThat(attached).isEqualTo(reserved);
        assertThat(stateFiles()).as("the attach records it").contains(req.uid());
        assertThat(sh("ip", "-n", attached.netnsName(), "-o", "-4", "addr", "show", "dev", "eth0"))
                .contains(attached.cidr());
        var peer = net.attach(pod("team-a", "peer"));
        serveHttp(attached, "reserved");
        assertThat(wget(peer, attached.ip()).stdout()).isEqualTo("reserved");

        var never = pod("team-a", "never");
        var unused = net.reserve(never);
        net.attach(pod("team-a", "later"));
        assertThat(stateFiles()).as("another pod's write records the reservation too").contains(never.uid());
        net.detach(new PodRef(never.namespace(), never.name(), never.uid()));
        assertThat(stateFiles()).as("and detach releases it").doesNotContain(never.uid());
        assertThat(unused.netnsPath()).doesNotExist();
    }

    @Test
    void detachReleasesTheAddressAndTheLastPodTakesTheBridgeAlong() throws Exception {
        var a1 = net.attach(pod("team-a", "a1"));
        var a2req = pod("team-a", "a2");
        var a2 = net.attach(a2req);
        var bridge = NetnsNames.path(prefix + "-b-team-a");

        net.detach(new io.kubevisor.node.provider.PodRef("team-a", "a1", a1.podUid()));
        assertThat(a1.netnsPath()).doesNotExist();
        assertThat(net.find(a1.podUid())).isEmpty();
        assertThat(bridge).exists();
        assertThat(sh("ip", "-n", prefix + "-b-team-a", "-o", "link", "show").lines()
                .filter(l -> l.contains("master br0"))).hasSize(1);
        assertThat(new PodNetwork(options(prefix)).find(a1.podUid())).as("release persisted").isEmpty();
        net.detach(new io.kubevisor.node.provider.PodRef("team-a", "a1", a1.podUid()));

        // Fill the freed address's place round-robin: a new pod gets a fresh address, and once
        // the subnet wraps the freed one is available again (unit-tested); here: no duplicates.
        var a3 = net.attach(pod("team-a", "a3"));
        assertThat(a3.ip()).isNotEqualTo(a2.ip());

        net.detach(a2req.ref());
        net.detach(new io.kubevisor.node.provider.PodRef("team-a", "a3", a3.podUid()));
        assertThat(bridge).doesNotExist();
        assertThat(ourNetns()).isEmpty();
        net.detach(a2req.ref());
    }

    @Test
    void allocationsSurviveANewInstanceAndReconcileRemovesOrphans() throws Exception {
        var a1 = net.attach(pod("team-a", "a1"));
        var a2 = net.attach(pod("team-a", "a2"));
        var b1 = net.attach(pod("team-b", "b1"));
        // Leftovers of a crash: a pod netns no lease knows of.
        sh("ip", "netns", "add", prefix + "-p-orphan");

        var restarted = new PodNetwork(options(null));
        assertThat(restarted.namePrefix()).isEqualTo(prefix);
        assertThat(restarted.find(a1.podUid())).contains(a1);
        assertThat(restarted.find(b1.podUid())).contains(b1);
        Object inode = Files.getAttribute(a1.netnsPath(), "unix:ino");

        restarted.reconcile(Set.of(a1.podUid()));
        assertThat(ourNetns()).containsExactlyInAnyOrder(a1.netnsName(), prefix + "-b-team-a");
        assertThat(Files.getAttribute(a1.netnsPath(), "unix:ino")).as("live pod untouched").isEqualTo(inode);
        assertThat(restarted.find(a2.podUid())).isEmpty();
        assertThat(restarted.find(b1.podUid())).isEmpty();
        assertThat(sh("ip", "-n", prefix + "-b-team-a", "-o", "link", "show").lines()
                .filter(l -> l.contains("master br0"))).hasSize(1);

        // The kept pod still works, and new addresses do not collide with it.
        var a3 = restarted.attach(pod("team-a", "a3"));
        assertThat(a3.ip()).isNotEqualTo(a1.ip());
        serveHttp(a1, "still-here");
        assertThat(wget(a3, a1.ip()).stdout()).isEqualTo("still-here");
        assertThat(restarted.attach(new PodNetworkRequest("team-a", "a1", a1.podUid()))).isEqualTo(a1);
    }

    @Test
    void twentyConcurrentAttachesGetDistinctAddressesAndDetachCleansUp() throws Exception {
        var reqs = new ArrayList<PodNetworkRequest>();
        for (int i = 0; i < 20; i++) {
            reqs.add(pod("burst", "p" + i));
        }
        reqs.add(pod("other", "o1"));
        reqs.add(pod("other", "o2"));
        var attached = new ArrayList<PodInterface>();
        long t0 = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<PodInterface>>();
            for (var r : reqs) {
                futures.add(pool.submit(() -> net.attach(r)));
            }
            for (var f : futures) {
                attached.add(f.get());
            }
        }
        long attachMs = (System.nanoTime() - t0) / 1_000_000;

        var ips = new HashSet<String>();
        attached.forEach(p -> ips.add(p.ip()));
        assertThat(ips).hasSize(22);
        var burstSubnet = Ipv4Cidr.parse(attached.getFirst().ip().replaceAll("\\.\\d+$", ".0") + "/24");
        assertThat(attached.subList(0, 20)).allMatch(p -> burstSubnet.contains(p.ip()));
        assertThat(attached.subList(20, 22)).noneMatch(p -> burstSubnet.contains(p.ip()));
        assertThat(sh("ip", "-n", prefix + "-b-burst", "-o", "link", "show").lines()
                .filter(l -> l.contains("master br0"))).hasSize(20);
        for (var p : attached.subList(0, 20)) {
            assertThat(sh("ip", "-n", p.netnsName(), "-o", "-4", "addr", "show", "dev", "eth0")).contains(p.cidr());
        }

        t0 = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<?>>();
            for (var r : reqs) {
                futures.add(pool.submit(() -> net.detach(r.ref())));
            }
            for (var f : futures) {
                f.get();
            }
        }
        long detachMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ourNetns()).isEmpty();
        assertThat(new PodNetwork(options(prefix)).find(reqs.getFirst().uid())).isEmpty();
        System.out.printf("timing: 22 concurrent attaches %d ms, 22 concurrent detaches %d ms%n", attachMs, detachMs);
    }

    @Test
    void aFailedAttachLeavesNothingBehindAndTheRetryRepairsTheBridge() throws Exception {
        var a1 = net.attach(pod("team-a", "a1"));
        var req = pod("team-a", "a2");
        String bridge = prefix + "-b-team-a";
        // Someone removed the bridge under the agent's feet.
        sh("ip", "-n", bridge, "link", "del", "br0");

        var failed = org.assertj.core.api.Assertions.catchThrowableOfType(PodNetworkException.CommandFailed.class,
                () -> net.attach(req));
        assertThat(failed).isNotNull();
        assertThat(failed.getMessage()).contains("in netns " + bridge + ": link add ").contains("master br0")
                .contains("ENODEV (No such device)");
        assertThat(failed.kind()).isEqualTo(PodNetworkException.CommandFailed.Kind.NOT_FOUND);
        assertThat(ourNetns()).containsExactlyInAnyOrder(a1.netnsName(), bridge);
        assertThat(net.find(req.uid())).isEmpty();
        assertThat(new PodNetwork(options(prefix)).find(req.uid())).as("address released").isEmpty();

        var a2 = net.attach(req);
        assertThat(a2.ip()).isNotEqualTo(a1.ip());
        assertThat(sh("ip", "-n", bridge, "-o", "-4", "addr", "show", "dev", "br0")).contains(a2.gateway() + "/24");
        var a3 = net.attach(pod("team-a", "a3"));
        serveHttp(a2, "repaired");
        assertThat(wget(a3, a2.ip()).stdout()).isEqualTo("repaired");
    }

    @Test
    void sequentialAttachAndDetachTimings() {
        int n = 10;
        long[] attach = new long[n];
        long[] detach = new long[n];
        var reqs = new ArrayList<PodNetworkRequest>();
        for (int i = 0; i < n; i++) {
            var r = pod("timing", "p" + i);
            reqs.add(r);
            long t0 = System.nanoTime();
            net.attach(r);
            attach[i] = (System.nanoTime() - t0) / 1_000;
        }
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            net.detach(reqs.get(i).ref());
            detach[i] = (System.nanoTime() - t0) / 1_000;
        }
        long firstAttach = attach[0];
        long lastDetach = detach[n - 1];
        java.util.Arrays.sort(attach);
        java.util.Arrays.sort(detach);
        System.out.printf("timing: attach median %.1f ms (first, with the bridge: %.1f ms); detach median %.1f ms "
                + "(last, with the bridge: %.1f ms)%n", attach[n / 2] / 1000.0, firstAttach / 1000.0,
                detach[n / 2] / 1000.0, lastDetach / 1000.0);
        assertThat(NetnsNames.path(prefix + "-b-timing")).doesNotExist();
    }
}
