package io.kubevisor.runtime.image;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * File operations confined to a root directory, for unpacking untrusted layers: names are
 * checked, and symlinks met on the way are resolved as if the root were {@code /} (absolute
 * targets restart at the root, {@code ..} stops at it), the way a chrooted extractor sees them.
 */
final class FsOps {

    static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int MAX_SYMLINKS = 40;

    private FsOps() {
    }

    /**
     * A member name as a clean relative path ({@code ""} for the root itself).
     *
     * @throws IOException for absolute names and names with {@code ..}
     */
    static String safeName(String name) throws IOException {
        if (name.startsWith("/")) {
            throw new IOException("unsafe path \"" + name + "\": absolute paths are not allowed in a layer");
        }
        if (name.indexOf('\0') >= 0) {
            throw new IOException("unsafe path \"" + name + "\": NUL in name");
        }
        List<String> parts = new ArrayList<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                throw new IOException("unsafe path \"" + name + "\": \"..\" is not allowed in a layer");
            }
            parts.add(p);
        }
        return String.join("/", parts);
    }

    /**
     * Resolves {@code rel} under {@code root}, following symlinks in every component (the last one
     * too when {@code followLast}) but never leaving the root. The result need not exist.
     */
    static Path resolve(Path root, String rel, boolean followLast) throws IOException {
        Deque<String> todo = new ArrayDeque<>(split(rel));
        List<String> done = new ArrayList<>();
        int hops = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            Path candidate = join(root, done).resolve(c);
            boolean last = todo.isEmpty();
            if ((!last || followLast) && Files.isSymbolicLink(candidate)) {
                if (++hops > MAX_SYMLINKS) {
                    throw new IOException("too many levels of symbolic links at \"" + rel + "\"");
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    done.clear();
                }
                List<String> expanded = split(target);
                for (int i = expanded.size() - 1; i >= 0; i--) {
                    todo.addFirst(expanded.get(i));
                }
                continue;
            }
            done.add(c);
        }
        return join(root, done);
    }

    private static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty() && !p.equals(".")) {
                out.add(p);
            }
        }
        return out;
    }

    private static Path join(Path root, List<String> parts) {
        Path p = root;
        for (String s : parts) {
            p = p.resolve(s);
        }
        return p;
    }

    /** Deletes whatever is at {@code p} (a directory with its contents), without following links. */
    static void removeExisting(Path p) throws IOException {
        if (!Files.exists(p, NOFOLLOW)) {
            return;
        }
        if (Files.isDirectory(p, NOFOLLOW)) {
            deleteTree(p);
        } else {
            Files.delete(p);
        }
    }

    /** Deletes a directory tree without following symlinks; missing is fine. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, NOFOLLOW)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes the contents of a directory, keeping the directory. */
    static void clearDirectory(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            for (Path child : s.toList()) {
                removeExisting(child);
            }
        }
    }

    /**
     * Sets owner (when {@code chown}), permission bits (not on symlinks, whose bits mean nothing)
     * and mtime. Ownership is set first: chown clears setuid bits.
     */
    static void applyMeta(Path p, int mode, long uid, long gid, long mtimeSeconds, boolean chown) throws IOException {
        boolean link = Files.isSymbolicLink(p);
        if (chown) {
            Files.setAttribute(p, "unix:uid", (int) uid, NOFOLLOW);
            Files.setAttribute(p, "unix:gid", (int) gid, NOFOLLOW);
        }
        if (!link) {
            Files.setAttribute(p, "unix:mode", mode & 07777, NOFOLLOW);
        }
        setMtime(p, mtimeSeconds);
    }

    static void setMtime(Path p, long mtimeSeconds) throws IOException {
        Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW)
                .setTimes(FileTime.fromMillis(mtimeSeconds * 1000), null, null);
    }

    /** Copies owner, mode and mtime from one file to another (symlink-aware). */
    static void copyMeta(Path from, Path to, boolean chown) throws IOException {
        int mode = (Integer) Files.getAttribute(from, "unix:mode", NOFOLLOW);
        int uid = (Integer) Files.getAttribute(from, "unix:uid", NOFOLLOW);
        int gid = (Integer) Files.getAttribute(from, "unix:gid", NOFOLLOW);
        FileTime mtime = Files.getLastModifiedTime(from, NOFOLLOW);
        applyMeta(to, mode, uid, gid, mtime.toMillis() / 1000, chown);
    }

    /** Whether this process may chown files (it runs as root). */
    static boolean canChown() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
