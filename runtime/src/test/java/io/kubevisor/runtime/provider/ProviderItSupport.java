package io.kubevisor.runtime.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.kubevisor.node.provider.ContainerLogs;
import io.kubevisor.node.provider.PodRef;
import io.kubevisor.node.provider.ProviderEvents;
import io.kubevisor.node.provider.StreamIo;
import io.kubevisor.runtime.image.ImageStore;
import io.kubevisor.runtime.image.ImageStoreOptions;
import io.kubevisor.runtime.net.PodNetwork;
import io.kubevisor.runtime.net.PodNetworkOptions;
import io.kubevisor.runtime.runsc.RunscOptions;
import io.kubevisor.runtime.runsc.RunscRuntime;
import io.kubevisor.runtime.sandbox.SandboxHandle;
import io.kubevisor.runtime.testing.LocalRegistry;
import io.kubevisor.runtime.testing.Rootfs;
import io.kubevisor.runtime.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node {@link GvisorProviderIT} drives: a local registry with the busybox test image, a real
 * runsc runtime (its own state root and cgroup parent), a pod network (its own netns prefix) and one
 * provider over them, shared by the class; pods built in the tests with fresh uids, helpers that read
 * status, logs and exec output, and probes of what the host holds (runsc containers, cgroups, netns,
 * mounts). Every test's pods are deleted after it, also when it fails; at the end nothing may be left.
 */
abstract class ProviderItSupport {

    static final String NODE = "it-node";
    static final String CIDR = "10.244.0.0/16";
    static final Duration STATUS_WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path work;

