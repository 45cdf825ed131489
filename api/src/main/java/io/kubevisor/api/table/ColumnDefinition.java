package io.kubevisor.api.table;

import io.kubevisor.api.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * One column of a {@code meta.k8s.io/v1 Table}.
 *
 * @param name        header text; kubectl upper-cases it ("Up-to-date" prints as UP-TO-DATE)
 * @param type        OpenAPI type of the cells: string, integer, number, boolean or date
 * @param format      optional hint; "name" marks the column that holds the object's name
 * @param description human-readable explanation of the column
 * @param priority    0 for columns always shown, 1 for those only {@code -o wide} shows
 */
public record ColumnDefinition(String name, String type, String format, String description, int priority) {

    static final String NAME_DOC = "Name must be unique within a namespace. Is required when creating resources, "
            + "although some resources may allow a client to request the generation of an appropriate name "
            + "automatically. Name is primarily intended for creation idempotence and configuration definition. "
            + "Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
    static final String AGE_DOC = "CreationTimestamp is a timestamp representing the server time when this object "
            + "was created. It is not guaranteed to be set in happens-before order across separate operations. "
            + "Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\n"
            + "Populated by the system. Read-only. Null for lists. More info: "
            + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    public ColumnDefinition {
        format = format == null ? "" : format;
        description = description == null ? "" : description;
    }

    /** The standard first column holding {@code metadata.name}. */
    static ColumnDefinition nameColumn() {
        return new ColumnDefinition("Name", "string", "name", NAME_DOC, 0);
    }

    /** The standard Age column. */
    static ColumnDefinition ageColumn() {
        return new ColumnDefinition("Age", "string", "", AGE_DOC, 0);
    }

    static ColumnDefinition string(String name, String description) {
        return new ColumnDefinition(name, "string", "", description, 0);
    }

    static ColumnDefinition integer(String name, String description) {
        return new ColumnDefinition(name, "integer", "", description, 0);
    }

    static ColumnDefinition wide(String name, String description) {
        return new ColumnDefinition(name, "string", "", description, 1);
    }

    /** The JSON form Kubernetes writes: all five keys, even when empty. */
    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("name", name);
        n.put("type", type);
        n.put("format", format);
        n.put("description", description);
        n.put("priority", priority);
        return n;
    }
}
