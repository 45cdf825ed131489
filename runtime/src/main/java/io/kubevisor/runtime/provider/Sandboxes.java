package io.kubevisor.runtime.provider;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubevisor.runtime.net.PodInterface;
import io.kubevisor.runtime.net.PodNetworkRequest;
import io.kubevisor.runtime.sandbox.SandboxHandle;
import io.kubevisor.runtime.sandbox.SandboxSpec;

/**
 * Starts a pod's sandbox: its network attached (idempotent) with the address back on eth0 (runsc
 * takes it off when a sandbox starts), its hostname, /etc/hosts, resolv.conf, the pod's limits,
 * and the CRI's pod labels (namespace, name, uid) for re-adoption. A pod of one container gets a
 * single-container sandbox ({@link PodSpecs#singleContainerSandbox}), which starts nothing until
 * its container does.
 */
final class Sandboxes {

    static final String LABEL_NAMESPACE = "io.kubernetes.pod.namespace";
    static final String LABEL_NAME = "io.kubernetes.pod.name";
    static final String LABEL_UID = "io.kubernetes.pod.uid";

    private static final Logger LOG = LoggerFactory.getLogger(Sandboxes.class);

    private Sandboxes() {
    }

    /**
     * Attaches the network (if needed) and starts a new sandbox; records both in the state.
     *
     * @param firstSandbox whether this is the pod's first sandbox: its network is fresh, so there
     *                     is no address an earlier sandbox could have taken off eth0 to put back
     *                     (saves four {@code ip} processes on every pod start)
     */
    static SandboxHandle start(PodState state, Services s, boolean firstSandbox) {
        Pod pod = state.pod();
        long t0 = System.nanoTime();
        boolean single = PodSpecs.singleContainerSandbox(pod);
        var req = PodNetworkRequest.of(state.ref);
        var network = s.config().network();
        PodInterface iface;
        if (firstSandbox && single) {
            // Nothing runs in a single-container sandbox until its container does: the network is
            // made while that container is prepared (ensureNetwork waits for it before the start).
            iface = network.reserve(req);
            var attach = network.attachAsync(req);
            synchronized (state) {
                state.network = attach;
            }
        } else {
            iface = network.attach(req);
            if (!firstSandbox) {
                network.restoreAddress(state.ref.uid());
            }
            synchronized (state) {
                state.network = CompletableFuture.completedFuture(iface);
            }
        }
        synchronized (state) {
            state.podIp = iface.ip();
        }
        var cfg = s.config();
        var spec = new SandboxSpec(newId(), PodSpecs.hostname(pod), iface.netnsPath(), null,
                PodSpecs.sandboxResources(pod, cfg.podPidsLimit()),
                PodSpecs.etcHosts(pod, iface.ip(), cfg.clusterDomain()),
                PodSpecs.resolvConf(pod, cfg.nameserver(), cfg.clusterDomain()),
                labels(state, single));
        SandboxHandle h = cfg.runtime().startSandbox(spec);
        synchronized (state) {
            state.sandbox = h;
            state.sandboxReady = true;
        }
        s.store().save(state);
        LOG.info("event=pod_sandbox_started pod={} sandbox={} ip={} ms={}", state.ref, h.id(), iface.ip(),
                (System.nanoTime() - t0) / 1_000_000);
        return h;
    }

    /**
     * Returns once the pod's network is there: the attach begun with the sandbox, or one made now
     * when this agent has none (it adopted the pod) or the first failed. Call it before a
     * container starts a single-container sandbox.
     *
     * @throws RuntimeException when the network cannot be made
     */
    static void ensureNetwork(PodState state, Services s) {
        if (attached(state)) {
            return;
        }
        var iface = s.config().network().attach(PodNetworkRequest.of(state.ref));
        synchronized (state) {
            state.network = CompletableFuture.completedFuture(iface);
        }
    }

    /** Waits for an attach still running (before the network is taken down); its outcome does not matter. */
    static void settleNetwork(PodState state) {
        attached(state);
    }

    /** Waits for this agent's attach, if it began one; whether that made the network. */
    private static boolean attached(PodState state) {
        CompletableFuture<PodInterface> attach;
        synchronized (state) {
            attach = state.network;
        }
        if (attach == null) {
            return false;
        }
        try {
            attach.join();
            return true;
        } catch (CompletionException | CancellationException e) {
            LOG.info("event=pod_network_attach_failed pod={} cause=\"{}\"", state.ref,
                    e.getCause() == null ? e.toString() : e.getCause().getMessage());
            return false;
        }
    }

    private static Map<String, String> labels(PodState state, boolean singleContainer) {
        var labels = new HashMap<String, String>();
        labels.put(LABEL_NAMESPACE, state.ref.namespace());
        labels.put(LABEL_NAME, state.ref.name());
        labels.put(LABEL_UID, state.ref.uid());
        if (singleContainer) {
            labels.put(SandboxSpec.SINGLE_CONTAINER, "true");
        }
        return Map.copyOf(labels);
    }

    /** A fresh runtime id: 32 lowercase hex digits. */
    static String newId() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
