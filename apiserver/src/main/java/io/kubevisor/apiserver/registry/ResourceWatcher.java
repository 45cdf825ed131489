package io.kubevisor.apiserver.registry;

import java.util.List;

import io.kubevisor.api.ApiException;
import io.kubevisor.store.Store;
import io.kubevisor.store.StoreException;
import io.kubevisor.store.Watch;
import tools.jackson.databind.node.ObjectNode;

/**
 * Opens watches with Kubernetes' resourceVersion semantics: "" and "0" start with the current
 * state as ADDED events; a revision replays what followed it; a compacted revision yields 410.
 */
public final class ResourceWatcher {

    private final ResourceStore resources;
    private final ResourceLister lister;

    public ResourceWatcher(ResourceStore resources) {
        this.resources = resources;
        this.lister = new ResourceLister(resources);
    }

    /**
     * @param sendInitialEvents null: decided by resourceVersion as Kubernetes does; true/false: forced
     * @throws ApiException.Gone when the requested revision is compacted
     */
    public ObjectWatch watch(String namespace, ListOptions opts, Boolean sendInitialEvents) {
        Store store = resources.store();
        String rv = opts.resourceVersion();
        boolean initial = sendInitialEvents != null ? sendInitialEvents : (rv.isEmpty() || rv.equals("0"));
        String prefix = resources.collectionKey(namespace);
        if (initial) {
            ListPage page = lister.list(namespace, new ListOptions(opts.labels(), opts.fields(), 0, null, "", ""));
            long at = Long.parseLong(page.resourceVersion());
            Watch w = store.watch(prefix, at);
            return new ObjectWatch(resources, opts, w, page.items(), at, Boolean.TRUE.equals(sendInitialEvents));
        }
        long from;
        try {
            // No initial events and no version: start at the most recent revision.
            from = rv.isEmpty() || rv.equals("0") ? store.currentRevision() : Long.parseLong(rv);
        } catch (NumberFormatException e) {
            throw new ApiException.BadRequest("invalid resource version: " + rv);
        }
        try {
            Watch w = store.watch(prefix, from);
            return new ObjectWatch(resources, opts, w, List.<ObjectNode>of(), from, false);
        } catch (StoreException.Compacted e) {
            throw ApiException.Gone.tooOld(from, e.compactRevision());
        }
    }
}
