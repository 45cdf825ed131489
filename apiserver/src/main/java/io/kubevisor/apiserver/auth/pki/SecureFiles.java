package io.kubevisor.apiserver.auth.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes credential files atomically (temp file in the same directory, then rename), so a crash
 * never leaves a half-written key, and with the file mode set from creation on, so a secret is
 * never readable by others even for a moment.
 */
final class SecureFiles {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private SecureFiles() {
    }

    /** Writes text readable only by the owner (mode 0600). */
    static void writeSecret(Path file, String text) {
        write(file, text, OWNER_ONLY);
    }

    /** Writes text readable by everyone (mode 0644): certificates, never keys. */
    static void writePublic(Path file, String text) {
        write(file, text, WORLD_READABLE);
    }

    /** Creates the directory (mode 0700 when new) and its parents if missing. */
    static void ensureDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                if (posix()) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
                } else {
                    Files.createDirectories(dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + dir, e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void write(Path file, String text, Set<PosixFilePermission> mode) {
        Path dir = file.toAbsolutePath().getParent();
        ensureDirectory(dir);
        Path tmp = null;
        try {
            FileAttribute<?>[] attrs = posix()
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)}
                    : new FileAttribute<?>[0];
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attrs);
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            if (posix()) {
                // createTempFile honours the umask; set the mode explicitly so 0644 stays 0644.
                Files.setPosixFilePermissions(tmp, mode);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the original error matters more
                }
            }
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
