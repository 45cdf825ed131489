package io.kubevisor.apiserver.endpoints;

import java.util.List;

import io.kubevisor.api.Json;
import io.kubevisor.api.resource.ResourceType;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The generic table Kubernetes uses for kinds without printers: Name and Created At. */
public final class DefaultTables implements TableConverter {

    @Override
    public ObjectNode table(ResourceType type, String tableVersion, List<ObjectNode> objects, String resourceVersion,
                            String continueToken, boolean withColumns, String includeObject) {
        ObjectNode t = Json.object();
        t.put("kind", "Table");
        t.put("apiVersion", "meta.k8s.io/" + tableVersion);
        ObjectNode m = t.putObject("metadata");
        if (resourceVersion != null) {
            m.put("resourceVersion", resourceVersion);
        }
        if (continueToken != null) {
            m.put("continue", continueToken);
        }
        ArrayNode cols = t.putArray("columnDefinitions");
        if (withColumns) {
            cols.addObject().put("name", "Name").put("type", "string").put("format", "name")
                    .put("description", "Name must be unique within a namespace.").put("priority", 0);
            cols.addObject().put("name", "Created At").put("type", "date").put("format", "")
                    .put("description", "CreationTimestamp is a timestamp representing the server time when this "
                            + "object was created.").put("priority", 0);
        }
        ArrayNode rows = t.putArray("rows");
        for (ObjectNode o : objects) {
            ObjectNode row = rows.addObject();
            row.putArray("cells").add(o.path("metadata").path("name").asString(""))
                    .add(o.path("metadata").path("creationTimestamp").asString(""));
            switch (includeObject) {
                case "None" -> {
                }
                case "Object" -> row.set("object", o);
                default -> row.set("object", ObjectRenderer.partial(o, "v1"));
            }
        }
        return t;
    }
}
