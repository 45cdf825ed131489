package io.kubevisor.apiserver.endpoints;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import io.kubevisor.api.resource.ResourceType;
import io.kubevisor.api.table.IncludeObject;
import io.kubevisor.api.table.TablePrinters;
import io.kubevisor.api.table.Tables;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Tables from the per-kind printers, with the columns kubectl users know. */
public final class PrinterTables implements TableConverter {

    private final InstantSource clock;

    public PrinterTables(InstantSource clock) {
        this.clock = clock;
    }

    @Override
    public ObjectNode table(ResourceType type, String tableVersion, List<ObjectNode> objects, String resourceVersion,
                            String continueToken, boolean withColumns, String includeObject) {
        ObjectNode t = Tables.build(new ArrayList<JsonNode>(objects), TablePrinters.forKind(type.gvk()),
                clock.instant(), resourceVersion, continueToken, IncludeObject.parse(includeObject));
        t.put("apiVersion", "meta.k8s.io/" + tableVersion);
        if (!withColumns) {
            ((ArrayNode) t.get("columnDefinitions")).removeAll();
        }
        return t;
    }
}
