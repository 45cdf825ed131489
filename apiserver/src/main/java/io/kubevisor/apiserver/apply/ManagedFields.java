package io.kubevisor.apiserver.apply;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.api.schema.FieldSchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Field ownership for writes that are not applies (create, update, JSON/merge/strategic patch),
 * as Kubernetes records it on every write: the writing manager comes to own every field it
 * changed or set, every other manager loses the fields that changed, and the manager's entry
 * (one per manager, operation, apiVersion and subresource) gets the time of the write. At most
 * ten update entries are kept; older ones fold into {@code ancient-changes}.
 * Stateless and thread-safe; arguments are never modified.
 */
public final class ManagedFields {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedFields.class);
    private static final int MAX_UPDATE_MANAGERS = 10;
    private static final String ANCIENT = "ancient-changes";

    private ManagedFields() {
    }

    /**
     * Records a non-apply write.
     *
     * @param before      the stored object, or null on create
     * @param after       the object about to be stored; managedFields it carries replace the stored
     *                    ones when valid and non-empty ({@code []} resets them), except through a
     *                    subresource
     * @param manager     the field manager ({@link FieldManagers#resolve})
     * @param operation   {@code Update} (the only non-apply operation)
     * @param subresource the subresource written through, or null/empty
     * @param apiVersion  the apiVersion the write was made in (the object's)
     * @param schema      the kind's top-level schema (may be null)
     * @param now         the time of the write
     * @return a copy of {@code after} with updated {@code metadata.managedFields}, owned by the caller
     */
    public static ObjectNode recordUpdate(ObjectNode before, ObjectNode after, String manager, String operation,
                                          String subresource, String apiVersion, FieldSchema schema, Instant now) {
        String sub = subresource == null ? "" : subresource;
        Managed managed = liveOrNew(before, after, !sub.isEmpty());
        ObjectNode out = ServerSideApply.withoutManagedFields(after);
        ObjectNode old = before == null ? ValueStructs.empty(schema) : ServerSideApply.withoutManagedFields(before);
        ManagerKey key = new ManagerKey(manager, operation == null ? ManagerKey.UPDATE : operation, apiVersion, sub);
        ManagerKey current = new ManagerKey("\u0000current-operation", ManagerKey.UPDATE, apiVersion, sub);
        Diff.Comparison cmp;
        try {
            cmp = new Ownership(schema).update(old, out, managed, current, true);
        } catch (SchemaViolation e) {
            // Kubernetes logs and drops managedFields rather than fail a write it cannot track.
            LOG.warn("event=managedFieldsUntracked manager={} reason=\"{}\"", manager, e.getMessage());
            return out;
        }
        FieldSet set = cmp.added().union(cmp.modified());
        managed.owners.put(current, new Managed.Owned(set, apiVersion, false));
        Ownership.stripMeta(managed, current);
        Managed.Owned fresh = managed.owners.remove(current);
        if (fresh != null) {
            Managed.Owned previous = managed.owners.get(key);
            FieldSet all = previous == null ? fresh.fields() : fresh.fields().union(previous.fields());
            managed.owners.put(key, new Managed.Owned(all, apiVersion, false));
            managed.times.put(key, ManagedFieldsCodec.time(now));
        }
        capUpdaters(managed);
        store(out, managed);
        return out;
    }

    /** The managed fields of the request object when it carries usable ones, else the stored ones. */
    private static Managed liveOrNew(ObjectNode before, ObjectNode after, boolean subresource) {
        JsonNode stored = before == null ? null : before.path("metadata").get("managedFields");
        if (!subresource) {
            JsonNode requested = after.path("metadata").get("managedFields");
            if (requested != null && requested.isArray()) {
                if (requested.isEmpty() || requested.size() == 1 && requested.get(0).isObject() && requested.get(0).isEmpty()) {
                    return new Managed();
                }
                try {
                    Managed m = ManagedFieldsCodec.decode(requested);
                    if (!m.owners.isEmpty()) {
                        return m;
                    }
                } catch (IllegalArgumentException e) {
                    // fall back to the stored entries, as Kubernetes does
                }
            }
        }
        try {
            return ManagedFieldsCodec.decode(stored);
        } catch (IllegalArgumentException e) {
            return new Managed();
        }
    }

    /** Folds the oldest update entries beyond ten into one {@code ancient-changes} entry per apiVersion. */
    private static void capUpdaters(Managed managed) {
        List<ManagerKey> updaters = new ArrayList<>();
        managed.owners.forEach((k, o) -> {
            if (!o.applied()) {
                updaters.add(k);
            }
        });
        if (updaters.size() <= MAX_UPDATE_MANAGERS) {
            return;
        }
        updaters.sort((a, b) -> {
            int c = Long.compare(seconds(managed.times.get(a)), seconds(managed.times.get(b)));
            return c != 0 ? c : ManagerKey.ORDER.compare(a, b);
        });
        Map<String, ManagerKey> firstByVersion = new HashMap<>();
        int length = updaters.size();
        for (int i = 0; i < updaters.size() && length > MAX_UPDATE_MANAGERS; i++) {
            ManagerKey k = updaters.get(i);
            Managed.Owned o = managed.owners.get(k);
            String version = o.apiVersion();
            ManagerKey bucket = ManagerKey.updater(ANCIENT, version, "");
            ManagerKey first = firstByVersion.get(version);
            if (first == null) {
                firstByVersion.put(version, k);
                continue;
            }
            if (!managed.owners.containsKey(bucket)) {
                managed.owners.put(bucket, managed.owners.remove(first));
            }
            Managed.Owned b = managed.owners.get(bucket);
            managed.owners.put(bucket, new Managed.Owned(o.fields().union(b.fields()), version, false));
            managed.owners.remove(k);
            String time = managed.times.remove(k);
            if (time != null) {
                managed.times.put(bucket, time);
            } else {
                managed.times.remove(bucket);
            }
            length--;
        }
        managed.times.keySet().retainAll(managed.owners.keySet());
    }

    private static long seconds(String time) {
        if (time == null) {
            return 0;
        }
        try {
            return java.time.OffsetDateTime.parse(time).toEpochSecond();
        } catch (java.time.format.DateTimeParseException e) {
            return 0;
        }
    }

    /** Writes the encoded entries into {@code obj.metadata.managedFields}, or removes it when empty. */
    static void store(ObjectNode obj, Managed managed) {
        ArrayNode encoded = ManagedFieldsCodec.encode(managed);
        JsonNode meta = obj.get("metadata");
        if (encoded.isEmpty()) {
            if (meta instanceof ObjectNode m) {
                m.remove("managedFields");
            }
            return;
        }
        ObjectNode m = meta instanceof ObjectNode existing ? existing : obj.putObject("metadata");
        m.set("managedFields", encoded);
    }
}
