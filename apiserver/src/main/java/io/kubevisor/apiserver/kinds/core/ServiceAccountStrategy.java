package io.kubevisor.apiserver.kinds.core;

import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ServiceAccounts: secret references keep only their names, as Kubernetes' strategy cleans them;
 * deletes answer with the object. Stateless.
 */
public final class ServiceAccountStrategy implements Strategy {

    @Override
    public void prepareForCreate(ObjectNode obj) {
        cleanSecretReferences(obj);
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        cleanSecretReferences(obj);
    }

    private static void cleanSecretReferences(ObjectNode obj) {
        for (ObjectNode ref : Nodes.objects(obj, "secrets")) {
            JsonNode name = ref.get("name");
            ref.removeAll();
            if (name != null && !name.isNull() && !name.asString("").isEmpty()) {
                ref.set("name", name);
            }
        }
    }

    @Override
    public boolean returnDeletedObject() {
        return true;
    }
}
