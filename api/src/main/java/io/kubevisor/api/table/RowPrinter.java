package io.kubevisor.api.table;

import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

import tools.jackson.databind.JsonNode;

/** A printer made of fixed columns and a function producing the cells. */
record RowPrinter(List<ColumnDefinition> columns, BiFunction<JsonNode, Instant, List<Object>> cellFunction)
        implements TablePrinter {

    RowPrinter {
        columns = List.copyOf(columns);
    }

    @Override
    public List<Object> cells(JsonNode object, Instant now) {
        List<Object> cells = cellFunction.apply(object, now);
        if (cells.size() != columns.size()) {
            throw new IllegalStateException("printer produced " + cells.size() + " cells for " + columns.size()
                    + " columns");
        }
        return cells;
    }
}
