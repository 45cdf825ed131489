package io.kubevisor.runtime.provider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes a volume's files the way the kubelet's AtomicWriter does, so that a reader inside the pod
 * sees either the old or the new set, never a mix: the files go to a fresh hidden directory
 * {@code ..<timestamp>}, the symlink {@code ..data} is swapped to it with one rename, and each
 * top-level name is a symlink {@code name -> ..data/name}. An unchanged payload writes nothing.
 * Not thread-safe: one writer per directory.
 */
final class AtomicWriter {

    static final String DATA = "..data";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss.SSSSSSSSS").withZone(ZoneOffset.UTC);

    private AtomicWriter() {
    }

    /**
     * @return whether anything was written
     * @throws IllegalArgumentException for a path that is absolute, has {@code ..} or starts with {@code ..}
     */
    static boolean write(Path dir, Map<String, VolumeFiles.FileContent> payload, Instant now) {
        for (String p : payload.keySet()) {
            validate(p);
        }
        try {
            Files.createDirectories(dir);
            Path data = dir.resolve(DATA);
            if (Files.exists(data) && matches(data, payload)) {
                return false;
            }
            String stamp = ".." + STAMP.format(now);
            Path fresh = dir.resolve(stamp);
            Files.createDirectories(fresh);
            Files.setPosixFilePermissions(fresh, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ,
                    PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
                    PosixFilePermission.OTHERS_EXECUTE));
            for (var e : payload.entrySet()) {
                Path f = fresh.resolve(e.getKey());
                Files.createDirectories(f.getParent());
                Files.write(f, e.getValue().data());
                Files.setPosixFilePermissions(f, permissions(e.getValue().mode()));
            }
            Path old = Files.isSymbolicLink(data) ? dir.resolve(Files.readSymbolicLink(data)) : null;
            Path tmpLink = dir.resolve("..data_tmp");
            Files.deleteIfExists(tmpLink);
            Files.createSymbolicLink(tmpLink, Path.of(stamp));
            Files.move(tmpLink, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Set<String> top = new HashSet<>();
            for (String p : payload.keySet()) {
                top.add(Path.of(p).getName(0).toString());
            }
            for (String name : top) {
                Path link = dir.resolve(name);
                if (!Files.isSymbolicLink(link)) {
                    Files.createSymbolicLink(link, Path.of(DATA).resolve(name));
                }
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    if (!n.startsWith("..") && !top.contains(n) && Files.isSymbolicLink(p)) {
                        Files.delete(p);
                    }
                }
            }
            if (old != null && !old.getFileName().toString().equals(stamp)) {
                deleteTree(old);
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write volume files in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean matches(Path data, Map<String, VolumeFiles.FileContent> payload) throws IOException {
        Set<String> present = new HashSet<>();
        try (var walk = Files.walk(data.toRealPath())) {
            Path root = data.toRealPath();
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                present.add(root.relativize(p).toString());
            }
        }
        if (!present.equals(payload.keySet())) {
            return false;
        }
        for (var e : payload.entrySet()) {
            Path f = data.resolve(e.getKey());
            if (!java.util.Arrays.equals(Files.readAllBytes(f), e.getValue().data())
                    || !Files.getPosixFilePermissions(f).equals(permissions(e.getValue().mode()))) {
                return false;
            }
        }
        return true;
    }

    static void validate(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.startsWith("..")) {
            throw new IllegalArgumentException("invalid path " + path);
        }
        for (Path part : Path.of(path)) {
            if (part.toString().equals("..")) {
                throw new IllegalArgumentException("invalid path " + path + ": must not contain '..'");
            }
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = new HashSet<>();
        PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(bits[i]);
            }
        }
        return s;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
                for (Path p : ds) {
                    deleteTree(p);
                }
            }
        }
        Files.deleteIfExists(root);
    }
}
