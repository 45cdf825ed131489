package io.kubevisor.schemagen;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every parsed Go package the generator sees, with what each contributes: type declarations,
 * typed constants (for enums), generated doc maps and registered kinds. Built once, then read.
 */
final class Universe {

    /**
     * One Go package.
     *
     * @param path         import path, e.g. {@code k8s.io/api/core/v1}
     * @param emit         which struct types become definitions: null means all exported ones
     * @param gvks         kinds this package registers: Go type name → group/version/kind triples
     */
    record Package(String path, Map<String, GoFile.TypeDecl> types, List<GoFile.ConstDecl> consts,
                   Map<String, Map<String, String>> docs, Set<String> emit, Map<String, List<Gvk>> gvks) {

        boolean emits(String typeName) {
            return emit == null || emit.contains(typeName);
        }
    }

    /** A group/version/kind triple; group "" is the core group. */
    record Gvk(String group, String version, String kind) {
    }

    private final Map<String, Package> packages = new LinkedHashMap<>();

    void add(String path, List<GoFile> files, Set<String> emit, Map<String, List<Gvk>> gvks) {
        Map<String, GoFile.TypeDecl> types = new LinkedHashMap<>();
        List<GoFile.ConstDecl> consts = new ArrayList<>();
        Map<String, Map<String, String>> docs = new LinkedHashMap<>();
        for (GoFile f : files) {
            for (GoFile.TypeDecl t : f.types()) {
                types.putIfAbsent(t.name(), t);
            }
            consts.addAll(f.consts());
            f.stringMaps().forEach((var, map) -> {
                if (var.startsWith("map_")) {
                    docs.put(var.substring(4), map);
                }
            });
        }
        packages.put(path, new Package(path, types, consts, docs, emit == null ? null : Set.copyOf(emit), gvks));
    }

    List<Package> packages() {
        return List.copyOf(packages.values());
    }

    Optional<Package> pkg(String path) {
        return Optional.ofNullable(packages.get(path));
    }

    /** The declaration of a named, non-builtin type. */
    GoFile.TypeDecl decl(GoType.Named named) {
        Package p = packages.get(named.pkg());
        if (p == null) {
            throw new IllegalStateException("package not loaded: " + named.pkg() + " (needed for " + named + ")");
        }
        GoFile.TypeDecl d = p.types().get(named.name());
        if (d == null) {
            throw new IllegalStateException("type not found: " + named);
        }
        return d;
    }

    /** String constants of an enum type, sorted by value as Kubernetes lists them. */
    List<GoFile.ConstDecl> enumValues(GoType.Named type) {
        Package p = packages.get(type.pkg());
        return p.consts().stream()
                .filter(c -> c.type().equals(type))
                .sorted(Comparator.comparing(GoFile.ConstDecl::value))
                .toList();
    }

    /**
     * The OpenAPI definition name Kubernetes uses for a Go type: the import path with its leading
     * domain reversed ({@code k8s.io/api/core/v1.Pod} → {@code io.k8s.api.core.v1.Pod}).
     */
    static String definitionName(String pkgPath, String typeName) {
        String[] parts = pkgPath.split("/");
        List<String> domain = new ArrayList<>(List.of(parts[0].split("\\.")));
        java.util.Collections.reverse(domain);
        StringBuilder b = new StringBuilder(String.join(".", domain));
        for (int k = 1; k < parts.length; k++) {
            b.append('.').append(parts[k]);
        }
        return b.append('.').append(typeName).toString();
    }
}
