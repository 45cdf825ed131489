package io.kubevisor.apiserver.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.kubevisor.api.schema.FieldSchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The ownership rules of server-side apply (structured-merge-diff's {@code Updater}), on objects
 * without {@code metadata.managedFields}. Every manager version is treated as the object's
 * version: there is no conversion between apiVersions here.
 */
final class Ownership {

    /** Kubernetes' fixed list of fields nobody owns. */
    private static final FieldSet STRIPPED = FieldSet.of(
            path("apiVersion"), path("kind"), path("metadata"), path("metadata", "name"),
            path("metadata", "namespace"), path("metadata", "creationTimestamp"), path("metadata", "selfLink"),
            path("metadata", "uid"), path("metadata", "clusterName"), path("metadata", "generation"),
            path("metadata", "managedFields"), path("metadata", "resourceVersion"));

    private final FieldSchema schema;

    Ownership(FieldSchema schema) {
        this.schema = schema;
    }

    static List<PathElement> path(String... fields) {
        List<PathElement> p = new ArrayList<>();
        for (String f : fields) {
            p.add(new PathElement.Field(f));
        }
        return p;
    }

    /** Removes the metadata fields Kubernetes never tracks from one owner; drops it if empty. */
    static void stripMeta(Managed managed, ManagerKey key) {
        Managed.Owned o = managed.owners.get(key);
        if (o == null) {
            return;
        }
        FieldSet rest = o.fields().difference(STRIPPED);
        if (rest.isEmpty()) {
            managed.owners.remove(key);
            managed.times.remove(key);
        } else {
            managed.owners.put(key, new Managed.Owned(rest, o.apiVersion(), o.applied()));
        }
    }

    /**
     * Takes changed fields away from every owner but {@code workflow}. With {@code force} false
     * any changed field another manager owns is a conflict and nothing changes.
     *
     * @return the comparison of the two objects
     * @throws ApplyConflicts.Found when there are conflicts and {@code force} is false
     */
    Diff.Comparison update(JsonNode before, JsonNode after, Managed managed, ManagerKey workflow, boolean force) {
        Diff.Comparison cmp = Diff.compare(ValueStructs.fill(before, schema), ValueStructs.fill(after, schema), schema);
        FieldSet changed = cmp.changed();
        Map<ManagerKey, FieldSet> conflicts = new TreeMap<>(ManagerKey.ORDER);
        for (Map.Entry<ManagerKey, Managed.Owned> e : managed.owners.entrySet()) {
            if (e.getKey().equals(workflow)) {
                continue;
            }
            FieldSet c = e.getValue().fields().intersection(changed);
            if (!c.isEmpty()) {
                conflicts.put(e.getKey(), c);
            }
        }
        if (!force && !conflicts.isEmpty()) {
            throw new ApplyConflicts.Found(conflicts);
        }
        for (Map.Entry<ManagerKey, Managed.Owned> e : managed.owners.entrySet()) {
            if (e.getKey().equals(workflow)) {
                continue;
            }
            Managed.Owned o = e.getValue();
            FieldSet kept = o.fields().difference(conflicts.getOrDefault(e.getKey(), FieldSet.empty()))
                    .difference(cmp.removed());
            e.setValue(new Managed.Owned(kept, o.apiVersion(), o.applied()));
        }
        managed.dropEmpty();
        return cmp;
    }

    /**
     * Applies {@code config} on {@code live} for {@code applier}: merges, gives the applier the
     * configured fields, prunes what it stopped configuring, and checks conflicts.
     *
     * @return the new object (never null; equal to live when nothing changed)
     */
    JsonNode apply(JsonNode live, JsonNode config, Managed managed, ManagerKey applier, String apiVersion,
                   boolean force) {
        JsonNode merged = orEmpty(ApplyMerge.merge(live, config, schema));
        Managed.Owned last = managed.owners.get(applier);
        FieldSet configured = FieldSetBuilder.of(config, schema, true);
        managed.owners.put(applier, new Managed.Owned(configured, apiVersion, true));
        merged = prune(merged, managed, applier, last);
        update(live, merged, managed, applier, force);
        return merged;
    }

    /**
     * Removes what {@code applier} applied last time but not this time, unless another manager
     * (or the new configuration) still owns it, and never fields nobody ever owned.
     */
    private JsonNode prune(JsonNode merged, Managed managed, ManagerKey applier, Managed.Owned last) {
        if (last == null || last.fields().isEmpty()) {
            return merged;
        }
        FieldSet lastSet = last.fields().ensureNamedFieldsAreMembers(schema);
        JsonNode pruned = orEmpty(FieldRemover.remove(merged, lastSet, schema));

        FieldSet owned = FieldSet.empty();
        for (Managed.Owned o : managed.owners.values()) {
            owned = owned.union(o.fields());
        }
        FieldSet mergedSet = fields(merged);
        FieldSet prunedSet = fields(pruned);
        pruned = orEmpty(FieldRemover.remove(merged,
                mergedSet.difference(prunedSet.union(owned.ensureNamedFieldsAreMembers(schema))), schema));

        prunedSet = fields(pruned);
        return orEmpty(FieldRemover.remove(merged, mergedSet.difference(prunedSet).intersection(lastSet), schema));
    }

    private FieldSet fields(JsonNode v) {
        return FieldSetBuilder.of(v, schema, false).ensureNamedFieldsAreMembers(schema);
    }

    private static JsonNode orEmpty(JsonNode v) {
        return v == null ? JsonNodeFactory.instance.objectNode() : v;
    }
}
