package io.kubevisor.runtime.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;

/**
 * Turns blobs into runnable images: each layer is unpacked once into {@code layers/<hex>/}, each
 * image's root filesystem composed once into {@code rootfs/<config hex>/}. Work happens in a
 * {@code .tmp-} directory renamed into place when complete, under a per-digest lock, so a present
 * directory is always whole and concurrent callers wait for one another instead of redoing it.
 * Thread-safe.
 */
final class ImageAssembler {

    private static final int MAX_CACHED_CONFIGS = 1024;

    private final Path layers;
    private final Path rootfs;
    private final BlobStore blobs;
    private final KeyedLocks locks;
    private final LayerUnpacker unpacker;
    private final RootfsComposer composer;
    /**
     * Parsed config blobs by digest. A blob never changes under its digest, and every container
     * start describes its image: reading and parsing the blob each time cost 0.5-0.8 ms.
     */
    private final Map<String, ImageConfig> configs = new ConcurrentHashMap<>();

    ImageAssembler(Path root, BlobStore blobs, KeyedLocks locks, boolean chown) throws IOException {
        this.layers = Files.createDirectories(root.resolve("layers"));
        this.rootfs = Files.createDirectories(root.resolve("rootfs"));
        this.blobs = blobs;
        this.locks = locks;
        this.unpacker = new LayerUnpacker(chown);
        this.composer = new RootfsComposer(chown);
    }

    Path rootfsDir(String configDigest) {
        return rootfs.resolve(Digests.hex(configDigest));
    }

    /** Unpacks a layer blob (already in the blob store) unless done before. */
    void ensureLayer(Manifests.Descriptor layer, String diffId) throws IOException {
        Path dest = layers.resolve(Digests.hex(layer.digest()));
        if (Files.isDirectory(dest)) {
            return;
        }
        locked("layer:" + layer.digest(), () -> {
            if (!Files.isDirectory(dest)) {
                publish(dest, tmp -> {
                    try {
                        unpacker.unpack(blobs.path(layer.digest()), layer.mediaType(), diffId, tmp);
                    } catch (IOException e) {
                        throw new IOException("failed to extract layer " + (diffId != null ? diffId : layer.digest())
                                + ": " + e.getMessage(), e);
                    }
                });
            }
        });
    }

    /**
     * Composes the image's root filesystem from its (unpacked) layers unless done before, then
     * runs {@code andThen} (recording the image's name) still holding the root's lock, so that a
     * concurrent {@link #removeRootfsIf} cannot delete the root in between.
     */
    Path ensureRootfs(String configDigest, List<Manifests.Descriptor> imageLayers, Locked andThen) throws IOException {
        Path dest = rootfsDir(configDigest);
        locked("rootfs:" + configDigest, () -> {
            if (!Files.isDirectory(dest)) {
                List<Path> dirs = new ArrayList<>();
                for (Manifests.Descriptor l : imageLayers) {
                    dirs.add(layers.resolve(Digests.hex(l.digest())));
                }
                publish(dest, tmp -> composer.compose(dirs, tmp));
            }
            andThen.run();
        });
        return dest;
    }

    /** Runs {@code andThen} holding the root's lock if the root exists; returns whether it did. */
    boolean withExistingRootfs(String configDigest, Locked andThen) throws IOException {
        boolean[] ran = new boolean[1];
        locked("rootfs:" + configDigest, () -> {
            if (Files.isDirectory(rootfsDir(configDigest))) {
                andThen.run();
                ran[0] = true;
            }
        });
        return ran[0];
    }

    /** Test for {@link #removeRootfsIf}, run under the root's lock. */
    interface Condition {
        boolean test() throws IOException;
    }

    /**
     * Removes an image's root filesystem (layers and blobs stay) if {@code unused} says so.
     *
     * @return whether it was removed
     */
    boolean removeRootfsIf(String configDigest, Condition unused) throws IOException {
        boolean[] removed = new boolean[1];
        locked("rootfs:" + configDigest, () -> {
            Path dir = rootfsDir(configDigest);
            if (Files.isDirectory(dir) && unused.test()) {
                // Rename first so a crash mid-delete leaves a temp directory, not a half image.
                Path tmp = rootfs.resolve(BlobStore.TEMP_PREFIX + "rm-" + UUID.randomUUID());
                Files.move(dir, tmp, StandardCopyOption.ATOMIC_MOVE);
                FsOps.deleteTree(tmp);
                removed[0] = true;
            }
        });
        return removed[0];
    }

    /** The image as a caller sees it, from its record and config blob. */
    ResolvedImage describe(RefStore.ImageRecord r) throws IOException {
        ImageConfig config = configs.get(r.configDigest());
        if (config == null) {
            JsonNode json;
            try {
                json = Json.MAPPER.readTree(blobs.read(r.configDigest()));
            } catch (RuntimeException e) {
                throw new IOException("image config " + r.configDigest() + " is not JSON: " + e.getMessage(), e);
            }
            config = ImageConfig.fromImageConfigJson(json);
            if (configs.size() >= MAX_CACHED_CONFIGS) {
                configs.clear();
            }
            configs.put(r.configDigest(), config);
        }
        return new ResolvedImage(r.name(), r.imageId(), r.configDigest(), r.manifestDigest(),
                rootfsDir(r.configDigest()), config, r.size());
    }

    /** Deletes directories a crash left half-written. Call before any work starts. */
    void sweep() throws IOException {
        for (Path dir : List.of(layers, rootfs)) {
            try (var s = Files.list(dir)) {
                for (Path p : s.filter(p -> p.getFileName().toString().startsWith(BlobStore.TEMP_PREFIX)).toList()) {
                    FsOps.deleteTree(p);
                }
            }
        }
    }

    private interface Work {
        void run(Path tmp) throws IOException;
    }

    /** Work done under a lock. */
    interface Locked {
        void run() throws IOException;
    }

    private void locked(String key, Locked body) throws IOException {
        try {
            locks.with(key, () -> {
                body.run();
                return null;
            });
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private static void publish(Path dest, Work work) throws IOException {
        Path tmp = dest.resolveSibling(BlobStore.TEMP_PREFIX + dest.getFileName() + "-" + UUID.randomUUID());
        Files.createDirectory(tmp);
        try {
            work.run(tmp);
            try {
                Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                // Another process finished the same content first; ours is redundant.
            }
        } finally {
            FsOps.deleteTree(tmp);
        }
    }
}
