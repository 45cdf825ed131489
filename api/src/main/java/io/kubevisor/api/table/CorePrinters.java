package io.kubevisor.api.table;

import static io.kubevisor.api.table.ColumnDefinition.ageColumn;
import static io.kubevisor.api.table.ColumnDefinition.nameColumn;
import static io.kubevisor.api.table.ColumnDefinition.string;
import static io.kubevisor.api.table.ColumnDefinition.wide;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import tools.jackson.databind.JsonNode;

/** Printers for core/v1 kinds other than pods and events. */
final class CorePrinters {

    private CorePrinters() {
    }

    static TablePrinter namespaces() {
        return new RowPrinter(List.of(nameColumn(), string("Status", "The status of the namespace"), ageColumn()),
                (o, now) -> List.of(Cells.name(o), Cells.text(o, "/status/phase"), Cells.age(o, now)));
    }

    static TablePrinter configMaps() {
        return new RowPrinter(List.of(nameColumn(), string("Data", "Data contains the configuration data."), ageColumn()),
                (o, now) -> List.of(Cells.name(o), (long) (o.path("data").size() + o.path("binaryData").size()),
                        Cells.age(o, now)));
    }

    static TablePrinter secrets() {
        return new RowPrinter(List.of(nameColumn(), string("Type", "Used to facilitate programmatic handling of secret data."),
                string("Data", "Data contains the secret data."), ageColumn()),
                (o, now) -> List.of(Cells.name(o), Cells.text(o, "/type"), (long) o.path("data").size(),
                        Cells.age(o, now)));
    }

    static TablePrinter serviceAccounts() {
        return new RowPrinter(List.of(nameColumn(), string("Secrets", "Secrets is a list of the secrets in the same "
                        + "namespace that pods running using this ServiceAccount are allowed to use."), ageColumn()),
                (o, now) -> List.of(Cells.name(o), (long) o.path("secrets").size(), Cells.age(o, now)));
    }

