package io.kubevisor.api.table;

import java.time.Instant;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * Turns objects of one kind into Table rows with the columns kubectl users know from a real
 * cluster. Implementations are stateless and thread-safe.
 */
public interface TablePrinter {

    /** The column definitions, in cell order; the same immutable list on every call. */
    List<ColumnDefinition> columns();

    /**
     * The cells of one row, one per column (wide columns included: the server always prints
     * wide and kubectl hides priority-1 columns itself).
     *
     * @param object the stored object as JSON; not modified
     * @param now    the instant ages and durations are measured against
     * @return a new list owned by the caller; elements are String, Long or Boolean
     */
    List<Object> cells(JsonNode object, Instant now);
}
