package io.kubevisor.api.resource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.kubevisor.api.GroupVersionKind;

/**
 * The resources a server serves, indexed the ways requests and clients look them up.
 * Immutable once built; each API server instance holds its own.
 */
public final class ResourceCatalog {

    private final List<ResourceType> all;
    private final Map<String, ResourceType> byPath = new LinkedHashMap<>();
    private final Map<GroupVersionKind, ResourceType> byKind = new LinkedHashMap<>();
    private final Map<String, List<String>> versionsByGroup = new LinkedHashMap<>();

    public ResourceCatalog(List<ResourceType> resources) {
        this.all = List.copyOf(resources);
        for (ResourceType r : all) {
            String key = pathKey(r.group(), r.version(), r.plural());
            if (byPath.putIfAbsent(key, r) != null) {
                throw new IllegalArgumentException("duplicate resource " + key);
            }
            byKind.putIfAbsent(r.gvk(), r);
            List<String> versions = versionsByGroup.computeIfAbsent(r.group(), g -> new ArrayList<>());
            if (!versions.contains(r.version())) {
                versions.add(r.version());
            }
        }
    }

    private static String pathKey(String group, String version, String plural) {
        return group + "/" + version + "/" + plural;
    }

    public List<ResourceType> all() {
        return all;
    }

    public Optional<ResourceType> find(String group, String version, String plural) {
        return Optional.ofNullable(byPath.get(pathKey(group, version, plural)));
    }

    public Optional<ResourceType> byKind(GroupVersionKind gvk) {
        return Optional.ofNullable(byKind.get(gvk));
    }

    /** API groups in serving order; the core group is "". */
    public List<String> groups() {
        return List.copyOf(versionsByGroup.keySet());
    }

    /** Versions served for a group, preferred first. */
    public List<String> versions(String group) {
        return Collections.unmodifiableList(versionsByGroup.getOrDefault(group, List.of()));
    }

    public boolean servesGroupVersion(String group, String version) {
        return versions(group).contains(version);
    }

    /** Resources of one group version, in catalog order. */
    public List<ResourceType> resources(String group, String version) {
        List<ResourceType> out = new ArrayList<>();
        for (ResourceType r : all) {
            if (r.group().equals(group) && r.version().equals(version)) {
                out.add(r);
            }
        }
        return out;
    }
}
