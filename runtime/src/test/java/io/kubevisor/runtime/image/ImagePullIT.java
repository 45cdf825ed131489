package io.kubevisor.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.kubevisor.runtime.testing.LocalRegistry;
import io.kubevisor.runtime.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from a real registry (docker-registry on 127.0.0.1) of images built from busybox-static. */
class ImagePullIT {

    @TempDir
    static Path work;

    static LocalRegistry registry;
    static TestImages images;
    static String busyboxDigest;
    static String dockerDigest;
    static String indexDigest;
    static String layeredDigest;

    @TempDir
    Path tmp;

    private final List<ImageStore> stores = new ArrayList<>();

    @BeforeAll
    static void pushImages() {
        registry = LocalRegistry.start();
        images = new TestImages(work.resolve("images"));
        images.busybox();
        images.layered();
        images.multiArch();
        busyboxDigest = images.push("busybox", registry, "demo/busybox:1", false);
        dockerDigest = images.push("busybox", registry, "demo/busybox:1-docker", true);
        indexDigest = images.push("multi", registry, "demo/multi:1", false);
        layeredDigest = images.push("layered", registry, "demo/layered:1", false);
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @AfterEach
    void closeStores() {
        stores.forEach(ImageStore::close);
    }

    private ImageStore store(RegistryConfig config) {
        ImageStore s = new ImageStore(new ImageStoreOptions(tmp.resolve("store" + stores.size()), config));
        stores.add(s);
        return s;
    }

    private ImageStore store() {
        return store(RegistryConfig.empty());
    }

    private ImageRef ref(String repoTag) {
        return ImageRef.parse(registry.host() + "/" + repoTag);
    }

    @Test
    void pullsAnOciImageByTagAndByDigest() throws Exception {
        ImageStore store = store();
        long start = System.nanoTime();
        ResolvedImage img = store.pull(ref("demo/busybox:1"), PullPolicy.ALWAYS, List.of());
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("timing busybox pull+unpack ms=" + ms + " bytes=" + img.size());

        assertThat(busyboxDigest).isEqualTo(images.busybox().manifestDigest());
        assertThat(img.name()).isEqualTo(registry.host() + "/demo/busybox:1");
        assertThat(img.imageId()).isEqualTo(registry.host() + "/demo/busybox@" + busyboxDigest);
        assertThat(img.configDigest()).isEqualTo(images.busybox().configDigest());
        assertThat(img.manifestDigest()).isEqualTo(busyboxDigest);
        assertThat(img.config().entrypoint()).containsExactly("/bin/sh");
        assertThat(img.config().cmd()).containsExactly("-c", "echo hello from image");
        assertThat(img.config().env()).containsExactly("PATH=/bin", "GREETING=hello");
        assertThat(img.config().workingDir()).isEqualTo("/tmp");
        assertThat(img.config().exposedPorts()).containsExactly("8080/tcp");
        assertThat(img.rootfs().resolve("bin/busybox")).isExecutable()
                .hasSameBinaryContentAs(Path.of("/bin/busybox"));
        assertThat(Files.readSymbolicLink(img.rootfs().resolve("bin/sh"))).isEqualTo(Path.of("busybox"));
        assertThat(Files.getAttribute(img.rootfs().resolve("tmp"), "unix:mode")).isEqualTo(041777);
        assertThat(img.rootfs()).startsWith(tmp);
        assertThat(runInRootfs(img, img.config().commandLine(null, null))).isEqualTo("hello from image\n");

        ImageRef digestRef = ImageRef.parse(registry.host() + "/demo/busybox@" + busyboxDigest);
        // IfNotPresent finds it by digest, as containerd would, without a new name.
        assertThat(store.pull(digestRef, PullPolicy.IF_NOT_PRESENT, List.of()).name()).isEqualTo(img.name());
        ResolvedImage byDigest = store.pull(digestRef, PullPolicy.ALWAYS, List.of());
        assertThat(byDigest.imageId()).isEqualTo(img.imageId());
        assertThat(byDigest.rootfs()).isEqualTo(img.rootfs());
        assertThat(store.list()).extracting(ResolvedImage::name)
                .containsExactlyInAnyOrder(img.name(), registry.host() + "/demo/busybox@" + busyboxDigest);
    }

    @Test
    void pullsADockerV2Schema2Manifest() throws Exception {
        ImageStore store = store();
        ResolvedImage img = store.pull(ref("demo/busybox:1-docker"), PullPolicy.ALWAYS, List.of());
        assertThat(dockerDigest).isNotEqualTo(busyboxDigest);
        assertThat(img.imageId()).isEqualTo(registry.host() + "/demo/busybox@" + dockerDigest);
        byte[] manifest = Files.readAllBytes(tmp.resolve("store0/blobs/sha256").resolve(dockerDigest.substring(7)));
        assertThat(new String(manifest, StandardCharsets.UTF_8)).contains(MediaTypes.DOCKER_MANIFEST);
        assertThat(img.config().entrypoint()).containsExactly("/bin/sh");
        assertThat(runInRootfs(img, List.of("/bin/sh", "-c", "echo $((6*7))"))).isEqualTo("42\n");
    }

    @Test
    void choosesLinuxAmd64FromAnIndex() throws IOException {
        ResolvedImage img = store().pull(ref("demo/multi:1"), PullPolicy.ALWAYS, List.of());
        assertThat(indexDigest).isEqualTo(images.multiArch().indexDigest());
        // imageID names the index, as containerd reports it; the manifest is amd64's.
        assertThat(img.imageId()).isEqualTo(registry.host() + "/demo/multi@" + indexDigest);
        assertThat(img.manifestDigest()).isEqualTo(images.multiArch().amd64().manifestDigest());
        assertThat(img.rootfs().resolve("arch")).hasContent("amd64");
        assertThat(registry.count("GET", "/v2/demo/multi/manifests/" + images.multiArch().arm64().manifestDigest()))
                .isZero();
    }

    @Test
    void stacksLayersWithWhiteoutsOpaqueDirsLinksAndOwners() throws IOException {
        ResolvedImage img = store().pull(ref("demo/layered:1"), PullPolicy.ALWAYS, List.of());
        assertThat(img.imageId()).endsWith(layeredDigest);
        Path root = img.rootfs();
        assertThat(root.resolve(TestImages.Layered.KEPT)).hasContent("keep");
        assertThat(root.resolve(TestImages.Layered.ADDED)).hasContent("added");
        assertThat(root.resolve(TestImages.Layered.WHITED_OUT)).doesNotExist();
        try (var opq = Files.list(root.resolve(TestImages.Layered.OPAQUE_DIR))) {
            assertThat(opq.map(p -> p.getFileName().toString()).toList()).containsExactly("new");
        }
        assertThat(root.resolve(TestImages.Layered.REMOVED_DIR)).doesNotExist();
        assertThat(Files.readSymbolicLink(root.resolve(TestImages.Layered.SYMLINK))).isEqualTo(Path.of("/etc/keep"));
        assertThat(Files.isSameFile(root.resolve(TestImages.Layered.HARD_A), root.resolve(TestImages.Layered.HARD_B)))
                .isTrue();
        assertThat(Files.getAttribute(root.resolve(TestImages.Layered.SETUID), "unix:mode")).isEqualTo(0104755);
        assertThat(Files.getAttribute(root.resolve(TestImages.Layered.PRIVATE_DIR), "unix:mode")).isEqualTo(040700);
        assertThat(Files.getAttribute(root.resolve(TestImages.Layered.OWNED), "unix:mode")).isEqualTo(0100640);
        if (FsOps.canChown()) {
            assertThat(Files.getAttribute(root.resolve(TestImages.Layered.OWNED), "unix:uid")).isEqualTo(1234);
            assertThat(Files.getAttribute(root.resolve(TestImages.Layered.OWNED), "unix:gid")).isEqualTo(5678);
        }
        assertThat(root.resolve("bin/busybox")).isExecutable();
        try (var all = Files.walk(root)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".wh."));
        }
        assertThat(img.config().user()).isEqualTo("1234:5678");
    }

    @Test
    void layersAreStoredOnceAcrossImages() throws IOException {
        ImageStore store = store();
        ResolvedImage bb = store.pull(ref("demo/busybox:1"), PullPolicy.ALWAYS, List.of());
        ResolvedImage layered = store.pull(ref("demo/layered:1"), PullPolicy.ALWAYS, List.of());
        // busybox's layer was unpacked once; both roots share the binary's inode.
        assertThat(Files.isSameFile(bb.rootfs().resolve("bin/busybox"), layered.rootfs().resolve("bin/busybox")))
                .isTrue();
        try (var layers = Files.list(tmp.resolve("store0/layers"))) {
            assertThat(layers.count()).isEqualTo(3);
        }
    }

    @Test
    void ifNotPresentUsesTheLocalImageWithoutTheRegistry() {
        images.push("busybox", registry, "cache/bb:1", false);
        ImageStore store = store();
        ResolvedImage first = store.pull(ref("cache/bb:1"), PullPolicy.IF_NOT_PRESENT, List.of());
        long requests = registry.requests().size();
        registry.stop();
        try {
            ResolvedImage again = store.pull(ref("cache/bb:1"), PullPolicy.IF_NOT_PRESENT, List.of());
            assertThat(again).isEqualTo(first);
            assertThat(store.pull(ref("cache/bb:1"), PullPolicy.NEVER, List.of())).isEqualTo(first);
            // Always must ask the registry, which is down.
            assertThatThrownBy(() -> store.pull(ref("cache/bb:1"), PullPolicy.ALWAYS, List.of()))
                    .isInstanceOf(ImageException.ErrImagePull.class)
                    .hasMessage("failed to pull and unpack image \"" + registry.host() + "/cache/bb:1\": failed to"
                            + " resolve reference \"" + registry.host() + "/cache/bb:1\": failed to do request: Get \"http://"
                            + registry.host() + "/v2/cache/bb/manifests/1\": dial tcp " + registry.host()
                            + ": connect: connection refused");
            assertThat(registry.requests().size()).isEqualTo(requests);
        } finally {
            registry.restart();
        }
    }

    @Test
    void alwaysReResolvesTheTagAndFetchesOnlyWhatChanged() throws IOException {
        images.push("busybox", registry, "moving/app:1", false);
        ImageStore store = store();
        ResolvedImage v1 = store.pull(ref("moving/app:1"), PullPolicy.ALWAYS, List.of());
        ResolvedImage same = store.pull(ref("moving/app:1"), PullPolicy.ALWAYS, List.of());
        assertThat(same).isEqualTo(v1);
        assertThat(registry.count("GET", "/v2/moving/app/manifests/1")).isEqualTo(2);
        String busyboxLayer = images.busybox().layers().getFirst().digest();
        assertThat(registry.count("GET", "/v2/moving/app/blobs/" + busyboxLayer)).isEqualTo(1);

        images.push("layered", registry, "moving/app:1", false);
        ResolvedImage v2 = store.pull(ref("moving/app:1"), PullPolicy.ALWAYS, List.of());
        assertThat(v2.imageId()).isEqualTo(registry.host() + "/moving/app@" + layeredDigest);
        assertThat(v2.rootfs()).isNotEqualTo(v1.rootfs());
        assertThat(v2.rootfs().resolve(TestImages.Layered.ADDED)).exists();
        // The shared busybox layer was not fetched again.
        assertThat(registry.count("GET", "/v2/moving/app/blobs/" + busyboxLayer)).isEqualTo(1);
        // The old image is no longer named; removing the name deletes its root.
        assertThat(store.list()).extracting(ResolvedImage::imageId).containsExactly(v2.imageId());
    }

    @Test
    void neverWithoutTheImageFails() {
        assertThatThrownBy(() -> store().pull(ImageRef.parse("busybox:never"), PullPolicy.NEVER, List.of()))
                .isInstanceOfSatisfying(ImageException.ErrImageNeverPull.class,
                        e -> assertThat(e.reason()).isEqualTo("ErrImageNeverPull"))
                .hasMessage("Container image \"busybox:never\" is not present with pull policy of Never");
        assertThat(registry.count("GET", "never")).isZero();
    }

    @Test
    void aMissingTagOrRepositoryReportsTheRegistrysMessage() {
        ImageStore store = store();
        String name = registry.host() + "/demo/busybox:nope";
        assertThatThrownBy(() -> store.pull(ImageRef.parse(name), PullPolicy.IF_NOT_PRESENT, List.of()))
                .isInstanceOfSatisfying(ImageException.ErrImagePull.class,
                        e -> assertThat(e.reason()).isEqualTo("ErrImagePull"))
                .hasMessage("failed to pull and unpack image \"" + name + "\": failed to resolve reference \"" + name
                        + "\": " + name + ": not found: manifest unknown");
        String repo = registry.host() + "/nope:1";
        assertThatThrownBy(() -> store.pull(ImageRef.parse(repo), PullPolicy.IF_NOT_PRESENT, List.of()))
                .hasMessageEndingWith("\": " + repo + ": not found: manifest unknown");
    }

    @Test
    void aMirrorServesDockerHubNames() {
        images.push("busybox", registry, "library/busybox:latest", false);
        RegistryConfig config = new RegistryConfig(Map.of("docker.io",
                RegistryConfig.Host.mirroredBy(URI.create(registry.url().toString()))));
        ResolvedImage img = store(config).pull(ImageRef.parse("busybox"), PullPolicy.ALWAYS, List.of());
        assertThat(img.name()).isEqualTo("docker.io/library/busybox:latest");
        assertThat(img.imageId()).isEqualTo("docker.io/library/busybox@" + busyboxDigest);
        assertThat(registry.count("GET", "/v2/library/busybox/manifests/latest")).isPositive();
    }

    @Test
    void concurrentPullsDownloadOnce() throws Exception {
        images.push("layered", registry, "conc/app:1", false);
        ImageStore store = store();
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ResolvedImage>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return store.pull(ref("conc/app:1"), PullPolicy.IF_NOT_PRESENT, List.of());
                }));
            }
            go.countDown();
            ResolvedImage first = results.getFirst().get(60, TimeUnit.SECONDS);
            for (Future<ResolvedImage> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(first);
            }
        }
        assertThat(registry.count("GET", "/v2/conc/app/manifests/")).isEqualTo(1);
        for (TestImages.Blob layer : images.layered().layers()) {
            assertThat(registry.count("GET", "/v2/conc/app/blobs/" + layer.digest())).isEqualTo(1);
        }
        assertThat(registry.count("GET", "/v2/conc/app/blobs/" + images.layered().configDigest())).isEqualTo(1);
    }

    @Test
    void aTamperedBlobIsRejected() throws IOException {
        // A registry of its own: blobs are shared by every repository of a registry.
        try (LocalRegistry own = LocalRegistry.start()) {
            images.push("busybox", own, "demo/bb:1", false);
            String layer = images.busybox().layers().getFirst().digest();
            try (RandomAccessFile f = new RandomAccessFile(own.blobData(layer).toFile(), "rw")) {
                f.seek(f.length() / 2);
                int b = f.read();
                f.seek(f.length() / 2);
                f.write(b ^ 0xff);
            }
            ImageStore store = store();
            assertThatThrownBy(() -> store.pull(ImageRef.parse(own.host() + "/demo/bb:1"), PullPolicy.ALWAYS, List.of()))
                    .isInstanceOf(ImageException.ErrImagePull.class)
                    .hasMessageContaining("failed to copy: failed commit on ref \"" + layer + "\": unexpected commit digest")
                    .hasMessageContaining("expected " + layer);
            assertThat(store.list()).isEmpty();
            assertThat(tmp.resolve("store0/blobs/sha256").resolve(layer.substring(7))).doesNotExist();
        }
    }

    @Test
    void halfFinishedWorkFromACrashIsDiscardedAndRedone() throws IOException {
        Path root = tmp.resolve("store0");
        try (ImageStore s = new ImageStore(ImageStoreOptions.at(root))) {
            s.pull(ref("demo/busybox:1"), PullPolicy.ALWAYS, List.of());
        }
        String layer = images.busybox().layers().getFirst().digest().substring(7);
        String config = images.busybox().configDigest().substring(7);
        // As a crash would leave them: temp names, and a finished layer and rootfs that were lost.
        Files.writeString(root.resolve("blobs/sha256/.tmp-" + layer + "-x"), "partial");
        Files.createDirectories(root.resolve("layers/.tmp-" + layer + "-y/fs/bin"));
        Files.createDirectories(root.resolve("rootfs/.tmp-" + config + "-z/bin"));
        FsOps.deleteTree(root.resolve("layers").resolve(layer));
        FsOps.deleteTree(root.resolve("rootfs").resolve(config));

        ImageStore reopened = new ImageStore(ImageStoreOptions.at(root));
        stores.add(reopened);
        assertThat(root.resolve("blobs/sha256/.tmp-" + layer + "-x")).doesNotExist();
        assertThat(root.resolve("layers/.tmp-" + layer + "-y")).doesNotExist();
        assertThat(root.resolve("rootfs/.tmp-" + config + "-z")).doesNotExist();
        long before = registry.count("GET", "/v2/demo/busybox/blobs/");
        ResolvedImage img = reopened.pull(ref("demo/busybox:1"), PullPolicy.IF_NOT_PRESENT, List.of());
        assertThat(img.rootfs().resolve("bin/busybox")).isExecutable();
        // The blobs were whole: rebuilt from them without downloading again.
        assertThat(registry.count("GET", "/v2/demo/busybox/blobs/")).isEqualTo(before);
    }

    @Test
    void removeForgetsTheNameAndFreesTheRootWhenUnused() {
        ImageStore store = store();
        ResolvedImage a = store.pull(ref("demo/busybox:1"), PullPolicy.ALWAYS, List.of());
        ResolvedImage b = store.pull(ref("demo/busybox@" + busyboxDigest), PullPolicy.ALWAYS, List.of());
        assertThat(store.remove(ref("demo/busybox:1"))).isTrue();
        assertThat(a.rootfs()).isDirectory(); // still named by digest
        assertThat(store.find(ref("demo/busybox:1"))).isEmpty();
        assertThat(store.remove(ImageRef.parse(b.name()))).isTrue();
        assertThat(a.rootfs()).doesNotExist();
        assertThat(store.remove(ImageRef.parse(b.name()))).isFalse();
        assertThat(store.list()).isEmpty();
    }

    /** Runs a command chrooted into the image (as root only): the unpacked image really works. */
    private static String runInRootfs(ResolvedImage img, List<String> command) throws Exception {
        Assumptions.assumeTrue(FsOps.canChown(), "needs root to chroot");
        List<String> cmd = new ArrayList<>(List.of("chroot", img.rootfs().toString(), "/bin/env", "PATH=/bin"));
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
