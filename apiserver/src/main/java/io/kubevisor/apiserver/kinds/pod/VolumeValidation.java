package io.kubevisor.apiserver.kinds.pod;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.quantity.ResourceLists;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import tools.jackson.databind.JsonNode;

/** Checks of pod volumes and of containers' volume mounts (ValidateVolumes, ValidateVolumeMounts). */
final class VolumeValidation {

    /** The sources in the order Kubernetes examines them; the second and later are "more than 1". */
    private static final List<String> ORDER = List.of("emptyDir", "hostPath", "gitRepo", "gcePersistentDisk",
            "awsElasticBlockStore", "secret", "nfs", "iscsi", "glusterfs", "flexVolume", "persistentVolumeClaim",
            "rbd", "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "vsphereVolume",
            "photonPersistentDisk", "portworxVolume", "azureDisk", "storageos", "configMap", "quobyte", "scaleIO",
            "projected", "csi", "ephemeral", "image");
    private static final List<String> HOST_PATH_TYPES = List.of("", "BlockDevice", "CharDevice", "Directory",
            "DirectoryOrCreate", "File", "FileOrCreate", "Socket");
    private static final String FILE_MODE = "must be a number between 0 and 0777 (octal), both inclusive";

    private VolumeValidation() {
    }

    /** Validates the volumes; returns the valid ones by name (mounts may only use those). */
    static Map<String, JsonNode> volumes(List<FieldError> errs, String path, JsonNode spec) {
        Map<String, JsonNode> valid = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        List<JsonNode> vols = Nodes.elements(spec, "volumes");
        for (int i = 0; i < vols.size(); i++) {
            JsonNode v = vols.get(i);
            String p = Rules.index(path, i);
            List<FieldError> el = new java.util.ArrayList<>();
            source(el, p, v);
            String name = Nodes.text(v, "name");
            if (name.isEmpty()) {
                el.add(FieldError.required(p + ".name", ""));
            } else {
                Rules.dns1123Label(el, p + ".name", name);
            }
            if (names.contains(name)) {
                el.add(FieldError.duplicate(p + ".name", name));
            }
            if (el.isEmpty()) {
                names.add(name);
                valid.put(name, v);
            } else {
                errs.addAll(el);
            }
        }
        return valid;
    }

    private static void source(List<FieldError> errs, String p, JsonNode v) {
        int count = 0;
        for (String type : ORDER) {
            if (!Nodes.has(v, type)) {
                continue;
            }
            if (count++ > 0) {
                errs.add(FieldError.forbidden(p + "." + type, "may not specify more than 1 volume type"));
                continue;
            }
            JsonNode s = v.get(type);
            String sp = p + "." + type;
            switch (type) {
                case "emptyDir" -> ResourceLists.get(s, "sizeLimit").filter(q -> q.signum() < 0).ifPresent(q ->
                        errs.add(FieldError.forbidden(sp + ".sizeLimit",
                                "SizeLimit field must be a valid resource quantity")));
                case "hostPath" -> {
                    String path = Nodes.text(s, "path");
                    if (path.isEmpty()) {
                        errs.add(FieldError.required(sp + ".path", ""));
                    } else {
                        noBacksteps(errs, sp + ".path", path);
                        String t = Nodes.text(s, "type");
                        if (!HOST_PATH_TYPES.contains(t)) {
                            errs.add(FieldError.notSupported(sp + ".type", t, HOST_PATH_TYPES));
                        }
                    }
                }
                case "secret" -> {
                    required(errs, sp, s, "secretName");
                    mode(errs, sp + ".defaultMode", s, "defaultMode");
                    keyToPaths(errs, sp + ".items", s);
                }
                case "configMap" -> {
                    required(errs, sp, s, "name");
                    mode(errs, sp + ".defaultMode", s, "defaultMode");
                    keyToPaths(errs, sp + ".items", s);
                }
                case "persistentVolumeClaim" -> required(errs, sp, s, "claimName");
                case "nfs" -> {
                    required(errs, sp, s, "server");
                    String path = Nodes.text(s, "path");
                    if (path.isEmpty()) {
                        errs.add(FieldError.required(sp + ".path", ""));
                    } else if (!path.startsWith("/")) {
                        errs.add(FieldError.invalid(sp + ".path", path, "must be an absolute path"));
                    }
                }
                case "downwardAPI" -> {
                    mode(errs, sp + ".defaultMode", s, "defaultMode");
                    downwardItems(errs, sp + ".items", s);
                }
                case "projected" -> mode(errs, sp + ".defaultMode", s, "defaultMode");
                case "csi" -> required(errs, sp, s, "driver");
                case "ephemeral" -> {
                    if (!Nodes.has(s, "volumeClaimTemplate")) {
                        errs.add(FieldError.required(sp + ".volumeClaimTemplate", ""));
                    }
                }
                default -> {
                }
            }
        }
        if (count == 0) {
            errs.add(FieldError.required(p, "must specify a volume type"));
        }
    }

