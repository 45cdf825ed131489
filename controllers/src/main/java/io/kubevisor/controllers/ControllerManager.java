package io.kubevisor.controllers;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Runs a set of controllers over one shared Kubernetes client, as kube-controller-manager does:
 * starts them in order, stops them in reverse order, then closes the client. Thread-safe.
 */
public final class ControllerManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerManager.class);

    private final KubernetesClient client;
    private final List<Controller> controllers;
    private final List<Controller> started = new ArrayList<>();
    private boolean closed;

    /**
     * @param client      the client every controller uses; the manager owns it from now on and
     *                    closes it in {@link #close}
     * @param controllers started in this order
     */
    public ControllerManager(KubernetesClient client, List<? extends Controller> controllers) {
        this.client = Objects.requireNonNull(client, "client");
        this.controllers = List.copyOf(controllers);
    }

    /**
     * Starts every controller. If one fails to start, those already started are stopped, the
     * client is closed, and the failure is rethrown.
     */
    public synchronized void start() {
        if (closed || !started.isEmpty()) {
            throw new IllegalStateException("controller manager already started or closed");
        }
        for (Controller c : controllers) {
            try {
                c.start(client);
            } catch (RuntimeException e) {
                LOG.error("event=controller_start_failed controller={} cause=\"{}\"", c.name(), e.toString());
                c.stop();
                close();
                throw e;
            }
            started.add(c);
            LOG.info("event=controller_started controller={} server={}", c.name(), client.getMasterUrl());
        }
    }

    /** The names of the controllers, in start order. */
    public List<String> names() {
        return controllers.stream().map(Controller::name).toList();
    }

    /** Stops the started controllers in reverse order, then closes the client. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Controller c : started.reversed()) {
            try {
                c.stop();
                LOG.info("event=controller_stopped controller={}", c.name());
            } catch (RuntimeException e) {
                LOG.warn("event=controller_stop_failed controller={} cause=\"{}\"", c.name(), e.toString());
            }
        }
        started.clear();
        client.close();
    }
}
