package io.kubevisor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * The pod benchmark's workload: a root file system holding Debian's static busybox with a few
 * applet links, packed as an OCI archive ({@value #REFERENCE}) with umoci and skopeo for the
 * pods, and the very same directory (plus empty mount points) as the root of the bare runsc
 * bundles.
 *
 * @param rootfs  the staged root: {@code bin/busybox} and links, then {@code proc dev sys tmp etc}
 * @param archive the OCI archive of the root ({@code oci-archive}, tag {@code busybox:1.0})
 */
record BusyboxImage(Path rootfs, Path archive) {

    /** How pods name the image. */
    static final String REFERENCE = "busybox:1.0";

    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final List<String> APPLETS = List.of("sh", "sleep", "echo", "cat", "ls", "true");
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    /** Stages the root in {@code dir} and builds the archive; needs umoci and skopeo. */
    static BusyboxImage build(Path dir) {
        try {
            Path rootfs = dir.resolve("rootfs");
            Path bin = Files.createDirectories(rootfs.resolve("bin"));
            Files.copy(BUSYBOX, bin.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.COPY_ATTRIBUTES);
            for (String applet : APPLETS) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
            String layout = dir.resolve("oci").toString();
            Path bundle = dir.resolve("umoci-bundle");
            HostCommand.check(TIMEOUT, "umoci", "init", "--layout", layout);
            HostCommand.check(TIMEOUT, "umoci", "new", "--image", layout + ":busybox");
            HostCommand.check(TIMEOUT, "umoci", "unpack", "--rootless", "--image", layout + ":busybox",
                    bundle.toString());
            HostCommand.check(TIMEOUT, "cp", "-a", rootfs + "/.", bundle.resolve("rootfs").toString());
            HostCommand.check(TIMEOUT, "umoci", "repack", "--image", layout + ":busybox", bundle.toString());
            HostCommand.check(TIMEOUT, "umoci", "config", "--image", layout + ":busybox", "--config.cmd=/bin/sh",
                    "--config.env=PATH=/bin", "--architecture=amd64", "--os=linux");
            HostCommand.check(TIMEOUT, "umoci", "gc", "--layout", layout);
            Path archive = dir.resolve("busybox.tar");
            HostCommand.check(TIMEOUT, "skopeo", "copy", "oci:" + layout + ":busybox",
                    "oci-archive:" + archive + ":" + REFERENCE);
            // The bare bundles' root: runsc would create missing mount points in it.
            for (String d : List.of("proc", "dev", "sys", "tmp", "etc")) {
                Files.createDirectories(rootfs.resolve(d));
            }
            return new BusyboxImage(rootfs.toAbsolutePath(), archive.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the busybox image in " + dir, e);
        }
    }
}
