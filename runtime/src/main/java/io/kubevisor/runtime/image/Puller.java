package io.kubevisor.runtime.image;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One image pull, as containerd's CRI plugin does it: resolve the reference, pick this platform
 * from an index, fetch config and layers (each blob once, several layers at a time), unpack,
 * compose, then record the name. Thread-safe; pulls of one name are serialized.
 */
final class Puller {

    private static final Logger LOG = LoggerFactory.getLogger(Puller.class);
    private static final int PARALLEL_DOWNLOADS = 3;

    private final RegistryClient client;
    private final BlobStore blobs;
    private final RefStore refs;
    private final ImageAssembler assembler;
    private final KeyedLocks locks;
    private final Platform platform;

    Puller(RegistryClient client, BlobStore blobs, RefStore refs, ImageAssembler assembler, KeyedLocks locks,
           Platform platform) {
        this.client = client;
        this.blobs = blobs;
        this.refs = refs;
        this.assembler = assembler;
        this.locks = locks;
        this.platform = platform;
    }

    ResolvedImage pull(ImageRef ref, PullPolicy policy, List<RegistryCredential> creds) {
        try {
            return locks.with("ref:" + ref.name(), () -> pullLocked(ref, policy, creds));
        } catch (ImageException e) {
            throw e;
        } catch (RefStore.Unreadable e) {
            throw new ImageException.ImageInspectError("Failed to inspect image \"" + ref.original() + "\": "
                    + e.getMessage(), e);
        } catch (Exception e) {
            throw new ImageException.ErrImagePull("failed to pull and unpack image \"" + ref.name() + "\": "
                    + e.getMessage(), e);
        }
    }

    /** The local image for a reference, when its record and root filesystem are present. */
    Optional<ResolvedImage> local(ImageRef ref) throws IOException {
        Optional<RefStore.ImageRecord> r = refs.get(ref.name());
        if (r.isEmpty() && ref.digest() != null) {
            r = refs.findByDigest(ref.repository(), ref.digest());
        }
        if (r.isEmpty() || !java.nio.file.Files.isDirectory(assembler.rootfsDir(r.get().configDigest()))) {
            return Optional.empty();
        }
        try {
            return Optional.of(assembler.describe(r.get()));
        } catch (IOException e) {
            throw new RefStore.Unreadable("image " + ref.name() + ": " + e.getMessage(), e);
        }
    }

    private ResolvedImage pullLocked(ImageRef ref, PullPolicy policy, List<RegistryCredential> creds)
            throws IOException {
        Optional<ResolvedImage> present;
        try {
            present = local(ref);
        } catch (RefStore.Unreadable damaged) {
            if (policy != PullPolicy.ALWAYS) {
                throw damaged;
            }
            present = Optional.empty(); // the pull below rewrites what is damaged
        }
        switch (policy) {
            case NEVER -> {
                return present.orElseThrow(() -> new ImageException.ErrImageNeverPull("Container image \""
                        + ref.original() + "\" is not present with pull policy of Never"));
            }
            case IF_NOT_PRESENT -> {
                if (present.isPresent()) {
                    return present.get();
                }
            }
            case ALWAYS -> {
            }
        }
        long start = System.nanoTime();
        RegistryClient.Session session = client.session(ref, creds);
        RegistryClient.FetchedManifest top = session.resolve();
        if (present.isPresent() && present.get().imageId().equals(ref.withDigest(top.digest()))) {
            ResolvedImage p = present.get();
            if (p.name().equals(ref.name())) {
                return p;
            }
            // Found under another name (a tag, when pulling by digest): a pull records its own name,
            // unless that other name was removed meanwhile, taking the root with it.
            RefStore.ImageRecord named = new RefStore.ImageRecord(ref.name(), ref.repository(), top.digest(),
                    p.manifestDigest(), p.configDigest(), p.size());
            if (assembler.withExistingRootfs(p.configDigest(), () -> refs.put(named))) {
                return assembler.describe(named);
            }
        }
        blobs.writeBytes(top.bytes());
        RegistryClient.FetchedManifest chosen = top;
        Manifests.Parsed parsed = Manifests.parse(top.bytes(), top.contentType());
        if (parsed instanceof Manifests.Index index) {
            Manifests.Descriptor entry = platform.choose(index.manifests()).orElseThrow(
                    () -> new IOException("no match for platform in manifest: not found"));
            chosen = session.manifest(entry.digest());
            blobs.writeBytes(chosen.bytes());
            parsed = Manifests.parse(chosen.bytes(), entry.mediaType());
        }
        if (!(parsed instanceof Manifests.ImageManifest manifest)) {
            throw new IOException("manifest " + chosen.digest() + " is an index inside an index: not supported");
        }
        fetchBlob(session, manifest.config());
        JsonNode config;
        try {
            config = Json.MAPPER.readTree(blobs.read(manifest.config().digest()));
        } catch (RuntimeException e) {
            throw new IOException("image config " + manifest.config().digest() + " is not JSON", e);
        }
        List<String> diffIds = Manifests.diffIds(config);
        if (diffIds.size() != manifest.layers().size()) {
            throw new IOException("image config lists " + diffIds.size() + " layers, the manifest "
                    + manifest.layers().size());
        }
        fetchAndUnpack(session, manifest.layers(), diffIds);
        RefStore.ImageRecord record = new RefStore.ImageRecord(ref.name(), ref.repository(), top.digest(),
                chosen.digest(), manifest.config().digest(), manifest.size());
        assembler.ensureRootfs(manifest.config().digest(), manifest.layers(), () -> refs.put(record));
        LOG.info("image pulled name={} imageID={} layers={} bytes={} ms={}", ref.name(), record.imageId(),
                manifest.layers().size(), manifest.size(), (System.nanoTime() - start) / 1_000_000);
        return assembler.describe(record);
    }

    private void fetchAndUnpack(RegistryClient.Session session, List<Manifests.Descriptor> layers,
                                List<String> diffIds) throws IOException {
        Semaphore downloads = new Semaphore(PARALLEL_DOWNLOADS);
        List<Future<Void>> work = new ArrayList<>();
        try (var exec = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < layers.size(); i++) {
                Manifests.Descriptor layer = layers.get(i);
                String diffId = diffIds.get(i);
                work.add(exec.submit(() -> {
                    downloads.acquire();
                    try {
                        fetchBlob(session, layer);
                    } finally {
                        downloads.release();
                    }
                    assembler.ensureLayer(layer, diffId);
                    return null;
                }));
            }
            for (Future<Void> f : work) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IOException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while pulling layers");
                }
            }
        }
    }

    private void fetchBlob(RegistryClient.Session session, Manifests.Descriptor d) throws IOException {
        if (blobs.has(d.digest())) {
            return;
        }
        try {
            locks.with("blob:" + d.digest(), () -> {
                if (!blobs.has(d.digest())) {
                    session.blob(d.digest(), in -> blobs.write(d.digest(), in, d.size()));
                }
                return null;
            });
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
