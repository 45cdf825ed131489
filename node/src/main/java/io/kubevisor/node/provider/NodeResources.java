package io.kubevisor.node.provider;

import java.util.List;
import java.util.Map;

/** What the provider offers: the node's capacity and identity, as its Node object shows them. */
public interface NodeResources {

    /**
     * @param capacity      resource name → quantity ("cpu": "2", "memory": "24Gi", "pods": "110")
     * @param allocatable   what pods may use (capacity minus reservations)
     * @param addresses     type → address ("InternalIP" → "10.0.0.5", "Hostname" → "node1")
     * @param runtime       container runtime version as nodeInfo shows it, e.g. "runsc://0.0~20221219.0"
     * @param labels        extra node labels (kubernetes.io/os, kubernetes.io/arch are added by the agent)
     * @param taints        taints to register the node with, as {@code kubectl taint} writes them:
     *                      {@code key[=value]:Effect}; added at start to those the Node already has
     */
    record NodeInfo(Map<String, String> capacity, Map<String, String> allocatable, Map<String, String> addresses,
                    String runtime, String kernelVersion, String osImage, Map<String, String> labels,
                    List<String> taints) {
    }

    /**
     * What the node offers now. Called at registration and on every status update (every 10 s by
     * default), from one thread at a time; keep it cheap. Capacity without {@code pods} gets the
     * kubelet's 110; empty allocatable means all of capacity; InternalIP becomes the pods' hostIP.
     */
    NodeInfo nodeInfo();
}
