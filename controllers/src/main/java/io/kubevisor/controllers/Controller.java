package io.kubevisor.controllers;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * One control loop: it watches some resources through the Kubernetes API and acts on them
 * through the same API, never through a server's internals, so it could run against any
 * Kubernetes API server. A {@link ControllerManager} starts and stops it.
 */
public interface Controller {

    /** A short, stable name for logs and thread names, e.g. {@code namespace}. */
    String name();

    /**
     * Starts watching and reconciling. Returns without waiting for the first list: watches
     * that fail (server not ready, permission not yet granted) keep retrying in the background.
     * Called once.
     *
     * @param client shared with other controllers and owned by the caller: use it, never close it
     */
    void start(KubernetesClient client);

    /**
     * Stops watches and workers, letting an in-flight reconcile finish briefly before interrupting
     * it. Idempotent; safe to call when {@link #start} failed or was never called.
     */
    void stop();
}
