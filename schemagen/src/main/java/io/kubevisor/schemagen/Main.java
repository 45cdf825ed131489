package io.kubevisor.schemagen;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generates the Kubernetes schema resource from Go API sources.
 *
 * <p>Usage: {@code Main <k8s-src-root> <out-file>} where the root holds {@code k8s.io/api/...} and
 * {@code k8s.io/apimachinery/...}. Writes gzip-compressed compact JSON
 * {@code {"source": ..., "definitions": {name: schema}}} when the name ends in {@code .gz}, plain
 * JSON otherwise. Exits non-zero when a {@code $ref} would dangle.
 */
public final class Main {

    /** Names the sources the resource was generated from, recorded in its header. */
    static final String SOURCE = "k8s.io/api 0.32.3, k8s.io/apimachinery 0.32.3 (Kubernetes 1.32)";

    private Main() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Main <k8s-src-root> <out-file>");
            System.exit(2);
        }
        ObjectNode doc = generate(Path.of(args[0]));
        List<String> dangling = danglingRefs(doc.get("definitions"));
        if (!dangling.isEmpty()) {
            System.err.println("unresolved $refs: " + dangling);
            System.exit(1);
        }
        Path out = Path.of(args[1]);
        write(doc, out);
        System.out.println("wrote " + doc.get("definitions").size() + " definitions to " + out + " ("
                + Files.size(out) + " bytes)");
    }

    /** Parses the sources under {@code root} and returns the resource document. */
    static ObjectNode generate(Path root) {
        Universe u = new Sources(root).load();
        Map<String, ObjectNode> defs = new DefinitionBuilder(u).build();
        ObjectNode doc = TypeSchemas.object();
        doc.put("source", SOURCE);
        ObjectNode definitions = doc.putObject("definitions");
        defs.forEach(definitions::set);
        return doc;
    }

    static void write(ObjectNode doc, Path out) throws IOException {
        byte[] json = JsonMapper.builder().build().writeValueAsBytes(doc);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream os = Files.newOutputStream(out)) {
            if (out.getFileName().toString().endsWith(".gz")) {
                // GZIPOutputStream writes no timestamp, so equal input gives byte-identical output.
                try (GZIPOutputStream gz = new GZIPOutputStream(os)) {
                    gz.write(json);
                }
            } else {
                os.write(json);
            }
        }
    }

    /** Every {@code $ref} target that names no definition. */
    static List<String> danglingRefs(JsonNode definitions) {
        TreeSet<String> missing = new TreeSet<>();
        List<JsonNode> stack = new ArrayList<>(List.of(definitions));
        while (!stack.isEmpty()) {
            JsonNode n = stack.removeLast();
            if (n.isObject()) {
                JsonNode ref = n.get("$ref");
                if (ref != null && ref.isString()) {
                    String name = ref.asString().substring(ref.asString().lastIndexOf('/') + 1);
                    if (!definitions.has(name)) {
                        missing.add(name);
                    }
                }
            }
            if (n.isContainer()) {
                n.forEach(stack::add);
            }
        }
        return List.copyOf(missing);
    }
}
