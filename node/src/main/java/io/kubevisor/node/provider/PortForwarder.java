package io.kubevisor.node.provider;

import java.io.InputStream;
import java.io.OutputStream;

/** Optional ability: a TCP connection to a port inside a pod ({@code kubectl port-forward}). */
public interface PortForwarder {

    /**
     * Connects to {@code port} on the pod's loopback/network and copies bytes both ways until
     * either side closes. Blocks.
     *
     * @throws ProviderException if the pod does not run or nothing listens on the port
     */
    void forward(PodRef pod, int port, InputStream fromClient, OutputStream toClient);
}
