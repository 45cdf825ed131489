package io.kubevisor.runtime.provider;

import java.time.Duration;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.kubevisor.node.provider.PodRef;
import io.kubevisor.runtime.sandbox.ContainerHandle;

/**
 * Runs a container's postStart and preStop handlers as the kubelet does: exec in the container,
 * httpGet and tcpSocket from beside the pod (the probes' actions), or sleep. A handler's outcome
 * is a probe result: success, or why it failed, in the words of the kubelet's events.
 */
final class LifecycleHooks {

    private final ProbeActions actions;

    LifecycleHooks(ProbeActions actions) {
        this.actions = actions;
    }

    /** Runs the handler, waiting at most {@code timeout} (a sleep is cut short there too). */
    ProbeActions.Result run(LifecycleHandler handler, Container c, ContainerHandle h, PodRef pod, String podIp,
                            Duration timeout) {
        if (handler.getSleep() != null && handler.getSleep().getSeconds() != null) {
            Duration d = Duration.ofSeconds(Math.max(0, handler.getSleep().getSeconds()));
            try {
                Thread.sleep(d.compareTo(timeout) < 0 ? d : timeout);
                return new ProbeActions.Result(true, "");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ProbeActions.Result(false, "sleep interrupted");
            }
        }
        ProbeActions.Result r = actions.run(asProbe(handler), c, h, pod, podIp, timeout);
        if (r.success() || handler.getExec() == null) {
            return r;
        }
        String cmd = String.join(" ", handler.getExec().getCommand());
        return new ProbeActions.Result(false, "Exec lifecycle hook ([" + cmd + "]) for Container \"" + c.getName()
                + "\" in Pod \"" + pod.name() + "_" + pod.namespace() + "(" + pod.uid() + ")\" failed - error: "
                + r.output().strip());
    }

    /** Whether the handler has an action this node runs. */
    static boolean present(LifecycleHandler handler) {
        return handler != null && (handler.getExec() != null || handler.getHttpGet() != null
                || handler.getTcpSocket() != null || handler.getSleep() != null);
    }

    private static Probe asProbe(LifecycleHandler h) {
        return new ProbeBuilder().withExec(h.getExec()).withHttpGet(h.getHttpGet()).withTcpSocket(h.getTcpSocket())
                .build();
    }
}
