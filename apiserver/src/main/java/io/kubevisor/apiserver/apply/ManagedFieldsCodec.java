package io.kubevisor.apiserver.apply;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes {@code metadata.managedFields} in Kubernetes' shape:
 * {@code {manager, operation, apiVersion, time, fieldsType: FieldsV1, fieldsV1, subresource}}
 * (members in that order, empty ones left out), sorted by operation, time, manager, apiVersion
 * and subresource.
 */
final class ManagedFieldsCodec {

    private ManagedFieldsCodec() {
    }

    /**
     * Decodes managedFields entries.
     *
     * @throws IllegalArgumentException with Kubernetes' message when an entry is invalid
     */
    static Managed decode(JsonNode entries) {
        Managed m = new Managed();
        if (entries == null || entries.isNull()) {
            return m;
        }
        if (!entries.isArray()) {
            throw new IllegalArgumentException("managedFields must be a list");
        }
        int i = 0;
        for (JsonNode e : entries.values()) {
            String operation = text(e, "operation");
            if (!ManagerKey.APPLY.equals(operation) && !ManagerKey.UPDATE.equals(operation)) {
                throw new IllegalArgumentException("operation must be `Apply` or `Update`");
            }
            String apiVersion = text(e, "apiVersion");
            if (apiVersion.isEmpty()) {
                throw new IllegalArgumentException("apiVersion must not be empty");
            }
            String fieldsType = text(e, "fieldsType");
            if (fieldsType.isEmpty()) {
                throw new IllegalArgumentException("missing fieldsType in managed fields entry " + i);
            }
            if (!fieldsType.equals("FieldsV1")) {
                throw new IllegalArgumentException("invalid fieldsType \"" + fieldsType + "\" in managed fields entry " + i);
            }
            ManagerKey key = new ManagerKey(text(e, "manager"), operation, apiVersion, text(e, "subresource"));
            FieldSet set = FieldsV1.decode(e.get("fieldsV1"));
            m.owners.put(key, new Managed.Owned(set, apiVersion, key.applied()));
            String time = text(e, "time");
            if (time.isEmpty()) {
                m.times.remove(key);
            } else {
                m.times.put(key, time);
            }
            i++;
        }
        return m;
    }

    private static String text(JsonNode e, String field) {
        JsonNode v = e == null ? null : e.get(field);
        return v == null || !v.isString() ? "" : v.asString();
    }

    /** Encodes every owner; an empty result means the object carries no managedFields. */
    static ArrayNode encode(Managed m) {
        List<Sorted> entries = new ArrayList<>();
        for (Map.Entry<ManagerKey, Managed.Owned> e : m.owners.entrySet()) {
            ManagerKey k = e.getKey();
            Managed.Owned owned = e.getValue();
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("manager", k.manager());
            o.put("operation", owned.applied() ? ManagerKey.APPLY : k.operation());
            o.put("apiVersion", owned.apiVersion());
            String time = m.times.get(k);
            if (time != null) {
                o.put("time", time);
            }
            o.put("fieldsType", "FieldsV1");
            o.set("fieldsV1", FieldsV1.encode(owned.fields()));
            if (!k.subresource().isEmpty()) {
                o.put("subresource", k.subresource());
            }
            entries.add(new Sorted(o, o.get("operation").asString(), seconds(time), o.get("manager").asString(),
                    o.get("apiVersion").asString(), text(o, "subresource")));
        }
        entries.sort(Comparator.comparing(Sorted::operation).thenComparingLong(Sorted::seconds)
                .thenComparing(Sorted::manager).thenComparing(Sorted::apiVersion).thenComparing(Sorted::subresource));
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        entries.forEach(s -> out.add(s.entry()));
        return out;
    }

    /**
     * An entry with its sort key, computed once: the comparator parsed the time of both entries on
     * every comparison, a tenth of the managedFields work of a write in a profile.
     */
    private record Sorted(ObjectNode entry, String operation, long seconds, String manager, String apiVersion,
                          String subresource) {
    }

    private static long seconds(String t) {
        if (t == null || t.isEmpty()) {
            return 0;
        }
        try {
            return OffsetDateTime.parse(t).toEpochSecond();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    /** Kubernetes' metav1.Time rendering: UTC, whole seconds. */
    static String time(Instant now) {
        return java.time.format.DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }
}
