/**
 * The node agent: {@link io.kubevisor.node.NodeAgent} built from a
 * {@link io.kubevisor.node.NodeAgentConfig}, and the RBAC it needs ({@link io.kubevisor.node.NodeAgentRbac}).
 * Providers implement the SPI in {@code provider}; {@code registration}, {@code pods} and
 * {@code kubelet} are the agent's parts (Node and Lease, the pod sync, the kubelet endpoint).
 */
package io.kubevisor.node;
