package io.kubevisor.schemagen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Kubernetes packages and files the schema covers, and how to load them from a source
 * tree laid out like Go's ({@code <root>/k8s.io/api/core/v1/types.go}).
 */
final class Sources {

    /**
     * The API groups described, as k8s.io/api package directories (all at version v1): the served
     * ones, and authentication, whose request bodies (TokenRequest, TokenReview) arrive as protobuf.
     */
    static final List<String> API_PACKAGES = List.of("core", "apps", "batch", "coordination", "rbac",
            "authorization", "authentication", "events", "discovery", "autoscaling", "policy");

    static final String META = "k8s.io/apimachinery/pkg/apis/meta/v1";

    /** Meta kinds every group version registers (metav1.AddToGroupVersion). */
    private static final List<String> PER_GROUP_KINDS = List.of("WatchEvent", "ListOptions", "GetOptions",
            "DeleteOptions", "CreateOptions", "UpdateOptions", "PatchOptions");
    /** Meta kinds registered once, in the unversioned core group. */
    private static final List<String> UNVERSIONED_KINDS = List.of("Status", "APIVersions", "APIGroupList",
            "APIGroup", "APIResourceList");
    /** Meta kinds of the meta.k8s.io group (server-side tables and metadata-only lists). */
    private static final List<String> META_GROUP_KINDS = List.of("Table", "TableOptions", "PartialObjectMetadata",
            "PartialObjectMetadataList");

    private static final Pattern GROUP_NAME = Pattern.compile("const GroupName = \"([^\"]*)\"");
    private static final Pattern KNOWN_TYPE = Pattern.compile("&(\\w+)\\{\\}");

    private final Path root;

    Sources(Path root) {
        this.root = root;
    }

    Universe load() {
        Universe u = new Universe();
        List<Universe.Gvk> groupVersions = new ArrayList<>();
        for (String name : API_PACKAGES) {
            String path = "k8s.io/api/" + name + "/v1";
            Map<String, List<Universe.Gvk>> gvks = registered(path);
            gvks.values().stream().flatMap(List::stream).findFirst()
                    .ifPresent(g -> groupVersions.add(new Universe.Gvk(g.group(), g.version(), "")));
            u.add(path, files(path, "types.go", "types_swagger_doc_generated.go"), null, gvks);
        }
        u.add(META, files(META, "types.go", "watch.go", "time.go", "micro_time.go", "duration.go",
                "types_swagger_doc_generated.go"), null, metaKinds(groupVersions));
        u.add("k8s.io/apimachinery/pkg/runtime", files("k8s.io/apimachinery/pkg/runtime", "types.go"),
                Set.of("RawExtension"), Map.of());
        u.add("k8s.io/apimachinery/pkg/api/resource", files("k8s.io/apimachinery/pkg/api/resource", "quantity.go"),
                Set.of("Quantity"), Map.of());
        u.add("k8s.io/apimachinery/pkg/util/intstr", files("k8s.io/apimachinery/pkg/util/intstr", "intstr.go"),
                Set.of("IntOrString"), Map.of());
        u.add("k8s.io/apimachinery/pkg/types", files("k8s.io/apimachinery/pkg/types", "uid.go", "nodename.go"),
                Set.of(), Map.of());
        return u;
    }

    private static Map<String, List<Universe.Gvk>> metaKinds(List<Universe.Gvk> groupVersions) {
        Map<String, List<Universe.Gvk>> out = new LinkedHashMap<>();
        List<Universe.Gvk> all = new ArrayList<>(List.of(new Universe.Gvk("", "v1", "")));
        groupVersions.stream().filter(g -> !g.group().isEmpty())
                .sorted(java.util.Comparator.comparing(Universe.Gvk::group)).forEach(all::add);
        for (String kind : PER_GROUP_KINDS) {
            out.put(kind, all.stream().map(g -> new Universe.Gvk(g.group(), g.version(), kind)).toList());
        }
        for (String kind : UNVERSIONED_KINDS) {
            out.put(kind, List.of(new Universe.Gvk("", "v1", kind)));
        }
        for (String kind : META_GROUP_KINDS) {
            out.put(kind, List.of(new Universe.Gvk("meta.k8s.io", "v1", kind)));
        }
        return out;
    }

    /** Kinds a package's register.go adds to the scheme, with the group its GroupName constant names. */
    private Map<String, List<Universe.Gvk>> registered(String pkgPath) {
        String text = read(root.resolve(pkgPath).resolve("register.go"));
        Matcher g = GROUP_NAME.matcher(text);
        if (!g.find()) {
            throw new IllegalStateException("no GroupName in " + pkgPath + "/register.go");
        }
        String version = pkgPath.substring(pkgPath.lastIndexOf('/') + 1);
        Map<String, List<Universe.Gvk>> out = new LinkedHashMap<>();
        Matcher m = KNOWN_TYPE.matcher(text);
        while (m.find()) {
            out.put(m.group(1), List.of(new Universe.Gvk(g.group(1), version, m.group(1))));
        }
        return out;
    }

    private List<GoFile> files(String pkgPath, String... names) {
        List<GoFile> out = new ArrayList<>();
        for (String n : names) {
            Path file = root.resolve(pkgPath).resolve(n);
            if (!Files.exists(file)) {
                continue; // optional files (generated doc maps) may be missing
            }
            try {
                out.add(GoParser.parse(read(file), pkgPath));
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot parse " + file + ": " + e.getMessage(), e);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no sources for " + pkgPath + " under " + root);
        }
        return out;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
