/**
 * The node lifecycle controller: notices node agents that stopped renewing their heartbeat
 * Lease, marks their nodes' conditions Unknown, keeps the condition taints (not-ready,
 * unreachable, pressure, unschedulable) in step with the conditions, and evicts pods that do not
 * tolerate a node's NoExecute taints, following Kubernetes' pkg/controller/nodelifecycle and its
 * taint eviction controller.
 */
package io.kubevisor.controllers.nodelifecycle;
