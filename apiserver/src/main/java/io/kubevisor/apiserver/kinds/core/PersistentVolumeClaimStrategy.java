package io.kubevisor.apiserver.kinds.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.pod.ClaimSpecDefaults;
import io.kubevisor.apiserver.kinds.quantity.Quantity;
import io.kubevisor.apiserver.kinds.quantity.ResourceLists;
import io.kubevisor.apiserver.kinds.support.Decoding;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * PersistentVolumeClaims: volumeMode Filesystem and phase Pending by default; access modes and a
 * storage request required; the spec immutable except the storage request of bound claims, which
 * may only grow. Stateless.
 */
public final class PersistentVolumeClaimStrategy implements Strategy {

    private static final List<String> ACCESS_MODES = List.of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce",
            "ReadWriteOncePod");
    private static final List<String> VOLUME_MODES = List.of("Block", "Filesystem");

    @Override
    public void applyDefaults(ObjectNode obj) {
        Decoding.guard(obj, () -> {
            ClaimSpecDefaults.apply(Nodes.object(obj, "spec"));
            if (obj.get("status") instanceof ObjectNode status) {
                ResourceLists.canonicalize(status, "capacity");
                ResourceLists.canonicalize(status, "allocatedResources");
            }
        });
        Nodes.defaultText(Nodes.object(obj, "status"), "phase", "Pending");
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        obj.putObject("status").put("phase", "Pending");
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        return spec(obj.path("spec"), "spec");
    }

    /** ValidatePersistentVolumeClaimSpec; also used for StatefulSet claim templates. */
    public static List<FieldError> spec(JsonNode spec, String path) {
        List<FieldError> errs = new ArrayList<>();
        List<String> modes = Nodes.strings(spec, "accessModes");
        if (modes.isEmpty()) {
            errs.add(FieldError.required(path + ".accessModes", "at least 1 access mode is required"));
        }
        if (Nodes.has(spec, "selector")) {
            Rules.labelSelector(errs, path + ".selector", spec.get("selector"));
        }
        boolean rwop = false;
        boolean other = false;
        for (String mode : modes) {
            if (!ACCESS_MODES.contains(mode)) {
                errs.add(FieldError.notSupported(path + ".accessModes", mode, ACCESS_MODES));
            }
            rwop |= mode.equals("ReadWriteOncePod");
            other |= !mode.equals("ReadWriteOncePod") && ACCESS_MODES.contains(mode);
        }
        if (rwop && other) {
            errs.add(FieldError.forbidden(path + ".accessModes", "may not use ReadWriteOncePod with other access modes"));
        }
        String storagePath = Rules.key(path + ".resources", "storage");
        Optional<Quantity> storage = ResourceLists.get(spec.path("resources").get("requests"), "storage");
        if (storage.isEmpty()) {
            errs.add(FieldError.required(storagePath, ""));
        } else if (storage.get().signum() <= 0) {
            errs.add(FieldError.invalid(storagePath, storage.get().toString(), Rules.NOT_POSITIVE));
        }
        String storageClass = Nodes.text(spec, "storageClassName");
        if (!storageClass.isEmpty()) {
            Rules.dns1123Subdomain(errs, path + ".storageClassName", storageClass);
        }
        if (Nodes.has(spec, "volumeMode") && !VOLUME_MODES.contains(Nodes.text(spec, "volumeMode"))) {
            errs.add(FieldError.notSupported(path + ".volumeMode", Nodes.text(spec, "volumeMode"), VOLUME_MODES));
        }
        return errs;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(validate(obj));
        ObjectNode spec = obj.path("spec") instanceof ObjectNode s ? s.deepCopy() : JsonNodeFactory.instance.objectNode();
        ObjectNode oldSpec = old.path("spec") instanceof ObjectNode s ? s.deepCopy() : JsonNodeFactory.instance.objectNode();
        if (Nodes.text(oldSpec, "volumeName").isEmpty()) {
            // The volume name may be set once, by the binder.
            copy(spec, oldSpec, "volumeName");
        }
        if ("Bound".equals(Nodes.text(obj.path("status"), "phase"))) {
            JsonNode oldStorage = oldSpec.path("resources").path("requests").get("storage");
            ObjectNode requests = Nodes.object(Nodes.object(spec, "resources"), "requests");
            if (oldStorage == null) {
                requests.remove("storage");
            } else {
                requests.set("storage", oldStorage.deepCopy());
            }
        }
        if (!Nodes.semanticEquals(spec, oldSpec)) {
            errs.add(FieldError.forbidden("spec",
                    "spec is immutable after creation except resources.requests for bound claims"));
        }
        Optional<Quantity> size = ResourceLists.get(obj.path("spec").path("resources").get("requests"), "storage");
        Optional<Quantity> oldSize = ResourceLists.get(old.path("spec").path("resources").get("requests"), "storage");
        Optional<Quantity> capacity = ResourceLists.get(old.path("status").get("capacity"), "storage");
        // Since 1.32 a claim may shrink back towards its actual capacity, to recover from failed expansions.
        if (size.isPresent() && oldSize.isPresent() && size.get().compareTo(oldSize.get()) < 0
                && (capacity.isEmpty() || size.get().compareTo(capacity.get()) <= 0)) {
            errs.add(FieldError.forbidden("spec.resources.requests.storage", "field can not be less than status.capacity"));
        }
        return errs;
    }

    private static void copy(ObjectNode from, ObjectNode to, String field) {
        JsonNode v = from.get(field);
        if (v == null) {
            to.remove(field);
        } else {
            to.set(field, v.deepCopy());
        }
    }

    @Override
    public boolean returnDeletedObject() {
        return true;
    }
}
