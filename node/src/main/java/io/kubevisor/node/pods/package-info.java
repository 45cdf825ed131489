/**
 * The pod sync: which pods the provider runs, re-adoption at start, and the per-pod reconcile
 * (create, update, delete, status) over a small {@link io.kubevisor.node.pods.PodApi}.
 */
package io.kubevisor.node.pods;
