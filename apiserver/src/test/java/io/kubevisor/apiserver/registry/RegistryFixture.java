package io.kubevisor.apiserver.registry;

import java.nio.file.Path;
import java.time.InstantSource;

import io.kubevisor.api.Json;
import io.kubevisor.api.resource.BuiltinResources;
import io.kubevisor.api.resource.ResourceCatalog;
import io.kubevisor.api.resource.ResourceType;
import io.kubevisor.apiserver.meta.Names;
import io.kubevisor.store.sqlite.SqliteOptions;
import io.kubevisor.store.sqlite.SqliteStore;
import tools.jackson.databind.node.ObjectNode;

/** ResourceStores of chosen kinds over a real SQLite store in a temp dir. */
final class RegistryFixture implements AutoCloseable {

    final SqliteStore store;
    private final ResourceCatalog catalog = BuiltinResources.catalog();

    RegistryFixture(Path dir) {
        this.store = SqliteStore.open(dir.resolve("state.db"), SqliteOptions.defaults());
    }

    ResourceStore resource(String group, String plural, Strategy strategy) {
        return resource(group, plural, strategy, Admission.NONE);
    }

    ResourceStore resource(String group, String plural, Strategy strategy, Admission admission) {
        ResourceType t = catalog.all().stream().filter(r -> r.group().equals(group) && r.plural().equals(plural))
                .findFirst().orElseThrow();
        return new ResourceStore(t, strategy, store, InstantSource.system(), new Names(), FieldTracker.NONE,
                admission, Canonicalizer.NONE);
    }

    static ObjectNode configMap(String ns, String name, String key, String value) {
        ObjectNode o = Json.object();
        o.put("apiVersion", "v1");
        o.put("kind", "ConfigMap");
        o.putObject("metadata").put("name", name).put("namespace", ns);
        o.putObject("data").put(key, value);
        return o;
    }

    @Override
    public void close() {
        store.close();
    }
}
