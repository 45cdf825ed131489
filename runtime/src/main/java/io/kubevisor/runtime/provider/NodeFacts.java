package io.kubevisor.runtime.provider;

import java.util.Map;

import io.fabric8.kubernetes.api.model.Quantity;

/** What pods see of their node: its IP (status.hostIP) and what a container without limits may use. */
interface NodeFacts {

    /** The node's InternalIP, or null when unknown. */
    String hostIp();

    /** The node's allocatable resources (cpu, memory). */
    Map<String, Quantity> allocatable();
}
