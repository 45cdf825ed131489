package io.kubevisor.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.kubevisor.runtime.net.PodNetworkException.CommandFailed;

/**
 * The in-process pod plumbing against the real kernel (root and iproute2 needed): what it makes
 * is what {@code ip} shows, its failures name the step, netns and errno, {@code unplumbPod}
 * removes whatever a failure left, and the caller's thread never changes netns. Every netns
 * carries a random per-run prefix and is removed after each test, also when it fails.
 */
class PodPlumberIT {

    private static final Ipv4Cidr SUBNET = Ipv4Cidr.parse("10.244.7.0/24");
    private static final String NAMESPACE = "team";

    private String prefix;
    private NetnsNames names;
    private Plumbing plumbing;

    @BeforeEach
    void setUp() {
        prefix = PodNetworkOptions.randomPrefix();
        names = new NetnsNames(prefix);
        plumbing = new Plumbing(new IpRunner(IpRunner.locate("ip"), Duration.ofSeconds(10)), names,
                new PodPlumber(names, new io.kubevisor.runtime.linux.NetnsWorkers("test-plumbing"), Duration.ofSeconds(10)));
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String ns : ourNetns()) {
            new ProcessBuilder("ip", "netns", "del", ns).inheritIO().start().waitFor();
        }
        assertThat(ourNetns()).as("netns left behind").isEmpty();
        assertThat(ourMounts()).as("mounts left behind").isEmpty();
    }

    private List<String> ourNetns() throws IOException {
        if (!Files.isDirectory(NetnsNames.NETNS_DIR)) {
            return List.of();
        }
        try (var files = Files.list(NetnsNames.NETNS_DIR)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix + "-")).sorted().toList();
        }
    }

    private List<String> ourMounts() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.contains("/netns/" + prefix + "-")).toList();
    }

    private static String sh(String... cmd) throws Exception {
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }

    private static String threadNetns() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    }

    private static Lease lease(int host) {
        return new Lease(UUID.randomUUID().toString(), NAMESPACE, "pod-" + host, SUBNET, SUBNET.host(host), false);
    }

    /** Plumbs from a virtual thread; returns the failure, if any, after checking that thread's netns. */
    private CommandFailed plumbFromVirtualThread(Lease lease) throws Exception {
        var failure = new AtomicReference<CommandFailed>();
        var netns = new AtomicReference<List<String>>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                String before = threadNetns();
                try {
                    plumbing.plumbPod(lease);
                } catch (CommandFailed e) {
                    failure.set(e);
                }
                netns.set(List.of(before, threadNetns()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(t.join(Duration.ofSeconds(30))).isTrue();
        assertThat(netns.get().get(1)).as("the virtual thread's netns").isEqualTo(netns.get().get(0));
        return failure.get();
    }

    @Test
    void aPodNetnsPlumbedInProcessIsWhatIpShowsAndUnplumbRemovesIt() throws Exception {
        plumbing.ensureBridge(NAMESPACE, SUBNET);
        String bridge = names.bridgeNetns(NAMESPACE);
        var lease = lease(5);
        String pod = names.podNetns(lease.uid());
        String before = threadNetns();

        plumbing.plumbPod(lease);

        assertThat(threadNetns()).as("the caller's netns").isEqualTo(before);
        assertThat(sh("ip", "netns", "list")).contains(pod);
        assertThat(ourMounts()).anyMatch(l -> l.contains("/netns/" + pod + " "));
        assertThat(sh("ip", "-n", pod, "-o", "-4", "addr", "show", "dev", "eth0")).contains("inet 10.244.7.5/24 ");
        assertThat(sh("ip", "-n", pod, "route", "show", "default").strip()).isEqualTo("default via 10.244.7.1 dev eth0");
        assertThat(sh("ip", "-n", pod, "-o", "link", "show", "lo")).contains("UP");
        assertThat(sh("ip", "-n", pod, "-o", "link", "show", "eth0")).contains("state UP");
        assertThat(sh("ip", "-n", bridge, "-o", "link", "show", names.hostVeth(lease.uid())))
                .contains("master br0").contains("state UP");
        assertThat(sh("ip", "netns", "exec", pod, "busybox", "ping", "-c", "1", "-W", "2", "10.244.7.1"))
                .contains("1 packets received");
        assertThat(plumbing.podComplete(lease.uid())).isTrue();

        var second = lease(6);
        assertThat(plumbFromVirtualThread(second)).isNull();
        assertThat(sh("ip", "netns", "exec", names.podNetns(second.uid()), "busybox", "ping", "-c", "1", "-W", "2",
                "10.244.7.5")).contains("1 packets received");

        plumbing.unplumbPod(lease.uid(), NAMESPACE);
        plumbing.unplumbPod(second.uid(), NAMESPACE);
        assertThat(ourNetns()).containsExactly(bridge);
        assertThat(ourMounts()).allMatch(l -> l.contains("/netns/" + bridge + " "));
        assertThat(sh("ip", "-n", bridge, "-o", "link", "show")).doesNotContain("master br0");
    }

    @Test
    void aTakenVethNameFailsAsExistsAndUnplumbRemovesTheHalfMadePod() throws Exception {
        plumbing.ensureBridge(NAMESPACE, SUBNET);
        String bridge = names.bridgeNetns(NAMESPACE);
        var lease = lease(5);
        String veth = names.hostVeth(lease.uid());
        sh("ip", "-n", bridge, "link", "add", veth, "type", "bridge");
        String before = threadNetns();

        var failed = catchThrowableOfType(CommandFailed.class, () -> plumbing.plumbPod(lease));

        assertThat(threadNetns()).isEqualTo(before);
        assertThat(failed.kind()).isEqualTo(CommandFailed.Kind.EXISTS);
        assertThat(failed.getMessage()).startsWith("in netns " + bridge + ": link add " + veth + " master br0 ")
                .endsWith("failed: RTM_NEWLINK: EEXIST (File exists)");
        assertThat(ourNetns()).as("the pod netns was made before the veth").contains(names.podNetns(lease.uid()));

        assertThat(plumbFromVirtualThread(lease)).as("again, from a virtual thread").isNotNull()
                .extracting(CommandFailed::kind).isEqualTo(CommandFailed.Kind.EXISTS);

        plumbing.unplumbPod(lease.uid(), NAMESPACE);
        assertThat(ourNetns()).containsExactly(bridge);
        assertThat(sh("ip", "-n", bridge, "-o", "link", "show", veth)).as("the test's own link").contains(veth);
    }

    @Test
    void aMissingBridgeFailsAsNotFoundAndUnplumbRemovesThePod() throws Exception {
        plumbing.ensureBridge(NAMESPACE, SUBNET);
        String bridge = names.bridgeNetns(NAMESPACE);
        sh("ip", "-n", bridge, "link", "del", "br0");
        var lease = lease(5);
        String before = threadNetns();

        var failed = catchThrowableOfType(CommandFailed.class, () -> plumbing.plumbPod(lease));

        assertThat(threadNetns()).isEqualTo(before);
        assertThat(failed.kind()).isEqualTo(CommandFailed.Kind.NOT_FOUND);
        assertThat(failed.getMessage()).contains("in netns " + bridge + ": link add ")
                .endsWith("failed: if_nametoindex(br0): ENODEV (No such device)");
        plumbing.unplumbPod(lease.uid(), NAMESPACE);
        assertThat(ourNetns()).containsExactly(bridge);
    }

    @Test
    void aMissingBridgeNetnsFailsBeforeAnythingIsMade() throws Exception {
        sh("ip", "netns", "add", prefix + "-b-other");
        var lease = lease(5);
        String before = threadNetns();

        var failed = catchThrowableOfType(CommandFailed.class, () -> plumbing.plumbPod(lease));

        assertThat(threadNetns()).isEqualTo(before);
        assertThat(failed.kind()).isEqualTo(CommandFailed.Kind.NOT_FOUND);
        assertThat(failed.getMessage()).contains("in netns " + names.bridgeNetns(NAMESPACE) + ": link add ")
                .endsWith("ENOENT (No such file or directory)");
        assertThat(ourNetns()).containsExactly(prefix + "-b-other");
        plumbing.unplumbPod(lease.uid(), NAMESPACE);
    }

    @Test
    void aPodNetnsFileThatIsNoNetnsFailsAndUnplumbRemovesIt() throws Exception {
        plumbing.ensureBridge(NAMESPACE, SUBNET);
        var lease = lease(5);
        String pod = names.podNetns(lease.uid());
        // What a crash between creating the file and mounting the netns leaves.
        Files.createFile(NetnsNames.path(pod));
        String before = threadNetns();

        var failed = catchThrowableOfType(CommandFailed.class, () -> plumbing.plumbPod(lease));

        assertThat(threadNetns()).isEqualTo(before);
        assertThat(failed.getMessage()).isEqualTo("in netns " + pod + ": netns add " + pod
                + " failed: setns: EINVAL (Invalid argument)");
        assertThat(plumbing.podComplete(lease.uid())).isFalse();
        plumbing.unplumbPod(lease.uid(), NAMESPACE);
        assertThat(ourNetns()).containsExactly(names.bridgeNetns(NAMESPACE));
    }

    @Test
    void aPodNetnsThatExistsIsUsedAsItIs() throws Exception {
        plumbing.ensureBridge(NAMESPACE, SUBNET);
        var lease = lease(5);
        String pod = names.podNetns(lease.uid());
        sh("ip", "netns", "add", pod);
        Object inode = Files.getAttribute(NetnsNames.path(pod), "unix:ino");

        plumbing.plumbPod(lease);

        assertThat(Files.getAttribute(NetnsNames.path(pod), "unix:ino")).isEqualTo(inode);
        assertThat(sh("ip", "-n", pod, "-o", "-4", "addr", "show", "dev", "eth0")).contains("inet 10.244.7.5/24 ");
        plumbing.unplumbPod(lease.uid(), NAMESPACE);
    }
}
