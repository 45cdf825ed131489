package io.kubevisor.apiserver.registry;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.FieldError;
import io.kubevisor.api.JsonValues;
import io.kubevisor.api.resource.ResourceType;
import io.kubevisor.apiserver.auth.authn.UserInfo;
import io.kubevisor.apiserver.meta.Names;
import io.kubevisor.apiserver.meta.ObjectMetaRules;
import io.kubevisor.apiserver.meta.Timestamps;
import io.kubevisor.store.KeyValue;
import io.kubevisor.store.Store;
import io.kubevisor.store.StoreException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one generic registry, serving one resource in one version over the {@link Store}: the
 * object lifecycle every kind shares (system metadata, generation, spec/status separation,
 * optimistic concurrency, finalizers and graceful deletion), with a {@link Strategy} for what
 * differs. Thread-safe; every method blocks on the store.
 */
public final class ResourceStore {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceStore.class);
    private static final int MAX_RETRIES = 16;

    private final ResourceType type;
    private final Strategy strategy;
    private final Store store;
    private final InstantSource clock;
    private final Names names;
    private final FieldTracker tracker;
    private final Admission admission;
    private final Canonicalizer canonicalizer;
    private final String prefix;
    private final SharedDecodes sharedDecodes = new SharedDecodes();

    public ResourceStore(ResourceType type, Strategy strategy, Store store, InstantSource clock, Names names,
                         FieldTracker tracker, Admission admission, Canonicalizer canonicalizer) {
        this.type = type;
        this.strategy = strategy;
        this.store = store;
        this.clock = clock;
        this.names = names;
        this.tracker = tracker;
        this.admission = admission;
        this.canonicalizer = canonicalizer;
        this.prefix = "/registry/" + type.storageName() + "/";
    }

    public ResourceType type() {
        return type;
    }

    public Strategy strategy() {
        return strategy;
    }

    SharedDecodes sharedDecodes() {
        return sharedDecodes;
    }

    /**
     * The encoded form of an event shared by this resource's watchers, computed once per change
     * and rendering.
     */
    public byte[] sharedEventLine(ObjectEvent event, String rendering, java.util.function.Supplier<byte[]> encode) {
        return event.shared() ? sharedDecodes.line(event, rendering, encode) : encode.get();
    }

    Store store() {
        return store;
    }

    // ---- keys and codec ---------------------------------------------------------------------

    /** The key prefix of a namespace's objects, or of all objects when {@code namespace} is empty. */
    String collectionKey(String namespace) {
        return type.namespaced() && !namespace.isEmpty() ? prefix + namespace + "/" : prefix;
    }

    String key(String namespace, String name) {
        return type.namespaced() ? prefix + namespace + "/" + name : prefix + name;
    }

    /** Decodes a stored value into the served version, with its resourceVersion. */
    ObjectNode decode(KeyValue kv) {
        return strategy.fromStorage(StoredForm.decode(kv), type.gvk());
    }

    private ObjectNode served(ObjectNode storageForm) {
        return strategy.fromStorage(storageForm, type.gvk());
    }

    // ---- reads ----------------------------------------------------------------------------

    /** The object, or {@link ApiException.NotFound}. */
    public ObjectNode get(String namespace, String name) {
        return find(namespace, name).orElseThrow(() -> notFound(name));
    }

    public Optional<ObjectNode> find(String namespace, String name) {
        return store.get(key(namespace, name)).map(this::decode);
    }

    public ApiException.NotFound notFound(String name) {
        return new ApiException.NotFound(type.group(), type.plural(), name);
    }

    // ---- create ---------------------------------------------------------------------------

    /**
     * Creates an object. The caller has checked apiVersion/kind and set metadata.namespace.
     *
     * @return the stored object in the served version (not stored on dry run)
     */
    public ObjectNode create(ObjectNode input, WriteOptions options) {
        ObjectNode obj = canonicalizer.canonicalize(strategy.toStorage(input, type.gvk()));
        ObjectNode m = meta(obj);
        if (!m.path("resourceVersion").asString("").isEmpty()) {
            throw new ApiException.BadRequest("resourceVersion should not be set on objects to be created");
        }
        m.remove("deletionTimestamp");
        m.remove("deletionGracePeriodSeconds");
        strategy.applyDefaults(obj);
        boolean generated = false;
        if (m.path("name").asString("").isEmpty() && !m.path("generateName").asString("").isEmpty()) {
            m.put("name", names.generate(m.path("generateName").asString()));
            generated = true;
        }
        m.put("uid", names.uid());
        m.put("creationTimestamp", Timestamps.format(clock.instant()));
        // As in Kubernetes, the name, uid and creation time are known when the strategy prepares.
        strategy.prepareForCreate(obj);
        // Defaults may have written values Go's encoding would omit: canonicalize again.
        canonicalizer.canonicalize(obj);
        m = meta(obj);
        if (strategy.tracksGeneration()) {
            m.put("generation", 1);
        } else {
            m.remove("generation");
        }
        List<FieldError> errs = new ArrayList<>(ObjectMetaRules.validate(obj, type.namespaced(), strategy.nameRule()));
        errs.addAll(strategy.validate(obj));
        if (!errs.isEmpty()) {
            throw invalid(obj, errs);
        }
        admission.admit(AdmissionRequest.create(type, obj, options.user()));
        if (!options.applied()) {
            obj = tracker.recordUpdate(null, obj, options.fieldManager(), "");
        }
        if (options.dryRun()) {
            return served(obj);
        }
        String namespace = m.path("namespace").asString("");
        for (int attempt = 0; ; attempt++) {
            String name = meta(obj).path("name").asString();
            try {
                KeyValue kv = store.create(key(namespace, name), StoredForm.encode(obj));
                LOG.debug("event=created resource={} namespace={} name={} rv={}", type.plural(), namespace, name,
                        kv.modRevision());
                meta(obj).put("resourceVersion", Long.toString(kv.modRevision()));
                return served(obj);
            } catch (StoreException.KeyExists e) {
                // A generated name may collide; Kubernetes retries with a fresh suffix.
                if (!generated || attempt >= 7) {
                    throw new ApiException.AlreadyExists(type.group(), type.plural(), name);
                }
                meta(obj).put("name", names.generate(meta(obj).path("generateName").asString()));
            }
        }
    }

    private ApiException.Invalid invalid(ObjectNode obj, List<FieldError> errs) {
        return new ApiException.Invalid(type.group(), type.kind(), meta(obj).path("name").asString(""), errs);
    }

    // ---- update ---------------------------------------------------------------------------

    /**
     * Replaces an object (PUT). A resourceVersion in the body is a precondition (409 when stale);
     * without one the update is unconditional.
     *
     * @param subresource "" for the main resource, "status" for the status subresource
     */
    public ObjectNode update(String namespace, String name, ObjectNode input, String subresource, WriteOptions options) {
        String rv = input.path("metadata").path("resourceVersion").asString("");
        UpdateResult r = guaranteedUpdate(namespace, name, subresource, options, rv.isEmpty() ? null : rv,
                strategy.allowCreateOnUpdate() && subresource.isEmpty(), existing -> input.deepCopy());
        return r.object();
    }

    /** The result of an update: the object, and whether it was created by it. */
    public record UpdateResult(ObjectNode object, boolean created) {
    }

    /**
     * Reads, transforms and writes an object, retrying when someone else wrote in between
     * (unless a resourceVersion precondition pins the version). Patches use this.
     *
     * @param expectedVersion resourceVersion precondition, or null
     * @param createIfMissing create when absent (PUT of allowCreateOnUpdate kinds, server-side apply);
     *                        the transform then receives null
     * @param transform       from the current object in the served version, without resourceVersion
     *                        (or null when absent), to the desired one
     */
    public UpdateResult guaranteedUpdate(String namespace, String name, String subresource, WriteOptions options,
                                         String expectedVersion, boolean createIfMissing,
                                         UnaryOperator<ObjectNode> transform) {
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            Optional<KeyValue> current = store.get(key(namespace, name));
            if (current.isEmpty()) {
                if (!createIfMissing) {
                    throw notFound(name);
                }
                ObjectNode desired = transform.apply(null);
                checkIdentity(desired, namespace, name);
                meta(desired).remove("resourceVersion");
                try {
                    return new UpdateResult(create(desired, options), true);
                } catch (ApiException.AlreadyExists raced) {
                    continue;
                }
            }
            KeyValue kv = current.get();
            if (expectedVersion != null && !expectedVersion.equals(Long.toString(kv.modRevision()))) {
                throw ApiException.Conflict.stale(type.group(), type.plural(), name);
            }
            ObjectNode old = StoredForm.decode(kv);
            // The transform sees the object without its version, so a version in its result can
            // only come from the client, and is then a precondition.
            ObjectNode currentServed = served(old.deepCopy());
            meta(currentServed).remove("resourceVersion");
            ObjectNode desired = transform.apply(currentServed);
            checkIdentity(desired, namespace, name);
            String bodyRv = desired.path("metadata").path("resourceVersion").asString("");
            if (!bodyRv.isEmpty() && !bodyRv.equals(Long.toString(kv.modRevision()))) {
                throw ApiException.Conflict.stale(type.group(), type.plural(), name);
            }
            ObjectNode next = prepareUpdate(canonicalizer.canonicalize(strategy.toStorage(desired, type.gvk())), old,
                    subresource, options);
            // Before the no-op check, as in Kubernetes: a refused write is refused even when it changes nothing.
            admission.admit(AdmissionRequest.update(type, subresource, next, old, options.user()));
            if (sameContent(next, old)) {
                return new UpdateResult(served(old), false);
            }
            if (options.dryRun()) {
                return new UpdateResult(served(next), false);
            }
            try {
                if (shouldDeleteDuringUpdate(next, old) && !strategy.holdsDeletion(next)) {
                    KeyValue gone = store.delete(kv.key(), kv.modRevision());
                    meta(next).put("resourceVersion", Long.toString(gone.modRevision()));
                    return new UpdateResult(served(next), false);
                }
                KeyValue written = store.update(kv.key(), StoredForm.encode(next), kv.modRevision());
                meta(next).put("resourceVersion", Long.toString(written.modRevision()));
                return new UpdateResult(served(next), false);
            } catch (StoreException.RevisionConflict | StoreException.KeyNotFound e) {
                if (expectedVersion != null || !bodyRv.isEmpty()) {
                    throw ApiException.Conflict.stale(type.group(), type.plural(), name);
                }
                // Someone wrote in between: read again and reapply.
            }
        }
        throw new ApiException.Conflict(type.group(), type.plural(), name,
                "the object is being modified too often; please retry");
    }

    private void checkIdentity(ObjectNode desired, String namespace, String name) {
        if (desired == null) {
            throw new ApiException.InternalError("no object to store");
        }
        ObjectNode m = meta(desired);
        String bodyName = m.path("name").asString("");
        if (bodyName.isEmpty()) {
            m.put("name", name);
        } else if (!bodyName.equals(name)) {
            throw new ApiException.BadRequest("the name of the object (" + bodyName
                    + ") does not match the name on the URL (" + name + ")");
        }
        if (type.namespaced()) {
            String bodyNs = m.path("namespace").asString("");
            if (bodyNs.isEmpty()) {
                m.put("namespace", namespace);
            } else if (!bodyNs.equals(namespace)) {
                throw new ApiException.BadRequest(
                        "the namespace of the provided object does not match the namespace sent on the request");
            }
        }
    }

    private ObjectNode prepareUpdate(ObjectNode obj, ObjectNode old, String subresource, WriteOptions options) {
        ObjectNode m = meta(obj);
        ObjectNode om = meta(old);
        strategy.applyDefaults(obj);
        boolean hasStatus = type.has("status");
        if (subresource.equals("status")) {
            // A status write changes only status (and may not touch labels), as in Kubernetes.
            ObjectNode merged = old.deepCopy();
            JsonNode status = obj.get("status");
            if (status == null) {
                merged.remove("status");
            } else {
                merged.set("status", status);
            }
            JsonNode annotations = m.get("annotations");
            if (annotations == null) {
                meta(merged).remove("annotations");
            } else {
                meta(merged).set("annotations", annotations);
            }
            meta(merged).remove("managedFields");
            if (m.has("managedFields")) {
                meta(merged).set("managedFields", m.get("managedFields"));
            }
            obj = merged;
            m = meta(obj);
        } else if (subresource.equals("binding")) {
            // A binding is the server's own change of spec.nodeName and status: it comes whole.
        } else {
            if (hasStatus) {
                JsonNode status = old.get("status");
                if (status == null) {
                    obj.remove("status");
                } else {
                    obj.set("status", status.deepCopy());
                }
            }
            if (!subresource.equals("finalize")) {
                strategy.prepareForUpdate(obj, old);
            }
        }
        copy(om, m, "creationTimestamp");
        copy(om, m, "deletionTimestamp");
        copy(om, m, "deletionGracePeriodSeconds");
        if (m.path("uid").asString("").isEmpty()) {
            copy(om, m, "uid");
        }
        if (strategy.tracksGeneration()) {
            long gen = om.path("generation").asLong(1);
            if (specChanged(obj, old)) {
                m.put("generation", gen + 1);
            } else if (om.has("generation")) {
                // The stored node as is: a long in place of the stored int would make a no-op write look like a change.
                copy(om, m, "generation");
            } else {
                m.put("generation", gen);
            }
        } else {
            copy(om, m, "generation");
        }
        obj = canonicalizer.canonicalize(obj);
        List<FieldError> errs = new ArrayList<>(ObjectMetaRules.validateUpdate(obj, old, type.namespaced(),
                strategy.nameRule()));
        if (!subresource.equals("binding")) {
            errs.addAll(strategy.validateUpdate(obj, old));
        }
        if (!errs.isEmpty()) {
            throw invalid(obj, errs);
        }
        return options.applied() ? obj : tracker.recordUpdate(old, obj, options.fieldManager(), subresource);
    }

    private static void copy(ObjectNode from, ObjectNode to, String field) {
        JsonNode v = from.get(field);
        if (v == null) {
            to.remove(field);
        } else {
            to.set(field, v.deepCopy());
        }
    }

    /** Whether anything but metadata and status differs. */
    private static boolean specChanged(ObjectNode a, ObjectNode b) {
        ObjectNode x = a.deepCopy();
        ObjectNode y = b.deepCopy();
        for (ObjectNode o : List.of(x, y)) {
            o.remove("metadata");
            o.remove("status");
        }
        return !JsonValues.equal(x, y);
    }

    private static boolean sameContent(ObjectNode next, ObjectNode old) {
        ObjectNode x = next.deepCopy();
        ObjectNode y = old.deepCopy();
        for (ObjectNode o : List.of(x, y)) {
            ObjectNode m = meta(o);
            m.remove("resourceVersion");
            // managedFields timestamps move on every write; a no-op write must not bump the version.
            if (m.get("managedFields") instanceof tools.jackson.databind.node.ArrayNode mf) {
                for (JsonNode e : mf) {
                    if (e instanceof ObjectNode eo) {
                        eo.remove("time");
                    }
                }
            }
        }
        return JsonValues.equal(x, y);
    }

    private static boolean shouldDeleteDuringUpdate(ObjectNode next, ObjectNode old) {
        ObjectNode om = meta(old);
        JsonNode fin = meta(next).get("finalizers");
        boolean noFinalizers = fin == null || !fin.isArray() || fin.isEmpty();
        return noFinalizers && om.hasNonNull("deletionTimestamp") && om.path("deletionGracePeriodSeconds").asLong(-1) == 0;
    }

    // ---- delete ---------------------------------------------------------------------------

    /** The outcome of a delete: the object as last seen, and whether it is gone already. */
    public record DeleteResult(ObjectNode object, boolean deleted) {
    }

    /**
     * Deletes an object, or marks it for deletion when finalizers or a grace period hold it; the
     * server's own delete (no client asked for it).
     */
    public DeleteResult delete(String namespace, String name, DeleteOptions options) {
        return delete(namespace, name, options, UserInfo.apiServer());
    }

    /**
     * Deletes an object on behalf of {@code user} (admission sees the stored object first), or
     * marks it for deletion when finalizers or a grace period hold it.
     */
    public DeleteResult delete(String namespace, String name, DeleteOptions options, UserInfo user) {
        return new Deletion(this, store, clock).delete(key(namespace, name), name, options,
                existing -> admission.admit(AdmissionRequest.delete(type, existing, user)));
    }

    ObjectNode servedForm(ObjectNode storageForm) {
        return served(storageForm);
    }

    static ObjectNode meta(ObjectNode o) {
        return StoredForm.meta(o);
    }
}
