package io.kubevisor.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacking one layer: formats, metadata, and refusal of members that would escape. */
class ImageLayerUnpackTest {

    @TempDir
    Path tmp;

    private final LayerUnpacker unpacker = new LayerUnpacker(FsOps.canChown());

    private LayerMeta unpack(TarBuilder tar, boolean gzip) throws IOException {
        Path blob = tar.writeTo(tmp.resolve("blob"), gzip);
        return unpacker.unpack(blob, gzip ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.OCI_LAYER_TAR, null,
                tmp.resolve("layer"));
    }

    private Path fs() {
        return tmp.resolve("layer").resolve(LayerMeta.FS);
    }

    @Test
    void unpacksGzipAndPlainTarIdentically() throws IOException {
        TarBuilder tar = new TarBuilder().dir("./").dir("./etc/").file("./etc/hosts", "127.0.0.1 localhost\n")
                .symlink("./etc/alias", "hosts").file("./" + "d/".repeat(60) + "long", "deep");
        unpack(tar, true);
        assertThat(fs().resolve("etc/hosts")).hasContent("127.0.0.1 localhost");
        assertThat(Files.readSymbolicLink(fs().resolve("etc/alias"))).isEqualTo(Path.of("hosts"));
        assertThat(fs().resolve("d/".repeat(60) + "long")).hasContent("deep");

        Path plain = tmp.resolve("plain");
        unpacker.unpack(tar.writeTo(tmp.resolve("blob2"), false), MediaTypes.OCI_LAYER_TAR, null, plain);
        assertThat(plain.resolve("fs/etc/hosts")).hasContent("127.0.0.1 localhost");
    }

    @Test
    void keepsModesOwnersAndHardlinksAndRecordsImplicitDirs() throws IOException {
        LayerMeta meta = unpack(new TarBuilder().dir("usr/", 0750).file("usr/bin/tool", "t", 04755, 1234, 5678)
                .hardlink("usr/bin/tool2", "usr/bin/tool").dir("secret", 0700), false);
        Path tool = fs().resolve("usr/bin/tool");
        assertThat(Files.getAttribute(tool, "unix:mode")).isEqualTo(0104755);
        assertThat(Files.getAttribute(fs().resolve("usr"), "unix:mode")).isEqualTo(040750);
        assertThat(Files.getAttribute(fs().resolve("secret"), "unix:mode")).isEqualTo(040700);
        assertThat(Files.isSameFile(tool, fs().resolve("usr/bin/tool2"))).isTrue();
        if (FsOps.canChown()) {
            assertThat(Files.getAttribute(tool, "unix:uid")).isEqualTo(1234);
            assertThat(Files.getAttribute(tool, "unix:gid")).isEqualTo(5678);
        }
        assertThat(meta.implicitDirs()).containsExactlyInAnyOrder("", "usr/bin");
        assertThat(meta.diffId()).startsWith("sha256:");
    }

    @Test
    void keepsWhiteoutMarkersForStacking() throws IOException {
        unpack(new TarBuilder().file("etc/.wh.passwd", "").file("opt/.wh..wh..opq", "").file("opt/new", "n"), true);
        assertThat(fs().resolve("etc/.wh.passwd")).exists();
        assertThat(fs().resolve("opt/.wh..wh..opq")).exists();
    }

    @Test
    void skipsDevicesAndFifos() throws IOException {
        LayerMeta meta = unpack(new TarBuilder().charDevice("dev/null").fifo("run/pipe").file("ok", "ok"), false);
        assertThat(fs().resolve("dev/null")).doesNotExist();
        assertThat(fs().resolve("run/pipe")).doesNotExist();
        assertThat(fs().resolve("ok")).hasContent("ok");
        assertThat(meta.skipped()).isEqualTo(2);
    }

    @Test
    void refusesParentDirectoryTraversal() {
        assertThatThrownBy(() -> unpack(new TarBuilder().file("../evil", "x"), false))
                .hasMessageContaining("unsafe path \"../evil\"");
        assertThatThrownBy(() -> unpack(new TarBuilder().file("a/../../evil", "x"), true))
                .hasMessageContaining("unsafe path");
        assertThat(tmp.resolve("evil")).doesNotExist();
        assertThat(tmp.getParent().resolve("evil")).doesNotExist();
    }

    @Test
    void refusesAbsolutePaths() {
        assertThatThrownBy(() -> unpack(new TarBuilder().file("/tmp/evil", "x"), false))
                .hasMessageContaining("absolute paths are not allowed");
    }

    @Test
    void refusesHardlinksOutOfTheTree() {
        assertThatThrownBy(() -> unpack(new TarBuilder().hardlink("passwd", "../../../etc/passwd"), false))
                .hasMessageContaining("unsafe path");
        assertThatThrownBy(() -> unpack(new TarBuilder().hardlink("passwd", "/etc/passwd"), false))
                .hasMessageContaining("absolute paths");
    }

