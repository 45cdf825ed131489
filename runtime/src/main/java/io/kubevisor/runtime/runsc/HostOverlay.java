package io.kubevisor.runtime.runsc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.kubevisor.runtime.linux.LinuxCallException;
import io.kubevisor.runtime.linux.LinuxCalls;

/**
 * A host overlay mount per container: the shared image as the lower layer, a per-container
 * upper directory. runsc creates missing mount points (for /etc/hosts, volumes) in the host
 * directory it is given as root, even a read-only one; the overlay takes those writes so the
 * image, shared by many pods, is never written. File writes of the container itself stay in the
 * sandbox's memory overlay and never reach the upper directory. Mounts and unmounts with the
 * system calls, not {@code mount}/{@code umount} processes (a few ms each, on every container
 * start).
 */
final class HostOverlay {

    private HostOverlay() {
    }

    /** Mounts {@code image} at {@code target} unless something is mounted there already. */
    static void mount(Path image, Path upper, Path work, Path target) {
        for (Path p : List.of(image, upper, work, target)) {
            String s = p.toString();
            if (s.contains(",") || s.contains(":") || s.contains(" ")) {
                throw new IllegalArgumentException("path not usable in an overlay mount: " + s);
            }
        }
        try {
            if (!Files.isDirectory(image)) {
                throw new IllegalArgumentException("rootfs is not a directory: " + image);
            }
            Files.createDirectories(upper);
            Files.createDirectories(work);
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (isMounted(target)) {
            return;
        }
        try {
            LinuxCalls.mount("overlay", target.toString(), "overlay", 0,
                    "lowerdir=" + image + ",upperdir=" + upper + ",workdir=" + work);
        } catch (LinuxCallException e) {
            throw new RunscException("cannot mount the image overlay at " + target + ": " + e.getMessage(), e);
        }
    }

    /** Unmounts {@code target} if mounted (lazily if busy). */
    static void unmount(Path target) {
        if (!isMounted(target)) {
            return;
        }
        try {
            LinuxCalls.umount2(target.toString(), 0);
        } catch (LinuxCallException busy) {
            if (!isMounted(target)) {
                return;
            }
            try {
                LinuxCalls.umount2(target.toString(), LinuxCalls.MNT_DETACH);
            } catch (LinuxCallException e) {
                throw new RunscException("cannot unmount " + target + ": " + e.getMessage(), e);
            }
        }
    }

    /** Whether something is mounted exactly at {@code target} (per /proc/self/mountinfo). */
    static boolean isMounted(Path target) {
        String want = target.toAbsolutePath().normalize().toString();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4 && unescape(f[4]).equals(want)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mount points under {@code dir}, for leak checks. */
    static List<String> mountsUnder(Path dir) {
        String prefix = dir.toAbsolutePath().normalize() + "/";
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .map(l -> l.split(" "))
                    .filter(f -> f.length > 4)
                    .map(f -> unescape(f[4]))
                    .filter(m -> m.startsWith(prefix))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
