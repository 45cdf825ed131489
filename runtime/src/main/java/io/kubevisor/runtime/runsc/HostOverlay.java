package io.kubevisor.runtime.runsc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A host overlay mount per container: the shared image as the lower layer, a per-container
 * upper directory. runsc creates missing mount points (for /etc/hosts, volumes) in the host
 * directory it is given as root, even a read-only one; the overlay takes those writes so the
 * image, shared by many pods, is never written. File writes of the container itself stay in the
 * sandbox's memory overlay and never reach the upper directory.
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
        var r = Runsc.run(List.of("mount", "-t", "overlay", "overlay", "-o",
                "lowerdir=" + image + ",upperdir=" + upper + ",workdir=" + work, target.toString()),
                Duration.ofSeconds(30));
        if (!r.ok()) {
            throw new RunscException("cannot mount the image overlay at " + target + ": " + r.message());
        }
    }

    /** Unmounts {@code target} if mounted (lazily if busy). */
    static void unmount(Path target) {
        if (!isMounted(target)) {
            return;
        }
        var r = Runsc.run(List.of("umount", target.toString()), Duration.ofSeconds(30));
        if (!r.ok() && isMounted(target)) {
            var lazy = Runsc.run(List.of("umount", "-l", target.toString()), Duration.ofSeconds(30));
            if (!lazy.ok()) {
                throw new RunscException("cannot unmount " + target + ": " + lazy.message());
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
