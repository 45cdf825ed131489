package io.kubevisor.apiserver.wiring;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.apiserver.registry.ListOptions;
import io.kubevisor.apiserver.registry.ObjectEvent;
import io.kubevisor.apiserver.registry.ObjectWatch;
import io.kubevisor.apiserver.registry.ResourceStore;
import io.kubevisor.apiserver.registry.ResourceWatcher;
import io.kubevisor.store.StoreException;

/**
 * Follows one resource's changes for an in-memory view of it, on a virtual thread, until closed:
 * a watch of all namespaces, each event handed to the view; after the watch failed (a second
 * later) or the view asked for it, a new watch, announced to the view first so that it can load
 * itself again. Used by the server's own caches (RBAC, the node graph).
 */
final class ResourceFollower {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceFollower.class);

    /** What follows the resource. */
    interface View {

        /** A new watch begins: what was learnt from an earlier one may be stale. */
        void beginning();

        /** One change; false to begin a new watch (e.g. after an ERROR event). */
        boolean changed(ObjectEvent event);
    }

    private ResourceFollower() {
    }

    /**
     * Starts following on a virtual thread named {@code name}.
     *
     * @param initialEvents the watch's sendInitialEvents (null: none asked for)
     * @param closed        whether to stop; interrupt the thread to stop it at once
     */
    static Thread start(String name, ResourceStore resource, Boolean initialEvents, BooleanSupplier closed,
                        View view) {
        return Thread.ofVirtual().name(name).start(() -> follow(name, resource, initialEvents, closed, view));
    }

    private static void follow(String name, ResourceStore resource, Boolean initialEvents, BooleanSupplier closed,
                               View view) {
        while (!closed.getAsBoolean()) {
            try (ObjectWatch w = new ResourceWatcher(resource).watch("", ListOptions.everything(), initialEvents)) {
                view.beginning();
                boolean going = true;
                while (going && !closed.getAsBoolean()) {
                    ObjectEvent e = w.next(Duration.ofSeconds(5), false);
                    going = e == null || view.changed(e);
                }
            } catch (InterruptedException e) {
                return;
            } catch (StoreException.WatchClosed e) {
                if (closed.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                if (closed.getAsBoolean()) {
                    return;
                }
                LOG.warn("event=watch_failed watcher={} cause={}", name, e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }
}
