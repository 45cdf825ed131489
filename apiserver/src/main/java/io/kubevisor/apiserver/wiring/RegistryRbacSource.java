package io.kubevisor.apiserver.wiring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.apiserver.auth.rbac.RbacSource;
import io.kubevisor.apiserver.auth.rbac.SnapshotRbacSource;
import io.kubevisor.apiserver.registry.ListOptions;
import io.kubevisor.apiserver.registry.ObjectEvent;
import io.kubevisor.apiserver.registry.ObjectWatch;
import io.kubevisor.apiserver.registry.ResourceLister;
import io.kubevisor.apiserver.registry.ResourceStore;
import io.kubevisor.apiserver.registry.ResourceWatcher;
import io.kubevisor.store.StoreException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RBAC objects answered from memory: a snapshot of roles and bindings, reloaded whenever one of
 * them changes (a watch per resource). Like Kubernetes' informer-backed authorizer it lags a
 * write by milliseconds. Thread-safe.
 */
public final class RegistryRbacSource implements RbacSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryRbacSource.class);

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
            watchers.add(Thread.ofVirtual().name("rbac-watch-" + r.type().plural()).start(() -> follow(r)));
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

    private void follow(ResourceStore r) {
        while (!closed) {
            try (ObjectWatch w = new ResourceWatcher(r).watch("", ListOptions.everything(), false)) {
                reload();
                while (!closed) {
                    ObjectEvent e = w.next(Duration.ofSeconds(5), false);
                    if (e != null) {
                        reload();
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (StoreException.WatchClosed e) {
                if (closed) {
                    return;
                }
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("event=rbac_watch_failed resource={} cause={}", r.type().plural(), e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
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