    @Test
    void writesThroughSymlinksStayInsideTheLayer() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        unpack(new TarBuilder()
                .symlink("abs", outside.toString())
                .file("abs/pwned", "x")
                .symlink("up", "../../../../..")
                .file("up/pwned2", "y")
                .symlink("hop", "up/" + outside.getFileName())
                .file("hop/pwned3", "z"), false);
        try (var s = Files.list(outside)) {
            assertThat(s.toList()).isEmpty();
        }
        // Followed as a chrooted process would: the absolute target restarts at the layer root.
        assertThat(fs().resolve(outside.toString().substring(1)).resolve("pwned")).hasContent("x");
        assertThat(fs().resolve("pwned2")).hasContent("y");
        assertThat(Files.isSymbolicLink(fs().resolve("abs"))).isTrue();
    }

    @Test
    void hardlinkThroughAnEscapingSymlinkStaysInside() throws IOException {
        Files.writeString(tmp.resolve("secret"), "do not link me");
        unpack(new TarBuilder().symlink("esc", "../../..").hardlink("stolen", "esc/secret"), false);
        // The target is looked up inside the layer, where it is absent: recorded for a lower layer.
        assertThat(fs().resolve("stolen")).doesNotExist();
        assertThat(LayerMeta.read(tmp.resolve("layer")).hardlinks())
                .containsExactly(new LayerMeta.Link("stolen", "esc/secret"));
    }

    @Test
    void laterMembersReplaceEarlierOnes() throws IOException {
        unpack(new TarBuilder().dir("x").file("x/in", "1").file("x", "now a file").symlink("y", "x")
                .file("y", "file again"), false);
        assertThat(fs().resolve("x")).isRegularFile().hasContent("now a file");
        assertThat(Files.isSymbolicLink(fs().resolve("y"))).isFalse();
        assertThat(fs().resolve("y")).hasContent("file again");
    }

    @Test
    void checksTheDiffId() throws IOException {
        TarBuilder tar = new TarBuilder().file("a", "a");
        Path blob = tar.writeTo(tmp.resolve("blob"), true);
        String diffId = Digests.of(tar.bytes());
        assertThat(unpacker.unpack(blob, MediaTypes.OCI_LAYER_GZIP, diffId, tmp.resolve("ok")).diffId())
                .isEqualTo(diffId);
        String wrong = "sha256:" + "0".repeat(64);
        assertThatThrownBy(() -> unpacker.unpack(blob, MediaTypes.OCI_LAYER_GZIP, wrong, tmp.resolve("bad")))
                .hasMessageContaining("diff id " + diffId + ", expected " + wrong);
    }

    @Test
    void refusesZstdWithAClearError() throws IOException {
        Path blob = Files.write(tmp.resolve("z"), new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0});
        assertThatThrownBy(() -> unpacker.unpack(blob, "application/vnd.oci.image.layer.v1.tar+zstd", null,
                tmp.resolve("l1"))).hasMessageContaining("zstd-compressed layers are not supported");
        assertThatThrownBy(() -> unpacker.unpack(blob, MediaTypes.OCI_LAYER_TAR, null, tmp.resolve("l2")))
                .hasMessageContaining("zstd-compressed layers are not supported");
    }

    @Test
    void refusesGarbageAndTruncatedTars() throws IOException {
        Path junk = Files.write(tmp.resolve("junk"), "this is not a tar archive at all".repeat(40).getBytes());
        assertThatThrownBy(() -> unpacker.unpack(junk, MediaTypes.OCI_LAYER_TAR, null, tmp.resolve("j")))
                .hasMessageContaining("checksum");
        byte[] whole = new TarBuilder().file("big", "x".repeat(5000)).bytes();
        Path cut = Files.write(tmp.resolve("cut"), java.util.Arrays.copyOf(whole, 2048));
        assertThatThrownBy(() -> unpacker.unpack(cut, MediaTypes.OCI_LAYER_TAR, null, tmp.resolve("c")))
                .hasMessageContaining("truncated");
    }

    @Test
    void tarReaderHandlesPaxAndBase256() throws IOException {
        byte[] tar = new TarBuilder().file("x".repeat(150), "long").symlink("l", "t".repeat(120)).bytes();
        TarReader r = new TarReader(new ByteArrayInputStream(tar));
        TarEntry e = r.next();
        assertThat(e.name()).isEqualTo("x".repeat(150));
        assertThat(new String(r.content().readAllBytes())).isEqualTo("long");
        TarEntry l = r.next();
        assertThat(l.type()).isEqualTo(TarEntry.Type.SYMLINK);
        assertThat(l.linkName()).isEqualTo("t".repeat(120));
        assertThat(r.next()).isNull();

        // GNU base-256 uid (2^21 does not fit 7 octal digits).
        byte[] one = new TarBuilder().file("u", "").bytes();
        byte[] h = java.util.Arrays.copyOf(one, 512);
        java.util.Arrays.fill(h, 108, 116, (byte) 0);
        h[108] = (byte) 0x80;
        h[113] = 0x20;
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        byte[] ck = String.format("%06o\0 ", sum).getBytes();
        System.arraycopy(ck, 0, h, 148, 8);
        byte[] patched = one.clone();
        System.arraycopy(h, 0, patched, 0, 512);
        assertThat(new TarReader(new ByteArrayInputStream(patched)).next().uid()).isEqualTo(0x200000L);
    }
}
