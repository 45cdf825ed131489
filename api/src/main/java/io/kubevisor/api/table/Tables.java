package io.kubevisor.api.table;

import java.time.Instant;
import java.util.List;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds {@code meta.k8s.io/v1 Table} responses, the form kubectl asks for with
 * {@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io}. Stateless.
 */
public final class Tables {

    private Tables() {
    }

    /**
     * Builds a Table with row objects as {@code PartialObjectMetadata} (or none).
     *
     * @see #build(List, TablePrinter, Instant, String, String, IncludeObject)
     */
    public static ObjectNode build(List<JsonNode> objects, TablePrinter printer, Instant now, String resourceVersion,
                                   String continueToken, boolean includeObjectMetadata) {
        return build(objects, printer, now, resourceVersion, continueToken,
                includeObjectMetadata ? IncludeObject.METADATA : IncludeObject.NONE);
    }

    /**
     * Builds a Table: column definitions, one row per object, and list metadata.
     *
     * @param objects         stored objects, in row order; not modified (rows hold copies)
     * @param printer         the kind's printer
     * @param now             the instant ages are measured against
     * @param resourceVersion the list's resource version, or null (kubectl -w needs it)
     * @param continueToken   the paging token, or null
     * @param include         what each row's {@code object} holds
     * @return a new tree owned by the caller
     */
    public static ObjectNode build(List<JsonNode> objects, TablePrinter printer, Instant now, String resourceVersion,
                                   String continueToken, IncludeObject include) {
        ObjectNode table = Json.object();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        ObjectNode meta = table.putObject("metadata");
        if (resourceVersion != null && !resourceVersion.isEmpty()) {
            meta.put("resourceVersion", resourceVersion);
        }
        if (continueToken != null && !continueToken.isEmpty()) {
            meta.put("continue", continueToken);
        }
        ArrayNode columns = table.putArray("columnDefinitions");
        for (ColumnDefinition c : printer.columns()) {
            columns.add(c.toJson());
        }
        ArrayNode rows = table.putArray("rows");
        for (JsonNode object : objects) {
            rows.add(row(object, printer, now, include));
        }
        return table;
    }

    /** One row: the printer's cells plus the object in the requested form. */
    public static ObjectNode row(JsonNode object, TablePrinter printer, Instant now, IncludeObject include) {
        ObjectNode row = Json.object();
        ArrayNode cells = row.putArray("cells");
        for (Object cell : printer.cells(object, now)) {
            cells.add(Json.MAPPER.valueToTree(cell));
        }
        switch (include) {
            case NONE -> { }
            case METADATA -> {
                ObjectNode partial = row.putObject("object");
                partial.put("kind", "PartialObjectMetadata");
                partial.put("apiVersion", "meta.k8s.io/v1");
                partial.set("metadata", object.path("metadata").isObject()
                        ? object.path("metadata").deepCopy() : Json.object());
            }
            case OBJECT -> row.set("object", object.deepCopy());
        }
        return row;
    }
}