    private static void required(List<FieldError> errs, String p, JsonNode s, String field) {
        if (Nodes.text(s, field).isEmpty()) {
            errs.add(FieldError.required(p + "." + field, ""));
        }
    }

    private static void mode(List<FieldError> errs, String p, JsonNode s, String field) {
        if (Nodes.has(s, field)) {
            long m = s.get(field).asLong();
            if (m < 0 || m > 0777) {
                errs.add(FieldError.invalid(p, m, FILE_MODE));
            }
        }
    }

    private static void keyToPaths(List<FieldError> errs, String path, JsonNode s) {
        List<JsonNode> items = Nodes.elements(s, "items");
        for (int i = 0; i < items.size(); i++) {
            JsonNode kp = items.get(i);
            String p = Rules.index(path, i);
            if (Nodes.text(kp, "key").isEmpty()) {
                errs.add(FieldError.required(p + ".key", ""));
            }
            localPath(errs, p + ".path", Nodes.text(kp, "path"));
            mode(errs, p + ".mode", kp, "mode");
        }
    }

    private static void downwardItems(List<FieldError> errs, String path, JsonNode s) {
        List<JsonNode> items = Nodes.elements(s, "items");
        for (int i = 0; i < items.size(); i++) {
            JsonNode f = items.get(i);
            String p = Rules.index(path, i);
            localPath(errs, p + ".path", Nodes.text(f, "path"));
            boolean field = Nodes.has(f, "fieldRef");
            boolean resource = Nodes.has(f, "resourceFieldRef");
            if (field) {
                EnvValidation.fieldRef(errs, p + ".fieldRef", f.get("fieldRef"), EnvValidation.VOLUME_FIELD_PATHS);
            }
            if (field && resource) {
                errs.add(FieldError.invalid(p, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"));
            } else if (!field && !resource) {
                errs.add(FieldError.required(p, "one of fieldRef and resourceFieldRef is required"));
            }
            mode(errs, p + ".mode", f, "mode");
        }
    }

    /** A path inside the volume: required, relative, without "..". */
    private static void localPath(List<FieldError> errs, String p, String path) {
        if (path.isEmpty()) {
            errs.add(FieldError.required(p, ""));
        }
        descending(errs, p, path);
        if (path.startsWith("..") && !path.startsWith("../")) {
            errs.add(FieldError.invalid(p, path, "must not start with '..'"));
        }
    }

    private static void descending(List<FieldError> errs, String p, String path) {
        if (path.startsWith("/")) {
            errs.add(FieldError.invalid(p, path, "must be a relative path"));
        }
        noBacksteps(errs, p, path);
    }

    private static void noBacksteps(List<FieldError> errs, String p, String path) {
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                errs.add(FieldError.invalid(p, path, "must not contain '..'"));
                return;
            }
        }
    }

    /** A container's volume mounts: known volume, unique mount path, relative sub-paths. */
    static void mounts(List<FieldError> errs, String path, JsonNode c, Map<String, JsonNode> volumes) {
        Set<String> mountPoints = new HashSet<>();
        List<JsonNode> mounts = Nodes.elements(c, "volumeMounts");
        for (int i = 0; i < mounts.size(); i++) {
            JsonNode m = mounts.get(i);
            String p = Rules.index(path, i);
            String name = Nodes.text(m, "name");
            if (name.isEmpty()) {
                errs.add(FieldError.required(p + ".name", ""));
            }
            if (!volumes.containsKey(name)) {
                errs.add(Rules.notFound(p + ".name", name));
            }
            String mountPath = Nodes.text(m, "mountPath");
            if (mountPath.isEmpty()) {
                errs.add(FieldError.required(p + ".mountPath", ""));
            }
            if (!mountPoints.add(mountPath)) {
                errs.add(FieldError.invalid(p + ".mountPath", mountPath, "must be unique"));
            }
            String subPath = Nodes.text(m, "subPath");
            if (!subPath.isEmpty()) {
                descending(errs, path + ".subPath", subPath);
            }
            String expr = Nodes.text(m, "subPathExpr");
            if (!expr.isEmpty()) {
                if (!subPath.isEmpty()) {
                    errs.add(FieldError.invalid(p + ".subPathExpr", expr, "subPathExpr and subPath are mutually exclusive"));
                }
                descending(errs, path + ".subPathExpr", expr);
            }
        }
    }
}
