package io.kubevisor.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.fabric8.kubernetes.client.Config;
import io.kubevisor.apiserver.auth.pki.ClusterCa;
import io.kubevisor.apiserver.auth.pki.KeyMaterial;
import io.kubevisor.node.NodeAgentConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kubevisor node}: runs a node agent with the gVisor provider on this host, joined to the
 * cluster the kubeconfig names, in the foreground until interrupted. The kubeconfig's user must be
 * {@code system:node:<name>} in {@code system:nodes}, with the node role granted. The kubelet
 * endpoint's serving certificate comes from a CA of the node's own (the API server, like
 * Kubernetes' by default, does not verify kubelets' serving certificates); its callers must
 * present a client certificate signed by the cluster CA.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Run a node on this host: pods bound to it run as gVisor sandboxes.")
final class NodeCommand implements Callable<Integer> {

    @Option(names = "--kubeconfig", required = true, description = "Credentials of the node (system:node:<name>).")
    Path kubeconfig;

    @Option(names = "--server", description = "The API server's URL (default: the kubeconfig's).")
    String server;

    @Option(names = "--data-dir", description = "The node's state, images and pods (default: ${DEFAULT-VALUE}).",
            defaultValue = "${sys:user.home}/.kubevisor")
    Path dataDir;

    @Option(names = "--node-name", description = "The Node's name (default: this host's name).")
    String nodeName;

    @Option(names = "--pod-cidr", description = "Pod addresses on this node (default: ${DEFAULT-VALUE}).",
            defaultValue = "10.244.0.0/16")
    String podCidr;

    @Option(names = "--node-ip", description = "The InternalIP advertised for the kubelet endpoint "
            + "(default: the host's primary address).")
    String nodeIp;

    @Option(names = "--kubelet-address", description = "Where the kubelet endpoint listens (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.0.0.0")
    String kubeletAddress;

    @Option(names = "--kubelet-port", description = "The kubelet endpoint's port (default: ${DEFAULT-VALUE}; 0 "
            + "picks a free one).", defaultValue = "10250")
    int kubeletPort;

    @Option(names = "--client-ca-file", description = "CA of the kubelet endpoint's callers (default: the "
            + "kubeconfig's cluster CA).")
    Path clientCaFile;

    @Option(names = "--max-pods", description = "How many pods the node runs at most (default: ${DEFAULT-VALUE}).",
            defaultValue = "110")
    int maxPods;

    @Override
    public Integer call() throws Exception {
        List<String> missing = GvisorNode.missingPrerequisites();
        if (!missing.isEmpty()) {
            System.err.println("kubevisor: this host cannot run a node: " + String.join("; ", missing));
            return 2;
        }
        if (!Files.isRegularFile(kubeconfig)) {
            System.err.println("kubevisor: no such kubeconfig: " + kubeconfig);
            return 2;
        }
        Config api = Config.fromKubeconfig(Files.readString(kubeconfig));
        if (server != null) {
            api.setMasterUrl(server);
        }
        List<X509Certificate> clientCas;
        try {
            clientCas = clientCaFile != null ? readCertificates(Files.readAllBytes(clientCaFile)) : clusterCa(api);
        } catch (CertificateException | IOException e) {
            System.err.println("kubevisor: cannot read the client CA: " + e.getMessage());
            return 2;
        }
        if (clientCas.isEmpty()) {
            System.err.println("kubevisor: no CA for the kubelet endpoint's callers: the kubeconfig has none; "
                    + "use --client-ca-file");
            return 2;
        }
        String name = nodeName == null ? LocalNode.hostName() : nodeName;
        Path dir = dataDir.toAbsolutePath();
        KeyMaterial serving = servingCertificate(dir.resolve("node").resolve("pki"), name);
        var kubelet = new NodeAgentConfig.KubeletEndpoint(kubeletAddress, kubeletPort, serving.privateKey(),
                serving.chain(), clientCas);
        GvisorNode node;
        try {
            node = GvisorNode.start(new GvisorNode.Options(name, dir.resolve("node"), ImageCommand.store(dir), podCidr,
                    nodeIp, kubelet, maxPods), api);
        } catch (RuntimeException e) {
            System.err.println("kubevisor: the node did not start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            node.close();
            stop.countDown();
        }));
        System.out.println("Node " + name + " is running; kubelet endpoint on port " + node.kubeletPort());
        System.out.flush();
        stop.await();
        return 0;
    }

    /** Issued by the node's own CA, kept under the node's directory, reissued on every start. */
    private static KeyMaterial servingCertificate(Path pki, String name) throws IOException {
        Files.createDirectories(pki);
        ClusterCa nodeCa = ClusterCa.loadOrCreate(pki);
        List<InetAddress> ips = new ArrayList<>(List.of(InetAddress.getLoopbackAddress()));
        return nodeCa.issueServing(List.of(name, "localhost"), ips, Duration.ofDays(365));
    }

    private static List<X509Certificate> clusterCa(Config api) throws CertificateException, IOException {
        if (api.getCaCertData() != null && !api.getCaCertData().isBlank()) {
            return readCertificates(Base64.getMimeDecoder().decode(api.getCaCertData()));
        }
        if (api.getCaCertFile() != null) {
            return readCertificates(Files.readAllBytes(Path.of(api.getCaCertFile())));
        }
        return List.of();
    }

    private static List<X509Certificate> readCertificates(byte[] pem) throws CertificateException {
        try (InputStream in = new ByteArrayInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(c -> (X509Certificate) c).toList();
        } catch (IOException e) {
            throw new CertificateException(e);
        }
    }
}
