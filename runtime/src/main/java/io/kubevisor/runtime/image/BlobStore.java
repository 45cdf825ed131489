package io.kubevisor.runtime.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.UUID;

/**
 * Content-addressed blobs under {@code blobs/sha256/<hex>}. A blob appears under its name only
 * once complete and verified (written to a {@code .tmp-} name, then renamed), so a present file
 * is always whole; leftovers of a crash are swept by {@link #sweep()}. Thread-safe; callers that
 * want to avoid duplicate downloads lock per digest themselves.
 */
final class BlobStore {

    static final String TEMP_PREFIX = ".tmp-";

    /** The content did not hash to the digest it was fetched under. */
    static final class DigestMismatch extends IOException {
        DigestMismatch(String message) {
            super(message);
        }
    }

    private final Path dir;

    BlobStore(Path root) throws IOException {
        this.dir = Files.createDirectories(root.resolve("blobs").resolve("sha256"));
    }

    Path path(String digest) {
        return dir.resolve(Digests.hex(digest));
    }

    boolean has(String digest) {
        return Files.isRegularFile(path(digest));
    }

    byte[] read(String digest) throws IOException {
        return Files.readAllBytes(path(digest));
    }

    /**
     * Stores a stream that must hash to {@code digest} (and be {@code size} bytes, if
     * {@code size >= 0}); the stream is read to its end but not closed.
     *
     * @throws DigestMismatch when it does not; nothing is stored then
     */
    Path write(String digest, InputStream in, long size) throws IOException {
        Path target = path(digest);
        Path tmp = dir.resolve(TEMP_PREFIX + Digests.hex(digest) + "-" + UUID.randomUUID());
        try {
            MessageDigest md = Digests.newSha256();
            long n = copy(in, tmp, md);
            String actual = Digests.format(md.digest());
            if (!actual.equals(digest)) {
                throw new DigestMismatch("failed commit on ref \"" + digest + "\": unexpected commit digest " + actual
                        + ", expected " + digest + ": failed precondition");
            }
            if (size >= 0 && n != size) {
                throw new DigestMismatch("failed commit on ref \"" + digest + "\": unexpected commit size " + n
                        + ", expected " + size + ": failed precondition");
            }
            publish(tmp, target);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Stores a stream whose digest is not known in advance; returns its digest. */
    String writeAny(InputStream in) throws IOException {
        Path tmp = dir.resolve(TEMP_PREFIX + UUID.randomUUID());
        try {
            MessageDigest md = Digests.newSha256();
            copy(in, tmp, md);
            String digest = Digests.format(md.digest());
            publish(tmp, path(digest));
            return digest;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Stores bytes; returns their digest. */
    String writeBytes(byte[] bytes) throws IOException {
        String digest = Digests.of(bytes);
        if (!has(digest)) {
            write(digest, new java.io.ByteArrayInputStream(bytes), bytes.length);
        }
        return digest;
    }

    /** Deletes temp files a crashed writer left behind. Call before any writer starts. */
    void sweep() throws IOException {
        try (var s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static long copy(InputStream in, Path tmp, MessageDigest md) throws IOException {
        long n = 0;
        byte[] buf = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(tmp)) {
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
                out.write(buf, 0, r);
                n += r;
            }
        }
        return n;
    }

    private static void publish(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException raced) {
            // Same digest, same bytes: whoever finished first wins.
        }
    }
}
