package io.kubevisor.apiserver.kinds.pod;

import java.util.List;

import io.kubevisor.apiserver.kinds.quantity.ResourceLists;
import io.kubevisor.apiserver.kinds.support.Nodes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' defaults for a pod spec, shared by pods and every pod template: SetDefaults_PodSpec,
 * the container and volume defaults, the serviceAccount/serviceAccountName pairing of the v1
 * conversion, and the pod-only SetDefaults_Pod. Mirrors what {@code kubectl get -o yaml} shows.
 */
public final class PodSpecDefaults {

    private static final String[] CONTAINER_LISTS = {"initContainers", "containers", "ephemeralContainers"};
    /** Volume sources whose files get mode 0644 unless told otherwise. */
    private static final String[] MODE_SOURCES = {"secret", "configMap", "downwardAPI", "projected"};
    /** Every volume source field of v1.VolumeSource. */
    static final List<String> VOLUME_SOURCES = List.of("hostPath", "emptyDir", "gcePersistentDisk",
            "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd",
            "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap",
            "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume",
            "scaleIO", "storageos", "csi", "ephemeral", "image");

    private PodSpecDefaults() {
    }

    /**
     * Defaults of a pod spec that apply to pods and templates alike.
     *
     * @throws io.kubevisor.apiserver.kinds.quantity.QuantityFormatException for malformed quantities
     */
    public static void apply(ObjectNode spec) {
        Nodes.dropZero(spec, "hostNetwork", "hostPID", "hostIPC", "nodeName", "serviceAccountName",
                "serviceAccount", "hostname", "subdomain", "schedulerName", "priorityClassName", "dnsPolicy",
                "restartPolicy");
        Nodes.defaultText(spec, "dnsPolicy", "ClusterFirst");
        Nodes.defaultText(spec, "restartPolicy", "Always");
        if (!Nodes.has(spec, "securityContext")) {
            spec.putObject("securityContext");
        }
        Nodes.defaultNumber(spec, "terminationGracePeriodSeconds", 30);
        Nodes.defaultText(spec, "schedulerName", "default-scheduler");
        // v1 keeps the deprecated serviceAccount in step with serviceAccountName.
        if (Nodes.text(spec, "serviceAccountName").isEmpty() && !Nodes.text(spec, "serviceAccount").isEmpty()) {
            spec.put("serviceAccountName", Nodes.text(spec, "serviceAccount"));
        }
        if (!Nodes.text(spec, "serviceAccountName").isEmpty()) {
            spec.put("serviceAccount", Nodes.text(spec, "serviceAccountName"));
        }
        for (String list : CONTAINER_LISTS) {
            for (ObjectNode c : Nodes.objects(spec, list)) {
                ContainerDefaults.apply(c);
            }
        }
        for (ObjectNode v : Nodes.objects(spec, "volumes")) {
            volume(v);
        }
        ResourceLists.canonicalize(spec, "overhead");
        if (Nodes.objectOrNull(spec, "resources") instanceof ObjectNode res) {
            ResourceLists.canonicalize(res, "requests");
            ResourceLists.canonicalize(res, "limits");
        }
    }

    /**
     * SetDefaults_Pod: requests default to limits, service links are on, and host-network pods
     * publish their container ports on the host. Pods only, never templates.
     */
    public static void applyPodOnly(ObjectNode spec) {
        for (String list : new String[] {"containers", "initContainers"}) {
            for (ObjectNode c : Nodes.objects(spec, list)) {
                ObjectNode res = Nodes.object(c, "resources");
                if (Nodes.objectOrNull(res, "limits") instanceof ObjectNode limits && !limits.isEmpty()) {
                    ObjectNode requests = Nodes.object(res, "requests");
                    for (var e : limits.properties()) {
                        if (!requests.has(e.getKey())) {
                            requests.set(e.getKey(), e.getValue().deepCopy());
                        }
                    }
                }
            }
        }
        Nodes.defaultBoolean(spec, "enableServiceLinks", true);
        if (Nodes.isTrue(spec, "hostNetwork")) {
            for (String list : new String[] {"containers", "initContainers"}) {
                for (ObjectNode c : Nodes.objects(spec, list)) {
                    for (ObjectNode p : Nodes.objects(c, "ports")) {
                        if (Nodes.number(p, "hostPort", 0) == 0 && p.has("containerPort")) {
                            p.set("hostPort", p.get("containerPort").deepCopy());
                        }
                    }
                }
            }
        }
    }

