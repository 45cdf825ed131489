package io.kubevisor.runtime.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's image store: pulls images from OCI registries (or imports archives), keeps their
 * content once per digest, and hands out unpacked root filesystems shared read-only by every pod
 * that uses the image.
 *
 * <p>On disk, under {@link ImageStoreOptions#root()}:
 * <pre>
 * blobs/sha256/&lt;hex&gt;        manifests, indexes, configs, layer blobs, verified, stored once
 * layers/&lt;hex&gt;/fs/          a layer blob unpacked (whiteout markers kept), once per layer digest
 * layers/&lt;hex&gt;/layer.json   what the directory cannot say (implicit dirs, cross-layer hardlinks, diff id)
 * rootfs/&lt;config hex&gt;/      an image's root filesystem: its layers stacked, whiteouts applied,
 *                          files hard-linked from layers/
 * refs/&lt;sha256(name)&gt;.json  an image name → manifest, config and imageID
 * </pre>
 * Anything named {@code .tmp-*} is unfinished work; it is deleted when a store opens.
 *
 * <p>Thread-safe: pulls of one name are serialized, and each blob, layer and root filesystem is
 * produced once even when many pulls need it at the same time. One store per root directory.
 */
public final class ImageStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImageStore.class);

    private final HttpTransport transport;
    private final KeyedLocks locks = new KeyedLocks();
    private final RefStore refs;
    private final ImageAssembler assembler;
    private final Puller puller;
    private final ArchiveImporter importer;

    /**
     * Opens (creating if needed) the store at {@code options.root()} and deletes half-finished
     * work a crash left behind.
     *
     * @throws UncheckedIOException when the directory cannot be prepared
     */
    public ImageStore(ImageStoreOptions options) {
        this(options, new JdkHttpTransport(), Platform.current());
    }

    ImageStore(ImageStoreOptions options, HttpTransport transport, Platform platform) {
        this.transport = transport;
        try {
            Path root = Files.createDirectories(options.root());
            BlobStore blobs = new BlobStore(root);
            boolean chown = FsOps.canChown();
            this.refs = new RefStore(root);
            this.assembler = new ImageAssembler(root, blobs, locks, chown);
            blobs.sweep();
            refs.sweep();
            assembler.sweep();
            this.puller = new Puller(new RegistryClient(options.registries(), transport), blobs, refs, assembler,
                    locks, platform);
            this.importer = new ArchiveImporter(blobs, refs, assembler, locks, platform);
            if (!chown) {
                LOG.warn("image store not running as root: file ownership in images is not preserved root={}", root);
            }
        } catch (IOException e) {
            transport.close();
            throw new UncheckedIOException("cannot open image store at " + options.root(), e);
        }
    }

    /**
     * Makes an image available according to {@code policy} and returns it. Blocks while
     * downloading and unpacking; concurrent calls for the same image wait for one another and
     * share the result.
     *
     * @param ref         the image (see {@link ImageRef#parse})
     * @param policy      when to contact the registry
     * @param credentials from the pod's imagePullSecrets (see {@link DockerConfigJson#parse}); they are
     *                    sent only to the registry host (or mirror host) they name
     * @return the image; its rootfs is owned by the store and must not be modified
     * @throws ImageException.ErrImageNeverPull policy Never and the image is not here
     * @throws ImageException.ErrImagePull      the registry refused, failed or served bad content
     * @throws ImageException.ImageInspectError the local record of the image is damaged
     */
    public ResolvedImage pull(ImageRef ref, PullPolicy policy, List<RegistryCredential> credentials) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(policy, "policy");
        return puller.pull(ref, policy, credentials == null ? List.of() : credentials);
    }

    /**
     * The image as stored now, without contacting any registry.
     *
     * @throws ImageException.ImageInspectError the local record of the image is damaged
     */
    public Optional<ResolvedImage> find(ImageRef ref) {
        try {
            return puller.local(ref);
        } catch (IOException e) {
            throw new ImageException.ImageInspectError("Failed to inspect image \"" + ref.original() + "\": "
                    + e.getMessage(), e);
        }
    }

    /** Every named image in the store, by name. Damaged records are left out. */
    public List<ResolvedImage> list() {
        List<ResolvedImage> out = new ArrayList<>();
        try {
            for (RefStore.ImageRecord r : refs.all()) {
                if (Files.isDirectory(assembler.rootfsDir(r.configDigest()))) {
                    try {
                        out.add(assembler.describe(r));
                    } catch (IOException damaged) {
                        LOG.warn("image record unreadable name={} error={}", r.name(), damaged.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Forgets a name; when no other name uses the same image, its root filesystem is deleted too.
     * Blobs and unpacked layers stay (a later garbage collection may reclaim them). The caller
     * makes sure no running container uses the image.
     *
     * @return whether the name was known
     */
    public boolean remove(ImageRef ref) {
        try {
            return locks.with("ref:" + ref.name(), () -> {
                Optional<RefStore.ImageRecord> r = refs.get(ref.name());
                if (r.isEmpty()) {
                    return false;
                }
                refs.remove(ref.name());
                String config = r.get().configDigest();
                boolean deleted = assembler.removeRootfsIf(config,
                        () -> refs.all().stream().noneMatch(o -> o.configDigest().equals(config)));
                LOG.info("image removed name={} rootfsDeleted={}", ref.name(), deleted);
                return true;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove image " + ref.name(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Imports the images of an archive: an OCI image layout tar (as {@code skopeo copy ...
     * oci-archive:FILE:NAME} writes) or a {@code docker save} tar, either possibly gzipped. Each
     * image becomes resolvable by its names (Never/IfNotPresent pulls find it).
     *
     * @return the imported images, one per name
     * @throws UncheckedIOException when the archive cannot be read, is malformed or unsafe
     */
    public List<ResolvedImage> importArchive(Path file) {
        try {
            return importer.importArchive(file);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to import " + file + ": " + e.getMessage(), e);
        }
    }

    /** Closes the HTTP client. Pulls in progress fail. */
    @Override
    public void close() {
        transport.close();
    }
}
