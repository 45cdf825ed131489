package io.kubevisor.runtime.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks one layer blob (tar, gzip or uncompressed) into a directory of its own:
 * {@code <dir>/fs/} holds the members exactly (whiteout markers included, as empty files) and
 * {@code <dir>/layer.json} the rest ({@link LayerMeta}). Members may not escape the directory:
 * absolute names and {@code ..} are refused and symlinks are resolved inside it. Device nodes and
 * fifos are skipped. The uncompressed stream is checked against the config's diff id.
 *
 * <p>Stateless and thread-safe; each call owns its destination directory.
 */
final class LayerUnpacker {

    private final boolean chown;

    LayerUnpacker(boolean chown) {
        this.chown = chown;
    }

    /**
     * Unpacks {@code blob} into {@code dir} (which must not exist yet, or be empty).
     *
     * @param mediaType      the layer's media type, to refuse zstd early
     * @param expectedDiffId the config's diff id for this layer, or null to skip the check
     */
    LayerMeta unpack(Path blob, String mediaType, String expectedDiffId, Path dir) throws IOException {
        if (mediaType != null && mediaType.endsWith("+zstd")) {
            throw new IOException("zstd-compressed layers are not supported (media type " + mediaType + ")");
        }
        Path fs = Files.createDirectories(dir.resolve(LayerMeta.FS));
        MessageDigest md = Digests.newSha256();
        try (BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(blob), 64 * 1024)) {
            InputStream tar = new DigestInputStream(decompress(raw), md);
            State st = new State(fs);
            TarReader reader = new TarReader(tar);
            for (TarEntry e; (e = reader.next()) != null; ) {
                st.apply(e, reader);
            }
            // The tar end marker and padding count toward the diff id too.
            tar.transferTo(java.io.OutputStream.nullOutputStream());
            st.finish();
            String diffId = Digests.format(md.digest());
            if (expectedDiffId != null && !expectedDiffId.equals(diffId)) {
                throw new IOException("layer content does not match the image config: diff id " + diffId
                        + ", expected " + expectedDiffId);
            }
            LayerMeta meta = new LayerMeta(st.implicit, st.crossLinks, diffId, st.skipped);
            meta.write(dir);
            return meta;
        }
    }

    private static InputStream decompress(BufferedInputStream in) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(in, 64 * 1024);
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd) {
            throw new IOException("zstd-compressed layers are not supported");
        }
        return in;
    }

    private final class State {
        final Path fs;
        final Set<String> implicit = new LinkedHashSet<>();
        final List<LayerMeta.Link> crossLinks = new ArrayList<>();
        final Map<Path, Long> dirTimes = new LinkedHashMap<>();
        int skipped;

        State(Path fs) {
            this.fs = fs;
            implicit.add("");
        }

        void apply(TarEntry e, TarReader reader) throws IOException {
            String rel = FsOps.safeName(e.name());
            if (rel.isEmpty()) {
                if (e.type() == TarEntry.Type.DIRECTORY) {
                    implicit.remove("");
                    FsOps.applyMeta(fs, e.mode(), e.uid(), e.gid(), e.mtime(), chown);
                    dirTimes.put(fs, e.mtime());
                }
                return;
            }
            int slash = rel.lastIndexOf('/');
            Path parent = ensureDirectory(slash < 0 ? "" : rel.substring(0, slash));
            Path target = parent.resolve(slash < 0 ? rel : rel.substring(slash + 1));
            switch (e.type()) {
                case DIRECTORY -> {
                    if (!Files.isDirectory(target, FsOps.NOFOLLOW)) {
                        FsOps.removeExisting(target);
                        Files.createDirectory(target);
                    }
                    implicit.remove(relative(target));
                    FsOps.applyMeta(target, e.mode(), e.uid(), e.gid(), e.mtime(), chown);
                    dirTimes.put(target, e.mtime());
                }
                case FILE -> {
                    FsOps.removeExisting(target);
                    try (var out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE)) {
                        long n = reader.content().transferTo(out);
                        if (n != e.size()) {
                            throw new IOException("truncated member \"" + e.name() + "\"");
                        }
                    }
                    FsOps.applyMeta(target, e.mode(), e.uid(), e.gid(), e.mtime(), chown);
                }
                case SYMLINK -> {
                    FsOps.removeExisting(target);
                    Files.createSymbolicLink(target, Path.of(e.linkName()));
                    FsOps.applyMeta(target, e.mode(), e.uid(), e.gid(), e.mtime(), chown);
                }
                case HARDLINK -> {
                    String linkRel = FsOps.safeName(e.linkName());
                    int ls = linkRel.lastIndexOf('/');
                    Path src = FsOps.resolve(fs, ls < 0 ? "" : linkRel.substring(0, ls), true)
                            .resolve(ls < 0 ? linkRel : linkRel.substring(ls + 1));
                    FsOps.removeExisting(target);
                    if (Files.exists(src, FsOps.NOFOLLOW)) {
                        if (Files.isDirectory(src, FsOps.NOFOLLOW)) {
                            throw new IOException("hardlink \"" + e.name() + "\" points at a directory");
                        }
                        Files.createLink(target, src);
                    } else {
                        crossLinks.add(new LayerMeta.Link(relative(target), linkRel));
                    }
                }
                case CHAR_DEVICE, BLOCK_DEVICE, FIFO, OTHER -> skipped++;
            }
        }

        /** Resolves a parent directory inside the layer, creating missing ones (recorded as implicit). */
        Path ensureDirectory(String rel) throws IOException {
            Path p = FsOps.resolve(fs, rel, true);
            if (Files.isDirectory(p, FsOps.NOFOLLOW)) {
                return p;
            }
            // resolve() left no symlink on the way, so each missing component is created in place.
            Path cur = fs;
            for (Path part : fs.relativize(p)) {
                cur = cur.resolve(part);
                if (!Files.exists(cur, FsOps.NOFOLLOW)) {
                    Files.createDirectory(cur);
                    implicit.add(relative(cur));
                } else if (!Files.isDirectory(cur, FsOps.NOFOLLOW)) {
                    throw new IOException("\"" + relative(cur) + "\" is not a directory");
                }
            }
            return p;
        }

        String relative(Path p) {
            return fs.relativize(p).toString();
        }

        void finish() throws IOException {
            for (var d : dirTimes.entrySet()) {
                if (Files.isDirectory(d.getKey(), FsOps.NOFOLLOW)) {
                    FsOps.setMtime(d.getKey(), d.getValue());
                }
            }
        }
    }
}
