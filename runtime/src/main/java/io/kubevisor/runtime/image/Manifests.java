package io.kubevisor.runtime.image;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;

/** Parses image manifests and indexes (OCI and Docker v2 schema 2); digests are checked for form. */
final class Manifests {

    private Manifests() {
    }

    /** A content descriptor; {@code platform} only in index entries. */
    record Descriptor(String mediaType, String digest, long size, Platform platform) {
    }

    /** A parsed manifest document. */
    sealed interface Parsed permits ImageManifest, Index {
    }

    /** One platform's image: its config and layers, lowest first. */
    record ImageManifest(String mediaType, Descriptor config, List<Descriptor> layers) implements Parsed {
        long size() {
            return layers.stream().mapToLong(Descriptor::size).sum();
        }
    }

    /** A multi-platform index (OCI image index or Docker manifest list). */
    record Index(String mediaType, List<Descriptor> manifests) implements Parsed {
    }

    /**
     * Parses a manifest document. The media type comes from the document, else from the
     * response's Content-Type, else from its shape.
     */
    static Parsed parse(byte[] bytes, String contentType) throws IOException {
        try {
            return parseDocument(bytes, contentType);
        } catch (RuntimeException e) {
            // A field of the wrong JSON type, e.g. a digest that is an object.
            throw new IOException("malformed manifest: " + e.getMessage(), e);
        }
    }

    private static Parsed parseDocument(byte[] bytes, String contentType) throws IOException {
        JsonNode doc;
        try {
            doc = Json.MAPPER.readTree(bytes);
        } catch (RuntimeException e) {
            throw new IOException("manifest is not JSON: " + e.getMessage(), e);
        }
        if (doc == null || !doc.isObject()) {
            throw new IOException("manifest is not a JSON object");
        }
        String type = doc.path("mediaType").asString("");
        if (type.isEmpty() && contentType != null) {
            type = contentType.split(";")[0].trim();
        }
        if (type.equals(MediaTypes.DOCKER_SCHEMA1) || type.equals(MediaTypes.DOCKER_SCHEMA1_SIGNED)
                || doc.path("schemaVersion").asInt() == 1) {
            throw new IOException("Docker image manifest schema 1 is not supported (media type " + type + ")");
        }
        if (!MediaTypes.isIndex(type) && !MediaTypes.isManifest(type)) {
            if (doc.has("manifests")) {
                type = MediaTypes.OCI_INDEX;
            } else if (doc.has("config") && doc.has("layers")) {
                type = MediaTypes.OCI_MANIFEST;
            } else {
                throw new IOException("unsupported manifest media type \"" + type + "\"");
            }
        }
        if (MediaTypes.isIndex(type)) {
            List<Descriptor> entries = new ArrayList<>();
            for (JsonNode m : doc.path("manifests")) {
                entries.add(descriptor(m));
            }
            return new Index(type, List.copyOf(entries));
        }
        Descriptor config = descriptor(doc.path("config"));
        if (!MediaTypes.isConfig(config.mediaType())) {
            throw new IOException("not a container image: config media type \"" + config.mediaType() + "\"");
        }
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode l : doc.path("layers")) {
            Descriptor d = descriptor(l);
            if (!MediaTypes.isLayer(d.mediaType())) {
                throw new IOException("unsupported layer media type \"" + d.mediaType() + "\"");
            }
            layers.add(d);
        }
        return new ImageManifest(type, config, List.copyOf(layers));
    }

    /** The {@code rootfs.diff_ids} of an image config, lowest layer first. */
    static List<String> diffIds(JsonNode config) {
        List<String> out = new ArrayList<>();
        config.path("rootfs").path("diff_ids").forEach(d -> out.add(d.asString()));
        return out;
    }

    private static Descriptor descriptor(JsonNode n) throws IOException {
        String digest = n.path("digest").asString("");
        if (!Digests.isValid(digest)) {
            throw new IOException("unsupported or malformed digest \"" + digest + "\" in manifest");
        }
        long size = n.path("size").asLong(-1);
        Platform platform = null;
        JsonNode p = n.get("platform");
        if (p != null && p.isObject()) {
            platform = new Platform(p.path("os").asString(""), p.path("architecture").asString(""),
                    p.path("variant").asString(""));
        }
        return new Descriptor(n.path("mediaType").asString(""), digest, size, platform);
    }
}