    static TablePrinter nodes() {
        return new RowPrinter(List.of(nameColumn(), string("Status", "The status of the node"),
                string("Roles", "The roles of the node"), ageColumn(),
                string("Version", "Kubelet Version reported by the node."),
                wide("Internal-IP", "List of addresses reachable to the node."),
                wide("External-IP", "List of addresses reachable to the node."),
                wide("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
                wide("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
                wide("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API "
                        + "(e.g. containerd://1.4.2).")),
                (o, now) -> {
                    List<String> status = new ArrayList<>();
                    for (JsonNode c : o.at("/status/conditions")) {
                        if (c.path("type").asString("").equals("Ready")) {
                            status.add(c.path("status").asString("").equals("True") ? "Ready" : "NotReady");
                        }
                    }
                    if (status.isEmpty()) {
                        status.add("Unknown");
                    }
                    if (o.at("/spec/unschedulable").asBoolean(false)) {
                        status.add("SchedulingDisabled");
                    }
                    JsonNode info = o.at("/status/nodeInfo");
                    return List.of(Cells.name(o), String.join(",", status), Cells.orNone(String.join(",", roles(o))),
                            Cells.age(o, now), info.path("kubeletVersion").asString(""),
                            address(o, "InternalIP"), address(o, "ExternalIP"),
                            unknownIfEmpty(info.path("osImage").asString("")),
                            unknownIfEmpty(info.path("kernelVersion").asString("")),
                            unknownIfEmpty(info.path("containerRuntimeVersion").asString("")));
                });
    }

    private static TreeSet<String> roles(JsonNode node) {
        TreeSet<String> roles = new TreeSet<>();
        for (Map.Entry<String, JsonNode> e : node.at("/metadata/labels").properties()) {
            String k = e.getKey();
            if (k.startsWith("node-role.kubernetes.io/") && k.length() > "node-role.kubernetes.io/".length()) {
                roles.add(k.substring("node-role.kubernetes.io/".length()));
            } else if (k.equals("kubernetes.io/role") && !e.getValue().asString("").isEmpty()) {
                roles.add(e.getValue().asString(""));
            }
        }
        return roles;
    }

    private static String address(JsonNode node, String type) {
        for (JsonNode a : node.at("/status/addresses")) {
            if (a.path("type").asString("").equals(type)) {
                return a.path("address").asString("");
            }
        }
        return Cells.NONE;
    }

    private static String unknownIfEmpty(String s) {
        return s.isEmpty() ? "<unknown>" : s;
    }

    static TablePrinter services() {
        return new RowPrinter(List.of(nameColumn(), string("Type", "type determines how the Service is exposed."),
                string("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly."),
                string("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will "
                        + "also accept traffic for this service."),
                string("Port(s)", "The list of ports that are exposed by this service."), ageColumn(),
                wide("Selector", "Route service traffic to pods with label keys and values matching this selector.")),
                (o, now) -> {
                    JsonNode spec = o.path("spec");
                    JsonNode ips = spec.path("clusterIPs");
                    // Kubernetes always fills clusterIPs from clusterIP; read either.
                    String clusterIP = ips.size() > 0 ? ips.get(0).asString("") : spec.path("clusterIP").asString("");
                    List<String> ports = new ArrayList<>();
                    for (JsonNode p : spec.path("ports")) {
                        long nodePort = p.path("nodePort").asLong(0);
                        String protocol = p.path("protocol").asString("");
                        ports.add(nodePort > 0 ? p.path("port").asLong(0) + ":" + nodePort + "/" + protocol
                                : p.path("port").asLong(0) + "/" + protocol);
                    }
                    return List.of(Cells.name(o), spec.path("type").asString(""), Cells.orNone(clusterIP),
                            externalIP(o), Cells.orNone(String.join(",", ports)), Cells.age(o, now),
                            Cells.labels(spec.path("selector")));
                });
    }

    private static String externalIP(JsonNode svc) {
        JsonNode spec = svc.path("spec");
        List<String> external = new ArrayList<>();
        spec.path("externalIPs").forEach(ip -> external.add(ip.asString("")));
        return switch (spec.path("type").asString("")) {
            case "ClusterIP", "NodePort" -> external.isEmpty() ? Cells.NONE : String.join(",", external);
            case "LoadBalancer" -> {
                // The server prints wide, so the load-balancer list is never clipped.
                TreeSet<String> lb = new TreeSet<>();
                for (JsonNode ing : svc.at("/status/loadBalancer/ingress")) {
                    String ip = ing.path("ip").asString("");
                    String host = ing.path("hostname").asString("");
                    if (!ip.isEmpty()) {
                        lb.add(ip);
                    } else if (!host.isEmpty()) {
                        lb.add(host);
                    }
                }
                List<String> all = new ArrayList<>(lb);
                all.addAll(external);
                yield all.isEmpty() ? "<pending>" : String.join(",", all);
            }
            case "ExternalName" -> spec.path("externalName").asString("");
            default -> "<unknown>";
        };
    }

    static TablePrinter endpoints() {
        return new RowPrinter(List.of(nameColumn(), string("Endpoints", "The set of all endpoints is the union of all "
                        + "subsets."), ageColumn()),
                (o, now) -> List.of(Cells.name(o), formatEndpoints(o), Cells.age(o, now)));
    }

    /** At most three ip:port pairs, then "+ N more...". */
    private static String formatEndpoints(JsonNode ep) {
        JsonNode subsets = ep.path("subsets");
        if (subsets.isEmpty()) {
            return Cells.NONE;
        }
        List<String> list = new ArrayList<>();
        int max = 3;
        boolean more = false;
        int count = 0;
        for (JsonNode ss : subsets) {
            JsonNode addresses = ss.path("addresses");
            if (ss.path("ports").isEmpty()) {
                count += addresses.size();
                for (JsonNode a : addresses) {
                    if (list.size() == max) {
                        more = true;
                        break;
                    }
                    list.add(a.path("ip").asString(""));
                }
                continue;
            }
            for (JsonNode port : ss.path("ports")) {
                count += addresses.size();
                for (JsonNode a : addresses) {
                    if (list.size() == max) {
                        more = true;
                        break;
                    }
                    list.add(hostPort(a.path("ip").asString(""), port.path("port").asLong(0)));
                }
            }
        }
        String joined = String.join(",", list);
        return more ? joined + " + " + (count - max) + " more..." : joined;
    }

    private static String hostPort(String host, long port) {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }

    static TablePrinter persistentVolumeClaims() {
        return new RowPrinter(List.of(nameColumn(), string("Status", "phase represents the current phase of "
                        + "PersistentVolumeClaim."),
                string("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
                string("Capacity", "capacity represents the actual resources of the underlying volume."),
                string("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has."),
                string("StorageClass", "StorageClass of the pvc"),
                string("VolumeAttributesClass", "VolumeAttributesClass of the pvc"), ageColumn(),
                wide("VolumeMode", "volumeMode defines what type of volume is required by the claim.")),
                (o, now) -> {
                    JsonNode spec = o.path("spec");
                    String phase = o.at("/metadata/deletionTimestamp").isString()
                            ? "Terminating" : Cells.text(o, "/status/phase");
                    String volumeName = spec.path("volumeName").asString("");
                    String capacity = "";
                    String modes = "";
                    if (!volumeName.isEmpty()) {
                        modes = accessModes(o.at("/status/accessModes"));
                        capacity = Cells.quantity(o.at("/status/capacity/storage"));
                    }
                    String storageClass = o.at("/metadata/annotations/volume.beta.kubernetes.io~1storage-class")
                            .asString(spec.path("storageClassName").asString(""));
                    String vac = spec.path("volumeAttributesClassName").isString()
                            ? spec.path("volumeAttributesClassName").asString() : "<unset>";
                    String mode = spec.path("volumeMode").isString() ? spec.path("volumeMode").asString() : "<unset>";
                    return List.of(Cells.name(o), phase, volumeName, capacity, modes, storageClass, vac,
                            Cells.age(o, now), mode);
                });
    }

    /** Access modes abbreviated in Kubernetes' fixed order: RWO, ROX, RWX, RWOP. */
    static String accessModes(JsonNode modes) {
        List<String> present = new ArrayList<>();
        modes.forEach(m -> present.add(m.asString("")));
        List<String> out = new ArrayList<>();
        String[][] order = {{"ReadWriteOnce", "RWO"}, {"ReadOnlyMany", "ROX"}, {"ReadWriteMany", "RWX"},
                {"ReadWriteOncePod", "RWOP"}};
        for (String[] o : order) {
            if (present.contains(o[0])) {
                out.add(o[1]);
            }
        }
        return String.join(",", out);
    }

    static TablePrinter resourceQuotas() {
        return new RowPrinter(List.of(nameColumn(),
                string("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
                string("Limit", "Limits control the maximum amount of cpu/memory that a container may use "
                        + "independent of contention on the node."), ageColumn()),
                (o, now) -> {
                    Map<String, JsonNode> hard = new TreeMap<>();
                    for (Map.Entry<String, JsonNode> e : o.at("/status/hard").properties()) {
                        hard.put(e.getKey(), e.getValue());
                    }
                    List<String> requests = new ArrayList<>();
                    List<String> limits = new ArrayList<>();
                    hard.forEach((resource, q) -> {
                        String used = Cells.quantity(o.at("/status/used").path(resource));
                        String part = resource + ": " + used + "/" + Cells.quantity(q);
                        String[] pieces = resource.split("\\.");
                        (pieces.length > 1 && pieces[0].equals("limits") ? limits : requests).add(part);
                    });
                    return List.of(Cells.name(o), String.join(", ", requests), String.join(", ", limits),
                            Cells.age(o, now));
                });
    }
}
