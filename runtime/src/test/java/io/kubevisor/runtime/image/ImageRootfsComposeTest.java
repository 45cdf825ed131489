package io.kubevisor.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stacking unpacked layers into a root filesystem. */
class ImageRootfsComposeTest {

    @TempDir
    Path tmp;

    private final boolean chown = FsOps.canChown();
    private final List<Path> layers = new ArrayList<>();

    private void layer(TarBuilder tar) throws IOException {
        int n = layers.size();
        Path dir = tmp.resolve("layer" + n);
        new LayerUnpacker(chown).unpack(tar.writeTo(tmp.resolve("blob" + n), true), MediaTypes.OCI_LAYER_GZIP, null, dir);
        layers.add(dir);
    }

    private Path compose() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("rootfs"));
        new RootfsComposer(chown).compose(layers, root);
        return root;
    }

    @Test
    void appliesWhiteoutsAndOpaqueDirectories() throws IOException {
        layer(new TarBuilder().dir("etc").file("etc/passwd", "root").file("etc/shadow", "x")
                .dir("opt").file("opt/old1", "1").dir("opt/olddir").file("opt/olddir/f", "f")
                .dir("var/cache").file("var/cache/big", "big").file("keep", "keep"));
        layer(new TarBuilder().file("etc/.wh.shadow", "").file("opt/.wh..wh..opq", "").file("opt/new", "new")
                .file("var/.wh.cache", "").file(".wh.nothing-there", ""));
        Path root = compose();
        assertThat(root.resolve("etc/passwd")).hasContent("root");
        assertThat(root.resolve("etc/shadow")).doesNotExist();
        try (var opt = Files.list(root.resolve("opt"))) {
            assertThat(opt.map(p -> p.getFileName().toString()).toList()).containsExactly("new");
        }
        assertThat(root.resolve("var")).isDirectory();
        assertThat(root.resolve("var/cache")).doesNotExist();
        assertThat(root.resolve("keep")).hasContent("keep");
        try (var all = Files.walk(root)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".wh."));
        }
    }

    @Test
    void upperLayersReplaceFilesAndTypes() throws IOException {
        layer(new TarBuilder().file("a", "lower").dir("b").file("b/x", "x").file("c", "file"));
        layer(new TarBuilder().file("a", "upper").file("b", "b is a file now").dir("c").file("c/y", "y"));
        Path root = compose();
        assertThat(root.resolve("a")).hasContent("upper");
        assertThat(root.resolve("b")).isRegularFile().hasContent("b is a file now");
        assertThat(root.resolve("c/y")).hasContent("y");
    }

    @Test
    void sharesFileStorageWithTheLayerAndKeepsMetadata() throws IOException {
        layer(new TarBuilder().dir("bin", 0711).file("bin/suid", "s", 04755, 0, 0)
                .file("home/u/f", "u", 0600, 1234, 5678).hardlink("bin/alias", "bin/suid"));
        Path root = compose();
        assertThat(Files.isSameFile(root.resolve("bin/suid"), layers.getFirst().resolve("fs/bin/suid"))).isTrue();
        assertThat(Files.isSameFile(root.resolve("bin/suid"), root.resolve("bin/alias"))).isTrue();
        assertThat(Files.getAttribute(root.resolve("bin/suid"), "unix:mode")).isEqualTo(0104755);
        assertThat(Files.getAttribute(root.resolve("bin"), "unix:mode")).isEqualTo(040711);
        if (chown) {
            assertThat(Files.getAttribute(root.resolve("home/u/f"), "unix:uid")).isEqualTo(1234);
            assertThat(Files.getAttribute(root.resolve("home/u/f"), "unix:gid")).isEqualTo(5678);
        }
    }

    @Test
    void impliedDirectoriesFollowLowerSymlinksExplicitOnesReplaceThem() throws IOException {
        layer(new TarBuilder().dir("usr/lib").symlink("lib", "usr/lib").dir("usr/share").symlink("share", "/usr/share")
                .dir("etc", 0700));
        // "lib/" is only implied by lib/libc.so: it lands in usr/lib. "share/" is listed: it replaces the link.
        // "etc/x" implies etc: the lower directory's mode stays.
        layer(new TarBuilder().file("lib/libc.so", "c").dir("share").file("share/doc", "d").file("etc/x", "x"));
        Path root = compose();
        assertThat(Files.isSymbolicLink(root.resolve("lib"))).isTrue();
        assertThat(root.resolve("usr/lib/libc.so")).hasContent("c");
        assertThat(Files.isSymbolicLink(root.resolve("share"))).isFalse();
        assertThat(root.resolve("share/doc")).hasContent("d");
        assertThat(root.resolve("usr/share/doc")).doesNotExist();
        assertThat(Files.getAttribute(root.resolve("etc"), "unix:mode")).isEqualTo(040700);
    }

    @Test
    void symlinksInTheRootfsCannotRedirectWritesOutside() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        layer(new TarBuilder().symlink("evil", outside.toString()).symlink("up", "../../../.."));
        layer(new TarBuilder().file("evil/pwned", "x").file("up/pwned2", "y").file("evil/.wh.victim", ""));
        Files.writeString(outside.resolve("victim"), "still here");
        Path root = compose();
        assertThat(outside.resolve("pwned")).doesNotExist();
        assertThat(outside.resolve("victim")).hasContent("still here");
        assertThat(root.resolve("pwned2")).hasContent("y");
    }

    @Test
    void hardlinksToLowerLayersAreMadeWhenStacking() throws IOException {
        layer(new TarBuilder().file("usr/bin/python3.12", "py"));
        layer(new TarBuilder().hardlink("usr/bin/python3", "usr/bin/python3.12"));
        Path root = compose();
        assertThat(Files.isSameFile(root.resolve("usr/bin/python3"), root.resolve("usr/bin/python3.12"))).isTrue();

        layers.clear();
        layer(new TarBuilder().hardlink("dangling", "not/there"));
        Path other = Files.createDirectories(tmp.resolve("other"));
        assertThatThrownBy(() -> new RootfsComposer(chown).compose(layers, other))
                .hasMessageContaining("which no layer provides");
    }
}