    static void volume(ObjectNode v) {
        boolean hasSource = false;
        for (String s : VOLUME_SOURCES) {
            hasSource |= Nodes.has(v, s);
        }
        if (!hasSource) {
            v.putObject("emptyDir");
        }
        for (String s : MODE_SOURCES) {
            if (Nodes.objectOrNull(v, s) instanceof ObjectNode src) {
                Nodes.defaultNumber(src, "defaultMode", 420);
            }
        }
        if (Nodes.objectOrNull(v, "downwardAPI") instanceof ObjectNode d) {
            downwardItems(d);
        }
        if (Nodes.objectOrNull(v, "projected") instanceof ObjectNode proj) {
            for (ObjectNode src : Nodes.objects(proj, "sources")) {
                if (Nodes.objectOrNull(src, "downwardAPI") instanceof ObjectNode d) {
                    downwardItems(d);
                }
                if (Nodes.objectOrNull(src, "serviceAccountToken") instanceof ObjectNode t) {
                    Nodes.defaultNumber(t, "expirationSeconds", 3600);
                }
            }
        }
        if (Nodes.objectOrNull(v, "hostPath") instanceof ObjectNode hp && !hp.hasNonNull("type")) {
            hp.put("type", "");
        }
        if (Nodes.objectOrNull(v, "emptyDir") instanceof ObjectNode ed) {
            Nodes.dropZero(ed, "medium");
            ResourceLists.canonicalizeOne(ed, "sizeLimit");
        }
        if (Nodes.objectOrNull(v, "iscsi") instanceof ObjectNode iscsi) {
            Nodes.defaultText(iscsi, "iscsiInterface", "default");
        }
        if (Nodes.objectOrNull(v, "rbd") instanceof ObjectNode rbd) {
            Nodes.defaultText(rbd, "pool", "rbd");
            Nodes.defaultText(rbd, "user", "admin");
            Nodes.defaultText(rbd, "keyring", "/etc/ceph/keyring");
        }
        if (Nodes.objectOrNull(v, "azureDisk") instanceof ObjectNode ad) {
            Nodes.defaultText(ad, "cachingMode", "ReadWrite");
            Nodes.defaultText(ad, "fsType", "ext4");
            Nodes.defaultBoolean(ad, "readOnly", false);
            Nodes.defaultText(ad, "kind", "Shared");
        }
        if (Nodes.objectOrNull(v, "scaleIO") instanceof ObjectNode sio) {
            Nodes.defaultText(sio, "storageMode", "ThinProvisioned");
            Nodes.defaultText(sio, "fsType", "xfs");
        }
        if (Nodes.objectOrNull(v, "image") instanceof ObjectNode img && Nodes.text(img, "pullPolicy").isEmpty()) {
            img.put("pullPolicy", ImageNames.defaultPullPolicy(Nodes.text(img, "reference")));
        }
        if (Nodes.objectOrNull(v, "ephemeral") instanceof ObjectNode eph
                && Nodes.objectOrNull(eph, "volumeClaimTemplate") instanceof ObjectNode vct) {
            ObjectNode vctSpec = Nodes.object(vct, "spec");
            ClaimSpecDefaults.apply(vctSpec);
        }
        for (String s : VOLUME_SOURCES) {
            if (Nodes.objectOrNull(v, s) instanceof ObjectNode src) {
                Nodes.dropZero(src, "readOnly");
            }
        }
    }

    private static void downwardItems(ObjectNode d) {
        for (ObjectNode item : Nodes.objects(d, "items")) {
            ContainerDefaults.fieldRef(Nodes.objectOrNull(item, "fieldRef"));
            ContainerDefaults.resourceFieldRef(Nodes.objectOrNull(item, "resourceFieldRef"));
        }
    }

    /** Whether the volume names a source (at least one known source field). */
    static boolean hasSource(JsonNode v) {
        return VOLUME_SOURCES.stream().anyMatch(s -> Nodes.has(v, s));
    }
}
