package io.kubevisor.apiserver.endpoints;

import java.util.List;

import io.kubevisor.api.resource.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/** Renders objects as a meta.k8s.io Table for kubectl's human output. */
public interface TableConverter {

    /**
     * @param objects         the objects, in the served version
     * @param resourceVersion list metadata resourceVersion, or null
     * @param continueToken   list metadata continue, or null
     * @param withColumns     false for watch events after the first (columns are sent once)
     * @param includeObject   "None", "Metadata" (default) or "Object"
     */
    ObjectNode table(ResourceType type, String tableVersion, List<ObjectNode> objects, String resourceVersion,
                     String continueToken, boolean withColumns, String includeObject);
}
