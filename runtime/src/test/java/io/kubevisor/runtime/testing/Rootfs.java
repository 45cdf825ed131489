package io.kubevisor.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * A minimal container root file system for tests: Debian's static busybox with every applet
 * linked (relative symlinks) at its usual place ({@code /bin/sh}, {@code /usr/bin/nc}, …), {@code /etc/passwd} and
 * {@code /etc/group} with root and {@code user} (uid/gid 1000), and {@code /tmp} (mode 1777).
 */
public final class Rootfs {

    /** The uid and gid of the unprivileged user in the file system. */
    public static final int USER_ID = 1000;

    private static final Path BUSYBOX = Path.of("/bin/busybox");

    private Rootfs() {
    }

    /** Whether the static busybox this needs is installed (Debian's busybox-static). */
    public static boolean available() {
        return Files.isExecutable(BUSYBOX);
    }

    /** Builds the file system in {@code dir} (created if missing) and returns it. */
    public static Path busybox(Path dir) {
        try {
            Path bin = dir.resolve("bin");
            Files.createDirectories(bin);
            Files.copy(BUSYBOX, bin.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(bin.resolve("busybox"), PosixFilePermissions.fromString("rwxr-xr-x"));
            for (String applet : applets()) {
                Path link = dir.resolve(applet);
                if (applet.equals("bin/busybox") || Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Files.createDirectories(link.getParent());
                // Relative, so the link works inside the container and on the host alike.
                Files.createSymbolicLink(link, link.getParent().relativize(bin.resolve("busybox")));
            }
            Path etc = Files.createDirectories(dir.resolve("etc"));
            Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n"
                    + "user:x:" + USER_ID + ":" + USER_ID + ":user:/home/user:/bin/sh\n");
            Files.writeString(etc.resolve("group"), "root:x:0:\nuser:x:" + USER_ID + ":\n");
            Files.createDirectories(dir.resolve("root"));
            Files.createDirectories(dir.resolve("home/user"));
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
            for (String d : new String[]{"proc", "dev", "sys"}) {
                Files.createDirectories(dir.resolve(d));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Applet paths relative to the root, e.g. {@code usr/bin/nc}. */
    private static String[] applets() throws IOException {
        Process p = new ProcessBuilder(BUSYBOX.toString(), "--list-full").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("busybox --list-full failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out.lines().map(String::strip).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }
}
