/**
 * The kubelet HTTPS endpoint: client-certificate authentication, SubjectAccessReview
 * authorization, logs, stats, and exec/attach/port-forward over Kubernetes' WebSocket channel
 * protocols.
 */
package io.kubevisor.node.kubelet;
