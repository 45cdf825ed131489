/**
 * The default scheduler: places pending pods on nodes that are ready, schedulable, have room for
 * their requests and match their node selector, node affinity and tolerations, scoring the
 * candidates as kube-scheduler's default plugins do, and binds them through the API. Follows
 * Kubernetes' pkg/scheduler for the filters, scores, messages and queueing that matter here.
 */
package io.kubevisor.controllers.scheduler;