    static LocalRegistry registry;
    static String image;
    static String cgroupParent;
    static String netPrefix;
    static FakePodResources resources;
    static ImageStore images;
    static RunscRuntime runtime;
    static PodNetwork network;
    static GvisorProvider provider;
    static final List<ProviderEvents.PodEvent> events = new CopyOnWriteArrayList<>();
    static final List<PodRef> pods = new CopyOnWriteArrayList<>();
    /** Pods the provider said changed on their own. */
    static final List<PodRef> changed = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startNode() {
        assumeTrue("root".equals(System.getProperty("user.name")), "runsc needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/runsc")), "runsc is not installed");
        assumeTrue(Rootfs.available(), "busybox-static is not installed");
        long t0 = System.nanoTime();
        registry = LocalRegistry.start();
        TestImages built = new TestImages(work.resolve("images"));
        built.busybox();
        built.push("busybox", registry, "it/busybox:1", false);
        image = registry.host() + "/it/busybox:1";
        cgroupParent = "/kubevisor-pit-" + UUID.randomUUID().toString().substring(0, 8);
        netPrefix = PodNetworkOptions.randomPrefix();
        resources = new FakePodResources();
        images = new ImageStore(ImageStoreOptions.at(work.resolve("images-store")));
        openProvider();
        System.out.println("timing node setup ms=" + (System.nanoTime() - t0) / 1_000_000);
    }

    /** A runtime, network and provider on the class's directories, as an agent (re)starting opens them. */
    static void openProvider() {
        runtime = new RunscRuntime(RunscOptions.defaults(work.resolve("runsc")).withCgroupParent(cgroupParent));
        network = new PodNetwork(new PodNetworkOptions(CIDR, netPrefix, work.resolve("net")));
        provider = new GvisorProvider(GvisorProviderConfig.of(NODE, work.resolve("provider"), runtime, images,
                network, resources).withInternalIp("127.0.0.1"));
        provider.onEvent(events::add);
        provider.onStatusChange(changed::add);
    }

    static void closeProvider() {
        provider.close();
        runtime.close();
    }

    @AfterEach
    void deletePods() {
        List<PodRef> mine = List.copyOf(pods);
        pods.clear();
        parallel(mine.stream().map(ref -> (Runnable) () -> provider.deletePod(ref, Duration.ZERO)).toList());
        assertThat(provider.runningPods()).as("pods left after the test").isEmpty();
    }

    @AfterAll
    static void stopNode() throws Exception {
        try {
            if (provider != null) {
                List<SandboxHandle> left = runtime.sandboxes();
                closeProvider();
                assertThat(left).as("sandboxes left").isEmpty();
                assertThat(runscList()).as("runsc containers left").isEmpty();
                assertThat(cgroupsUnder(cgroupParent)).as("cgroups left").isEmpty();
                assertThat(ourNetns()).as("netns left").isEmpty();
                assertThat(mountsUnder(work)).as("mounts left").isEmpty();
            }
        } finally {
            if (images != null) {
                images.close();
            }
            if (registry != null) {
                registry.close();
            }
            if (cgroupParent != null) {
                for (Path d : cgroupDirs(cgroupParent)) {
                    Files.deleteIfExists(d);
                }
            }
        }
    }


    /** Runs until the test creates {@code /ctl/go} on the host, then exits 3; a second instance stays. */
    static final String ENDS_ON_SIGNAL = "if [ -f /ctl/ran ]; then echo again; exec sleep 3600; fi; touch /ctl/ran; "
            + "until [ -f /ctl/go ]; do sleep 0.1; done; exit 3";

    record Exec(int rc, String out, String err) {
    }

    interface SpecEdit {
        void apply(PodBuilder b);
    }

    static Container sh(String name, String script) {
        return new ContainerBuilder().withName(name).withImage(image).withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", script).build();
    }

    /** A pod bound to the node, with a fresh uid and a 1 s grace period. */
    static Pod pod(String ns, String name, SpecEdit edit, Container... containers) {
        PodBuilder b = new PodBuilder().withNewMetadata().withNamespace(ns).withName(name)
                .withUid(UUID.randomUUID().toString()).endMetadata()
                .withNewSpec().withNodeName(NODE).withTerminationGracePeriodSeconds(1L).withContainers(containers)
                .endSpec();
        edit.apply(b);
        return b.build();
    }

    /** Creates the pods in parallel (remembered for clean-up) and returns their refs in order. */
    static List<PodRef> start(List<Pod> list) {
        List<PodRef> refs = list.stream().map(PodRef::of).toList();
        pods.addAll(refs);
        long t0 = System.nanoTime();
        parallel(list.stream().map(p -> (Runnable) () -> provider.createPod(p)).toList());
        System.out.println("timing createPod n=" + list.size() + " ms=" + (System.nanoTime() - t0) / 1_000_000);
        return refs;
    }

    static PodRef start(Pod pod) {
        return start(List.of(pod)).getFirst();
    }

    static void parallel(List<Runnable> tasks) {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (Runnable r : tasks) {
                fs.add(pool.submit(r));
            }
            for (Future<?> f : fs) {
                try {
                    f.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
                }
            }
        }
    }

    static PodStatus status(PodRef ref) {
        return provider.podStatus(ref).orElseThrow(() -> new AssertionError("no status for " + ref));
    }

    static PodStatus awaitStatus(PodRef ref, Predicate<PodStatus> p) {
        return awaitStatus(ref, p, STATUS_WAIT);
    }

    static PodStatus awaitStatus(PodRef ref, Predicate<PodStatus> p, Duration max) {
        PodStatus[] last = {null};
        try {
            await().atMost(max).pollInterval(Duration.ofMillis(200)).until(() -> {
                last[0] = status(ref);
                return p.test(last[0]);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("status of " + ref + " never matched; last: " + last[0], e);
        }
        return last[0];
    }

    static boolean allReady(PodStatus s) {
        return s.getContainerStatuses().stream().allMatch(c -> Boolean.TRUE.equals(c.getReady()));
    }

    static ContainerStatus container(PodStatus s, String name) {
        return Stream.concat(s.getInitContainerStatuses().stream(), s.getContainerStatuses().stream())
                .filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no status of container " + name + " in " + s));
    }

    static Map<String, String> conditions(PodStatus s) {
        var m = new java.util.LinkedHashMap<String, String>();
        for (PodCondition c : s.getConditions()) {
            m.put(c.getType(), c.getStatus());
        }
        return m;
    }

    static String logs(PodRef ref, String container) throws IOException {
        var out = new ByteArrayOutputStream();
        provider.logs(ref, container, new ContainerLogs.Options(false, false, -1, null, false, -1), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static Exec exec(PodRef ref, String container, String... cmd) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int rc = provider.exec(ref, container, List.of(cmd), new StreamIo(null, out, err, false, null));
        return new Exec(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static SandboxHandle sandboxOf(PodRef ref) {
        return runtime.sandboxes().stream().filter(h -> ref.uid().equals(h.labels().get(Sandboxes.LABEL_UID)))
                .findFirst().orElseThrow(() -> new AssertionError("no sandbox of " + ref));
    }

    static List<String> runscList() throws Exception {
        Process p = new ProcessBuilder("/usr/bin/runsc", "--root=" + work.resolve("runsc/runsc-state"), "list",
                "-quiet").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    static String runscState(String id) {
        try {
            Process p = new ProcessBuilder("/usr/bin/runsc", "--root=" + work.resolve("runsc/runsc-state"), "state", id)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** cgroup directories strictly below {@code path} in any hierarchy. */
    static List<Path> cgroupsUnder(String path) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path d : cgroupDirs(path)) {
            try (var s = Files.walk(d)) {
                s.filter(Files::isDirectory).filter(x -> !x.equals(d)).forEach(out::add);
            }
        }
        return out;
    }

    /** The cgroup's directory in every hierarchy where it exists, deepest first. */
    static List<Path> cgroupDirs(String path) throws IOException {
        List<Path> out = new ArrayList<>();
        try (var hs = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hs.toList()) {
                Path d = h.resolve(path.substring(1));
                if (!Files.isSymbolicLink(h) && Files.isDirectory(d)) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    static List<String> ourNetns() throws IOException {
        Path dir = Path.of("/var/run/netns");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(netPrefix + "-")).toList();
        }
    }

    static List<String> mountsUnder(Path dir) {
        try {
            String prefix = dir.toAbsolutePath().toString();
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4])
                    .filter(m -> m.equals(prefix) || m.startsWith(prefix + "/")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static Volume emptyDir(String name) {
        return new VolumeBuilder().withName(name).withNewEmptyDir().endEmptyDir().build();
    }

    static Container mount(Container c, String volume, String path) {
        return new ContainerBuilder(c).addNewVolumeMount().withName(volume).withMountPath(path).endVolumeMount().build();
    }

    static Quantity q(String s) {
        return new Quantity(s);
    }

    static IntOrString port(int p) {
        return new IntOrString(p);
    }
}
