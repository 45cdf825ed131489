package io.kubevisor.apiserver.registry;

import java.time.InstantSource;
import java.util.function.Consumer;

import io.kubevisor.api.ApiException;
import io.kubevisor.apiserver.meta.Timestamps;
import io.kubevisor.store.KeyValue;
import io.kubevisor.store.Store;
import io.kubevisor.store.StoreException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deleting one object as Kubernetes does: preconditions; objects held by finalizers or a grace
 * period are marked (deletionTimestamp, deletionGracePeriodSeconds) instead of removed; a second
 * delete may only shorten the grace period.
 */
final class Deletion {

    private static final int MAX_RETRIES = 16;

    private final ResourceStore resources;
    private final Store store;
    private final InstantSource clock;

    Deletion(ResourceStore resources, Store store, InstantSource clock) {
        this.resources = resources;
        this.store = store;
        this.clock = clock;
    }

    /** @param admit admission of the delete, given the stored object (read-only); throws to refuse */
    ResourceStore.DeleteResult delete(String key, String name, DeleteOptions options, Consumer<ObjectNode> admit) {
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            KeyValue kv = store.get(key).orElseThrow(() -> resources.notFound(name));
            ObjectNode obj = StoredForm.decode(kv);
            ObjectNode m = StoredForm.meta(obj);
            checkPreconditions(options, m, name);
            admit.accept(obj);
            long grace = options.gracePeriodSeconds() != null
                    ? Math.max(0, options.gracePeriodSeconds())
                    : resources.strategy().defaultGracePeriodSeconds(obj);
            JsonNode fin = m.get("finalizers");
            Strategy strategy = resources.strategy();
            boolean held = fin != null && fin.isArray() && !fin.isEmpty() || strategy.holdsDeletion(obj);
            boolean marked = m.hasNonNull("deletionTimestamp");
            long currentGrace = m.path("deletionGracePeriodSeconds").asLong(Long.MAX_VALUE);
            boolean deleteNow = !held && grace == 0;
            // Graceful kinds (pods) are always marked first, so watchers see them Terminating even
            // when they then go at once; others are marked only when something holds them.
            boolean mark = !marked ? held || grace > 0 || strategy.gracefulDeletion() : grace < currentGrace;
            if (marked && !mark && !deleteNow) {
                return new ResourceStore.DeleteResult(resources.servedForm(obj), false);
            }
            if (mark) {
                ObjectNode next = obj.deepCopy();
                ObjectNode nm = StoredForm.meta(next);
                nm.put("deletionTimestamp", Timestamps.format(clock.instant().plusSeconds(grace)));
                nm.put("deletionGracePeriodSeconds", grace);
                strategy.prepareForDeletion(next);
                if (strategy.tracksGeneration()) {
                    nm.put("generation", m.path("generation").asLong(0) + 1);
                }
                if (options.dryRun()) {
                    return new ResourceStore.DeleteResult(resources.servedForm(next), deleteNow);
                }
                try {
                    KeyValue written = store.update(kv.key(), StoredForm.encode(next), kv.modRevision());
                    nm.put("resourceVersion", Long.toString(written.modRevision()));
                    if (!deleteNow) {
                        return new ResourceStore.DeleteResult(resources.servedForm(next), false);
                    }
                    kv = written;
                    obj = next;
                    m = nm;
                } catch (StoreException.RevisionConflict | StoreException.KeyNotFound e) {
                    continue;
                }
            }
            if (options.dryRun()) {
                return new ResourceStore.DeleteResult(resources.servedForm(obj), true);
            }
            try {
                KeyValue gone = store.delete(kv.key(), kv.modRevision());
                m.put("resourceVersion", Long.toString(gone.modRevision()));
                return new ResourceStore.DeleteResult(resources.servedForm(obj), true);
            } catch (StoreException.RevisionConflict e) {
                // changed under us: look again
            } catch (StoreException.KeyNotFound e) {
                throw resources.notFound(name);
            }
        }
        throw new ApiException.Conflict(resources.type().group(), resources.type().plural(), name,
                "the object is being modified too often; please retry");
    }

    private void checkPreconditions(DeleteOptions options, ObjectNode m, String name) {
        String uid = m.path("uid").asString("");
        if (options.preconditionUid() != null && !options.preconditionUid().equals(uid)) {
            throw new ApiException.Conflict(resources.type().group(), resources.type().plural(), name,
                    "Precondition failed: UID in precondition: " + options.preconditionUid()
                            + ", UID in object meta: " + uid);
        }
        String rv = m.path("resourceVersion").asString("");
        if (options.preconditionVersion() != null && !options.preconditionVersion().equals(rv)) {
            throw new ApiException.Conflict(resources.type().group(), resources.type().plural(), name,
                    "Precondition failed: ResourceVersion in precondition: " + options.preconditionVersion()
                            + ", ResourceVersion in object meta: " + rv);
        }
    }
}
