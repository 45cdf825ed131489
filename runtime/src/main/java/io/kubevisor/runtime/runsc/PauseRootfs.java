package io.kubevisor.runtime.runsc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The pause container's root file system: one static busybox (Debian's busybox-static), shared
 * read-only by every sandbox. Its process is {@code busybox sleep 2147483647}.
 */
final class PauseRootfs {

    private PauseRootfs() {
    }

    /** Creates the root under {@code dir} unless it is already there; returns it. */
    static Path ensure(Path dir, Path busybox) {
        Path bin = dir.resolve("bin");
        Path target = bin.resolve("busybox");
        try {
            if (Files.isExecutable(target) && Files.size(target) == Files.size(busybox)) {
                return dir;
            }
            if (!Files.isRegularFile(busybox)) {
                throw new IllegalStateException("no static busybox at " + busybox
                        + " (install Debian's busybox-static)");
            }
            Files.createDirectories(bin);
            for (String d : new String[]{"proc", "dev", "sys", "etc", "tmp"}) {
                Files.createDirectories(dir.resolve(d));
            }
            Path tmp = bin.resolve("busybox.tmp");
            Files.copy(busybox, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the pause root file system in " + dir, e);
        }
    }
}
