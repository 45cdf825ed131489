/**
 * A small controller framework. A {@link io.kubevisor.controllers.Controller} watches the
 * Kubernetes API through a fabric8 client and feeds keys into a
 * {@link io.kubevisor.controllers.WorkQueue} (de-duplicated, one worker per key at a time,
 * delayed and backed-off adds); a {@link io.kubevisor.controllers.ReconcileLoop} runs its
 * {@link io.kubevisor.controllers.Reconciler} on virtual threads; a
 * {@link io.kubevisor.controllers.ControllerManager} starts a set of controllers over one shared
 * client and stops them. Controllers use only the HTTP API, never a server's internals.
 */
package io.kubevisor.controllers;
