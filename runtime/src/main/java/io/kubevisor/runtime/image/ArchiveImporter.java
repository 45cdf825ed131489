package io.kubevisor.runtime.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports images from an archive file (plain or gzipped tar), in one pass that stores members
 * as blobs (nothing is extracted by path):
 * <ul>
 *   <li>an OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/...}); an
 *       image is named by its {@code io.containerd.image.name} annotation, else by
 *       {@code org.opencontainers.image.ref.name} when that is a full reference (has a {@code /} or
 *       {@code :}); bare tags name nothing;</li>
 *   <li>a {@code docker save} archive ({@code manifest.json} with {@code Config}, {@code RepoTags},
 *       {@code Layers}); a manifest is synthesized for it, whose digest becomes the imageID's.</li>
 * </ul>
 * Thread-safe.
 */
final class ArchiveImporter {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveImporter.class);
    private static final Pattern BLOB = Pattern.compile("blobs/sha256/([a-f0-9]{64})");
    private static final long METADATA_MAX = 16 << 20;

    private final BlobStore blobs;
    private final RefStore refs;
    private final ImageAssembler assembler;
    private final KeyedLocks locks;
    private final Platform platform;

    ArchiveImporter(BlobStore blobs, RefStore refs, ImageAssembler assembler, KeyedLocks locks, Platform platform) {
        this.blobs = blobs;
        this.refs = refs;
        this.assembler = assembler;
        this.locks = locks;
        this.platform = platform;
    }

    /** What one pass over the archive found. */
    private final class Contents {
        final Map<String, String> digests = new HashMap<>();
        final Map<String, byte[]> metadata = new HashMap<>();
        final Map<String, String> links = new HashMap<>();

        /** The blob digest of an archive member, following the archive's own links. */
        String digestOf(String path) throws IOException {
            String p = FsOps.safeName(path);
            for (int hops = 0; links.containsKey(p); hops++) {
                if (hops > 16) {
                    throw new IOException("archive member \"" + path + "\": too many links");
                }
                p = links.get(p);
            }
            if (digests.containsKey(p)) {
                return digests.get(p);
            }
            if (metadata.containsKey(p)) {
                return blobs.writeBytes(metadata.get(p));
            }
            throw new IOException("archive member \"" + path + "\" is missing");
        }
    }

    List<ResolvedImage> importArchive(Path file) throws IOException {
        Contents c = read(file);
        List<ResolvedImage> out = new ArrayList<>();
        if (c.metadata.containsKey("index.json")) {
            importOciLayout(c, out);
        } else if (c.metadata.containsKey("manifest.json")) {
            importDockerSave(c, out);
        } else {
            throw new IOException(file + " is neither an OCI image layout archive (index.json) nor a docker save"
                    + " archive (manifest.json)");
        }
        if (out.isEmpty()) {
            throw new IOException(file + " holds no named image (give names with io.containerd.image.name or a full"
                    + " reference in org.opencontainers.image.ref.name, or RepoTags)");
        }
        return out;
    }

    private Contents read(Path file) throws IOException {
        Contents c = new Contents();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 64 * 1024) : raw;
            TarReader tar = new TarReader(in);
            for (TarEntry e; (e = tar.next()) != null; ) {
                String name = FsOps.safeName(e.name());
                switch (e.type()) {
                    case FILE -> {
                        Matcher m = BLOB.matcher(name);
                        if (m.matches()) {
                            String digest = "sha256:" + m.group(1);
                            if (!blobs.has(digest)) {
                                blobs.write(digest, tar.content(), e.size());
                            }
                            c.digests.put(name, digest);
                        } else if (isMetadata(name) && e.size() <= METADATA_MAX) {
                            c.metadata.put(name, tar.content().readAllBytes());
                        } else {
                            c.digests.put(name, blobs.writeAny(tar.content()));
                        }
                    }
                    case SYMLINK -> {
                        // docker save links repeated layers: <id>/layer.tar -> ../<other>/layer.tar
                        int slash = name.lastIndexOf('/');
                        String base = slash < 0 ? "" : name.substring(0, slash + 1);
                        c.links.put(name, normalize(e.linkName().startsWith("/") ? e.linkName().substring(1)
                                : base + e.linkName()));
                    }
                    case HARDLINK -> c.links.put(name, FsOps.safeName(e.linkName()));
                    default -> {
                    }
                }
            }
        }
        return c;
    }

    private void importOciLayout(Contents c, List<ResolvedImage> out) throws IOException {
        JsonNode index = json(c.metadata.get("index.json"), "index.json");
        for (JsonNode m : index.path("manifests")) {
            Set<String> names = new LinkedHashSet<>();
            JsonNode ann = m.path("annotations");
            String full = ann.path("io.containerd.image.name").asString("");
            String refName = ann.path("org.opencontainers.image.ref.name").asString("");
            if (!full.isEmpty()) {
                names.add(full);
            } else if (refName.contains("/") || refName.contains(":")) {
                names.add(refName);
            }
            String top = m.path("digest").asString("");
            if (names.isEmpty()) {
                LOG.warn("image import skipped reason=unnamed digest={} refName={}", top, refName);
                continue;
            }
            if (!Digests.isValid(top) || !blobs.has(top)) {
                throw new IOException("index.json names " + top + ", which the archive does not hold");
            }
            String chosen = top;
            Manifests.Parsed parsed = Manifests.parse(blobs.read(top), m.path("mediaType").asString(""));
            if (parsed instanceof Manifests.Index idx) {
                Manifests.Descriptor entry = platform.choose(idx.manifests()).orElseThrow(() -> new IOException(
                        "image " + names + ": no match for platform " + platform + " in manifest: not found"));
                if (!blobs.has(entry.digest())) {
                    throw new IOException("image " + names + ": the archive lacks the " + platform + " manifest");
                }
                chosen = entry.digest();
                parsed = Manifests.parse(blobs.read(chosen), entry.mediaType());
            }
            if (!(parsed instanceof Manifests.ImageManifest manifest)) {
                throw new IOException("image " + names + ": nested index not supported");
            }
            materialize(names, top, chosen, manifest, out);
        }
    }

    private void importDockerSave(Contents c, List<ResolvedImage> out) throws IOException {
        JsonNode manifests = json(c.metadata.get("manifest.json"), "manifest.json");
        for (JsonNode item : manifests) {
            Set<String> names = new LinkedHashSet<>();
            item.path("RepoTags").forEach(t -> names.add(t.asString()));
            if (names.isEmpty()) {
                LOG.warn("image import skipped reason=unnamed config={}", item.path("Config").asString(""));
                continue;
            }
            String configDigest = c.digestOf(item.path("Config").asString(""));
            ObjectNode manifest = Json.object();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
            manifest.putObject("config").put("mediaType", MediaTypes.OCI_CONFIG).put("digest", configDigest)
                    .put("size", Files.size(blobs.path(configDigest)));
            var layers = manifest.putArray("layers");
            for (JsonNode l : item.path("Layers")) {
                String d = c.digestOf(l.asString());
                layers.addObject().put("mediaType", isGzip(blobs.path(d)) ? MediaTypes.OCI_LAYER_GZIP
                        : MediaTypes.OCI_LAYER_TAR).put("digest", d).put("size", Files.size(blobs.path(d)));
            }
            byte[] bytes = Json.bytes(manifest);
            String digest = blobs.writeBytes(bytes);
            materialize(names, digest, digest, (Manifests.ImageManifest) Manifests.parse(bytes, null), out);
        }
    }

    private void materialize(Set<String> names, String top, String chosen, Manifests.ImageManifest manifest,
                             List<ResolvedImage> out) throws IOException {
        List<ImageRef> refNames = new ArrayList<>();
        for (String n : names) {
            try {
                refNames.add(ImageRef.parse(n));
            } catch (ImageException.InvalidImageName e) {
                throw new IOException("the archive names an invalid image: " + e.getMessage(), e);
            }
        }
        String configDigest = manifest.config().digest();
        if (!blobs.has(configDigest)) {
            throw new IOException("image " + names + ": the archive lacks config " + configDigest);
        }
        List<String> diffIds = Manifests.diffIds(json(blobs.read(configDigest), configDigest));
        if (diffIds.size() != manifest.layers().size()) {
            throw new IOException("image " + names + ": config lists " + diffIds.size() + " layers, the manifest "
                    + manifest.layers().size());
        }
        for (int i = 0; i < diffIds.size(); i++) {
            Manifests.Descriptor layer = manifest.layers().get(i);
            if (!blobs.has(layer.digest())) {
                throw new IOException("image " + names + ": the archive lacks layer " + layer.digest());
            }
            assembler.ensureLayer(layer, diffIds.get(i));
        }
        for (ImageRef r : refNames) {
            RefStore.ImageRecord record = new RefStore.ImageRecord(r.name(), r.repository(), top, chosen, configDigest,
                    manifest.size());
            try {
                locks.with("ref:" + r.name(), () -> {
                    assembler.ensureRootfs(configDigest, manifest.layers(), () -> refs.put(record));
                    return null;
                });
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
            LOG.info("image imported name={} imageID={}", r.name(), record.imageId());
            out.add(assembler.describe(record));
        }
    }

    private static boolean isMetadata(String name) {
        return !name.contains("/") && (name.endsWith(".json") || name.equals("oci-layout") || name.equals("repositories"));
    }

    private static boolean isGzip(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static String normalize(String path) throws IOException {
        List<String> parts = new ArrayList<>();
        for (String s : path.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (parts.isEmpty()) {
                    throw new IOException("archive link \"" + path + "\" leaves the archive");
                }
                parts.removeLast();
            } else {
                parts.add(s);
            }
        }
        return String.join("/", parts);
    }

    private static JsonNode json(byte[] bytes, String what) throws IOException {
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (RuntimeException e) {
            throw new IOException(what + " is not JSON: " + e.getMessage(), e);
        }
    }
}
