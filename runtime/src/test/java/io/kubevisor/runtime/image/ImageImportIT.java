package io.kubevisor.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.kubevisor.runtime.testing.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubevisor image import}: archives written by skopeo, no registry involved. */
class ImageImportIT {

    @TempDir
    static Path work;

    static TestImages images;

    @TempDir
    Path tmp;

    @BeforeAll
    static void build() {
        images = new TestImages(work);
        images.busybox();
        images.layered();
        images.multiArch();
    }

    @Test
    void importsAnOciArchive() {
        Path archive = images.archive("layered", "oci-archive", "demo/imported:1");
        try (ImageStore store = new ImageStore(ImageStoreOptions.at(tmp.resolve("s")))) {
            List<ResolvedImage> imported = store.importArchive(archive);
            assertThat(imported).hasSize(1);
            ResolvedImage img = imported.getFirst();
            assertThat(img.name()).isEqualTo("docker.io/demo/imported:1");
            assertThat(img.imageId()).isEqualTo("docker.io/demo/imported@" + images.layered().manifestDigest());
            assertThat(img.rootfs().resolve(TestImages.Layered.ADDED)).hasContent("added");
            assertThat(img.rootfs().resolve(TestImages.Layered.WHITED_OUT)).doesNotExist();
            // Resolvable by name without any registry (none is running).
            assertThat(store.pull(ImageRef.parse("demo/imported:1"), PullPolicy.NEVER, List.of())).isEqualTo(img);
            assertThat(store.pull(ImageRef.parse("demo/imported:1"), PullPolicy.IF_NOT_PRESENT, List.of()))
                    .isEqualTo(img);
        }
    }

    @Test
    void importsAnOciArchiveHoldingAnIndex() {
        Path archive = images.archive("multi", "oci-archive", "demo/multi-imported:1");
        try (ImageStore store = new ImageStore(ImageStoreOptions.at(tmp.resolve("s")))) {
            ResolvedImage img = store.importArchive(archive).getFirst();
            assertThat(img.imageId()).isEqualTo("docker.io/demo/multi-imported@" + images.multiArch().indexDigest());
            assertThat(img.manifestDigest()).isEqualTo(images.multiArch().amd64().manifestDigest());
            assertThat(img.rootfs().resolve("arch")).hasContent("amd64");
        }
    }

    @Test
    void importsADockerSaveArchive() throws Exception {
        Path archive = images.archive("busybox", "docker-archive", "demo/saved:2");
        try (ImageStore store = new ImageStore(ImageStoreOptions.at(tmp.resolve("s")))) {
            List<ResolvedImage> imported = store.importArchive(archive);
            assertThat(imported).extracting(ResolvedImage::name).containsExactly("docker.io/demo/saved:2");
            ResolvedImage img = imported.getFirst();
            assertThat(img.imageId()).startsWith("docker.io/demo/saved@sha256:");
            assertThat(img.config().entrypoint()).containsExactly("/bin/sh");
            assertThat(img.rootfs().resolve("bin/busybox")).hasSameBinaryContentAs(Path.of("/bin/busybox"));
            assertThat(store.pull(ImageRef.parse("demo/saved:2"), PullPolicy.NEVER, List.of()).rootfs())
                    .isEqualTo(img.rootfs());
            // Importing again changes nothing.
            assertThat(store.importArchive(archive)).containsExactly(img);
        }
    }

    @Test
    void rejectsWhatIsNotAnImageArchive() throws Exception {
        Path junk = Files.writeString(tmp.resolve("junk.tar"), "not a tar");
        Path unnamed = images.archive("busybox", "oci-archive", "1.0");
        try (ImageStore store = new ImageStore(ImageStoreOptions.at(tmp.resolve("s")))) {
            assertThatThrownBy(() -> store.importArchive(junk)).isInstanceOf(UncheckedIOException.class);
            assertThatThrownBy(() -> store.importArchive(unnamed)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("holds no named image");
            assertThat(store.list()).isEmpty();
        }
    }
}
