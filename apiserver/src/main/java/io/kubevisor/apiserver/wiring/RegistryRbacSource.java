package io.kubevisor.apiserver.wiring;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.kubevisor.apiserver.auth.rbac.RbacSource;
import io.kubevisor.apiserver.auth.rbac.SnapshotRbacSource;
import io.kubevisor.apiserver.registry.ListOptions;
import io.kubevisor.apiserver.registry.ObjectEvent;
import io.kubevisor.apiserver.registry.ResourceLister;
import io.kubevisor.apiserver.registry.ResourceStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RBAC objects answered from memory: a snapshot of roles and bindings, reloaded whenever one of
 * them changes (a watch per resource). Like Kubernetes' informer-backed authorizer it lags a
 * write by milliseconds. Thread-safe.
 */
public final class RegistryRbacSource implements RbacSource, AutoCloseable {

    private final List<ResourceStore> resources;
    private final List<Thread> watchers = new ArrayList<>();
    private final Object reloadLock = new Object();
    private volatile SnapshotRbacSource snapshot;
    private volatile boolean closed;

    /** @param resources the stores of roles, rolebindings, clusterroles and clusterrolebindings */
    public RegistryRbacSource(List<ResourceStore> resources) {
        this.resources = List.copyOf(resources);
        reload();
        for (ResourceStore r : this.resources) {
            // Any change (and a new watch, which may have missed some) reloads the whole snapshot.
            watchers.add(ResourceFollower.start("rbac-watch-" + r.type().plural(), r, false, () -> closed,
                    new ResourceFollower.View() {
                        @Override
                        public void beginning() {
                            reload();
                        }

                        @Override
                        public boolean changed(ObjectEvent event) {
                            reload();
                            return true;
                        }
                    }));
        }
    }

    private void reload() {
        synchronized (reloadLock) {
            List<ObjectNode> all = new ArrayList<>();
            for (ResourceStore r : resources) {
                all.addAll(new ResourceLister(r).list("", ListOptions.everything()).items());
            }
            snapshot = new SnapshotRbacSource(all);
        }
    }

    @Override
    public List<JsonNode> roles(String namespace) {
        return snapshot.roles(namespace);
    }

    @Override
    public List<JsonNode> roleBindings(String namespace) {
        return snapshot.roleBindings(namespace);
    }

    @Override
    public List<JsonNode> clusterRoles() {
        return snapshot.clusterRoles();
    }

    @Override
    public List<JsonNode> clusterRoleBindings() {
        return snapshot.clusterRoleBindings();
    }

    @Override
    public Optional<JsonNode> role(String namespace, String name) {
        return snapshot.role(namespace, name);
    }

    @Override
    public Optional<JsonNode> clusterRole(String name) {
        return snapshot.clusterRole(name);
    }

    @Override
    public void close() {
        closed = true;
        watchers.forEach(Thread::interrupt);
    }
}
