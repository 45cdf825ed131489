/**
 * The namespace lifecycle controller: empties terminating namespaces and releases their
 * {@code kubernetes} finalizer, following Kubernetes' pkg/controller/namespace.
 */
package io.kubevisor.controllers.namespace;
