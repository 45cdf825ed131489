package io.kubevisor.runtime.provider;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Pod;
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
        var iface = s.config().network().attach(PodNetworkRequest.of(state.ref));
        if (!firstSandbox) {
            s.config().network().restoreAddress(state.ref.uid());
        }
        synchronized (state) {
            state.podIp = iface.ip();
        }
        var cfg = s.config();
        var spec = new SandboxSpec(newId(), PodSpecs.hostname(pod), iface.netnsPath(), null,
                PodSpecs.sandboxResources(pod, cfg.podPidsLimit()),
                PodSpecs.etcHosts(pod, iface.ip(), cfg.clusterDomain()),
                PodSpecs.resolvConf(pod, cfg.nameserver(), cfg.clusterDomain()),
                labels(state, PodSpecs.singleContainerSandbox(pod)));
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
