package io.kubevisor.runtime.image;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Stacks unpacked layers (see {@link LayerUnpacker}) into one root filesystem, lowest first:
 * regular files are hard-linked from the layer directories (copied when linking fails), so a file
 * shared by many images is stored once; whiteouts ({@code .wh.<name>}) delete what lower layers
 * put there and an opaque marker ({@code .wh..wh..opq}) empties the directory first. Paths are
 * resolved inside the new root, following its symlinks as a chrooted process would.
 *
 * <p>Stateless and thread-safe; each call owns its destination directory.
 */
final class RootfsComposer {

    static final String WHITEOUT = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";

    private final boolean chown;

    RootfsComposer(boolean chown) {
        this.chown = chown;
    }

    /** Builds {@code rootfs} (an existing, empty directory) from {@code layerDirs}, lowest first. */
    void compose(List<Path> layerDirs, Path rootfs) throws IOException {
        for (Path layerDir : layerDirs) {
            LayerMeta meta = LayerMeta.read(layerDir);
            Path fs = layerDir.resolve(LayerMeta.FS);
            Files.walkFileTree(fs, new Stacker(fs, rootfs, meta));
            for (LayerMeta.Link l : meta.hardlinks()) {
                Path src = resolveParent(rootfs, l.target());
                if (!Files.exists(src, FsOps.NOFOLLOW) || Files.isDirectory(src, FsOps.NOFOLLOW)) {
                    throw new IOException("hardlink \"" + l.name() + "\" points at \"" + l.target()
                            + "\", which no layer provides as a file");
                }
                Path dest = resolveParent(rootfs, l.name());
                FsOps.removeExisting(dest);
                Files.createLink(dest, src);
            }
        }
    }

    /** The path of {@code rel} in {@code root}, its parents resolved, its last component kept. */
    private static Path resolveParent(Path root, String rel) throws IOException {
        int slash = rel.lastIndexOf('/');
        return FsOps.resolve(root, slash < 0 ? "" : rel.substring(0, slash), true)
                .resolve(slash < 0 ? rel : rel.substring(slash + 1));
    }

    private final class Stacker extends SimpleFileVisitor<Path> {
        private final Path fs;
        private final Path rootfs;
        private final LayerMeta meta;

        Stacker(Path fs, Path rootfs, LayerMeta meta) {
            this.fs = fs;
            this.rootfs = rootfs;
            this.meta = meta;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            String rel = fs.relativize(dir).toString();
            boolean explicit = !meta.implicitDirs().contains(rel);
            Path dest;
            if (rel.isEmpty()) {
                dest = rootfs;
                if (explicit) {
                    FsOps.copyMeta(dir, dest, chown);
                }
            } else {
                dest = resolveParent(rootfs, rel);
                if (Files.isDirectory(dest, FsOps.NOFOLLOW)) {
                    if (explicit) {
                        FsOps.copyMeta(dir, dest, chown);
                    }
                } else if (!explicit && Files.isSymbolicLink(dest)
                        && Files.isDirectory(FsOps.resolve(rootfs, rel, true), FsOps.NOFOLLOW)) {
                    // A directory this layer only implies, over a lower symlink to a directory:
                    // its members go where the symlink points.
                    dest = FsOps.resolve(rootfs, rel, true);
                } else {
                    FsOps.removeExisting(dest);
                    Files.createDirectory(dest);
                    FsOps.copyMeta(dir, dest, chown);
                }
            }
            if (Files.exists(dir.resolve(OPAQUE), FsOps.NOFOLLOW)) {
                FsOps.clearDirectory(dest);
            }
            try (var children = Files.list(dir)) {
                for (Path c : children.toList()) {
                    String name = c.getFileName().toString();
                    if (name.startsWith(WHITEOUT) && !name.equals(OPAQUE)) {
                        FsOps.removeExisting(dest.resolve(name.substring(WHITEOUT.length())));
                    }
                }
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            if (file.getFileName().toString().startsWith(WHITEOUT)) {
                return FileVisitResult.CONTINUE;
            }
            Path dest = resolveParent(rootfs, fs.relativize(file).toString());
            FsOps.removeExisting(dest);
            if (attrs.isSymbolicLink()) {
                Files.createSymbolicLink(dest, Files.readSymbolicLink(file));
                FsOps.copyMeta(file, dest, chown);
            } else {
                try {
                    Files.createLink(dest, file);
                } catch (FileSystemException cannotLink) {
                    // Another file system, or the link count is exhausted: copy instead.
                    Files.copy(file, dest, StandardCopyOption.COPY_ATTRIBUTES);
                    FsOps.copyMeta(file, dest, chown);
                }
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
                throw e;
            }
            String rel = fs.relativize(dir).toString();
            if (!meta.implicitDirs().contains(rel)) {
                Path dest = rel.isEmpty() ? rootfs : FsOps.resolve(rootfs, rel, true);
                if (Files.isDirectory(dest, FsOps.NOFOLLOW)) {
                    FsOps.setMtime(dest, Files.getLastModifiedTime(dir, FsOps.NOFOLLOW).toMillis() / 1000);
                }
            }
            return FileVisitResult.CONTINUE;
        }
    }
}
