package io.kubevisor.runtime.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an unpacked layer directory cannot say by itself, kept beside its files in
 * {@code layers/<hex>/layer.json}.
 *
 * @param implicitDirs directories the tar did not list but its members needed ({@code ""} is the
 *                     root): they must not override a lower layer's directory (or symlink)
 * @param hardlinks    hardlinks whose source is not in this layer (it is in a lower one), made when
 *                     the layer is stacked
 * @param diffId       sha256 of the uncompressed tar
 * @param skipped      members not materialized (device nodes, fifos, unknown types)
 */
record LayerMeta(Set<String> implicitDirs, List<Link> hardlinks, String diffId, int skipped) {

    static final String FILE = "layer.json";
    static final String FS = "fs";

    /** A hardlink {@code name} to {@code target}, both clean paths relative to the root. */
    record Link(String name, String target) {
    }

    void write(Path layerDir) throws IOException {
        ObjectNode o = Json.object();
        ArrayNode dirs = o.putArray("implicitDirs");
        implicitDirs.forEach(dirs::add);
        ArrayNode links = o.putArray("hardlinks");
        for (Link l : hardlinks) {
            links.addObject().put("name", l.name()).put("target", l.target());
        }
        o.put("diffId", diffId);
        o.put("skipped", skipped);
        Files.write(layerDir.resolve(FILE), Json.bytes(o));
    }

    static LayerMeta read(Path layerDir) throws IOException {
        JsonNode o = Json.MAPPER.readTree(Files.readAllBytes(layerDir.resolve(FILE)));
        Set<String> dirs = new LinkedHashSet<>();
        o.path("implicitDirs").forEach(d -> dirs.add(d.asString()));
        List<Link> links = new ArrayList<>();
        o.path("hardlinks").forEach(l -> links.add(new Link(l.path("name").asString(), l.path("target").asString())));
        return new LayerMeta(dirs, links, o.path("diffId").asString(), o.path("skipped").asInt());
    }
}
