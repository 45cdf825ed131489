package io.kubevisor.runtime.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Image names recorded in the store: {@code refs/<sha256 of name>.json}, each written atomically
 * (temp file, then rename). Thread-safe at file level; callers serialize changes to one name.
 */
final class RefStore {

    /**
     * What a name points at.
     *
     * @param name           normalized reference ({@code docker.io/library/busybox:latest})
     * @param repository     {@code docker.io/library/busybox}
     * @param topDigest      the manifest or index the name resolved to (imageID's digest)
     * @param manifestDigest this platform's manifest
     * @param configDigest   the image config (rootfs key)
     * @param size           compressed layer bytes
     */
    record ImageRecord(String name, String repository, String topDigest, String manifestDigest, String configDigest,
                       long size) {
        String imageId() {
            return repository + "@" + topDigest;
        }
    }

    /** A ref file exists but cannot be read. */
    static final class Unreadable extends IOException {
        Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Path dir;

    RefStore(Path root) throws IOException {
        this.dir = Files.createDirectories(root.resolve("refs"));
    }

    Optional<ImageRecord> get(String name) throws Unreadable {
        Path f = file(name);
        try {
            return Optional.of(parse(Files.readAllBytes(f), f));
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        } catch (Unreadable e) {
            throw e;
        } catch (IOException e) {
            throw new Unreadable("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    /** An image of {@code repository} whose top digest is {@code digest}, under any name. */
    Optional<ImageRecord> findByDigest(String repository, String digest) throws IOException {
        return all().stream().filter(r -> r.repository().equals(repository) && r.topDigest().equals(digest))
                .findFirst();
    }

    void put(ImageRecord r) throws IOException {
        ObjectNode o = Json.object();
        o.put("name", r.name());
        o.put("repository", r.repository());
        o.put("topDigest", r.topDigest());
        o.put("manifestDigest", r.manifestDigest());
        o.put("configDigest", r.configDigest());
        o.put("size", r.size());
        Path tmp = dir.resolve(BlobStore.TEMP_PREFIX + UUID.randomUUID());
        try {
            Files.write(tmp, Json.bytes(o));
            Files.move(tmp, file(r.name()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    boolean remove(String name) throws IOException {
        return Files.deleteIfExists(file(name));
    }

    /** Every readable record; unreadable files are skipped (they surface on {@link #get}). */
    List<ImageRecord> all() throws IOException {
        List<ImageRecord> out = new ArrayList<>();
        try (var s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                try {
                    out.add(parse(Files.readAllBytes(f), f));
                } catch (IOException | RuntimeException skip) {
                    // Listed as missing; get() reports it.
                }
            }
        }
        return out;
    }

    void sweep() throws IOException {
        try (var s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(BlobStore.TEMP_PREFIX)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private Path file(String name) {
        return dir.resolve(Digests.hex(Digests.of(name.getBytes(StandardCharsets.UTF_8))) + ".json");
    }

    private static ImageRecord parse(byte[] bytes, Path f) throws Unreadable {
        try {
            JsonNode o = Json.MAPPER.readTree(bytes);
            ImageRecord r = new ImageRecord(o.path("name").asString(), o.path("repository").asString(),
                    o.path("topDigest").asString(), o.path("manifestDigest").asString(), o.path("configDigest").asString(),
                    o.path("size").asLong());
            if (!Digests.isValid(r.topDigest()) || !Digests.isValid(r.configDigest())
                    || !Digests.isValid(r.manifestDigest())) {
                throw new Unreadable("bad digest in " + f, null);
            }
            return r;
        } catch (RuntimeException e) {
            throw new Unreadable("cannot parse " + f + ": " + e.getMessage(), e);
        }
    }
}
