package io.kubevisor.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

import io.kubevisor.controllers.nodelifecycle.NodeLifecycleController;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kubevisor up}: runs a control plane in the foreground until interrupted. */
@Command(name = "up", mixinStandardHelpOptions = true, description = "Start the control plane in the foreground.")
final class UpCommand implements Callable<Integer> {

    @Option(names = "--data-dir", description = "Where state, certificates and the admin kubeconfig live "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "${sys:user.home}/.kubevisor")
    Path dataDir;

    @Option(names = "--port", description = "Secure port (default: ${DEFAULT-VALUE}; 0 picks a free one).",
            defaultValue = "6443")
    int port;

    @Option(names = "--bind-address", description = "Address to listen on (default: ${DEFAULT-VALUE}).",
            defaultValue = "127.0.0.1")
    String bindAddress;

    @Option(names = "--store", description = "sqlite:PATH (default: sqlite:<data-dir>/state.db) or etcd:URL.")
    String store;

    @Option(names = "--token-auth-file", description = "Static bearer tokens, Kubernetes' CSV format "
            + "(token,user,uid,\"group1,group2\").")
    Path tokenFile;

    @Option(names = "--path-prefix", description = "Serve the whole API under this URL path, e.g. /tenants/foo.",
            defaultValue = "")
    String pathPrefix;

    @Option(names = "--compaction-interval", description = "Keep this much watch history; older revisions are "
            + "compacted (default: ${DEFAULT-VALUE}; 0 keeps everything).", defaultValue = "5m",
            converter = DurationConverter.class)
    java.time.Duration compactionInterval;

    // kube-controller-manager's flags, hidden: they exist for tests that cannot wait 40 s for a silent node.
    @Option(names = "--node-monitor-grace-period", hidden = true, defaultValue = "40s",
            converter = DurationConverter.class)
    java.time.Duration nodeMonitorGracePeriod;

    @Option(names = "--node-monitor-period", hidden = true, defaultValue = "5s", converter = DurationConverter.class)
    java.time.Duration nodeMonitorPeriod;

    @Option(names = "--no-node", description = "Run the control plane only, without a node on this host.")
    boolean noNode;

    @Option(names = "--node-name", description = "The local node's name (default: this host's name).")
    String nodeName;

    @Option(names = "--pod-cidr", description = "The local node's pod addresses (default: ${DEFAULT-VALUE}).",
            defaultValue = "10.244.0.0/16")
    String podCidr;

    @Option(names = "--max-pods", description = "How many pods the node runs at most (default: ${DEFAULT-VALUE}).",
            defaultValue = "110")
    int maxPods;

    @Override
    public Integer call() throws Exception {
        ControlPlane cp;
        try {
            cp = ControlPlane.start(new ControlPlane.Options(dataDir, bindAddress, port, store, tokenFile,
                    pathPrefix, compactionInterval, new NodeLifecycleController.Options(nodeMonitorPeriod,
                    nodeMonitorGracePeriod, NodeLifecycleController.Options.defaults().workers())));
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("kubevisor: " + e.getMessage());
            return 2;
        }
        GvisorNode node = null;
        if (!noNode) {
            List<String> missing = GvisorNode.missingPrerequisites();
            if (missing.isEmpty()) {
                try {
                    node = LocalNode.start(cp, dataDir, nodeName == null ? LocalNode.hostName() : nodeName, podCidr,
                            maxPods);
                } catch (RuntimeException e) {
                    cp.close();
                    System.err.println("kubevisor: the local node did not start: " + e.getMessage());
                    return 1;
                }
            } else {
                System.err.println("kubevisor: no local node, pods will stay Pending: " + String.join("; ", missing)
                        + " (--no-node silences this)");
            }
        }
        GvisorNode started = node;
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            if (started != null) {
                started.close();
            }
            cp.close();
            stop.countDown();
        }));
        System.out.println("Kubevisor is serving at " + cp.url());
        System.out.println("export KUBECONFIG=" + cp.kubeconfig());
        System.out.flush();
        stop.await();
        return 0;
    }
}
