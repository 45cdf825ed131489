package io.kubevisor.runtime.net;

import java.nio.file.Path;

/**
 * A pod's network as attached: give {@code netnsPath} to the sandbox runtime
 * ({@code {"type":"network","path":...}}) and report {@code ip} as the pod IP.
 *
 * @param podUid        the pod this belongs to
 * @param namespace     the pod's Kubernetes namespace
 * @param netnsName     the network namespace's name, as {@code ip netns} knows it
 * @param netnsPath     {@code /var/run/netns/<netnsName>}
 * @param interfaceName the pod's interface inside the netns ({@code eth0})
 * @param ip            the pod IP, dotted quad
 * @param prefixLength  the subnet's prefix length (the address is {@code ip/prefixLength})
 * @param gateway       the default gateway (the bridge's address)
 */
public record PodInterface(String podUid, String namespace, String netnsName, Path netnsPath,
                           String interfaceName, String ip, int prefixLength, String gateway) {

    /** The address with its prefix, as {@code ip addr add} takes it, e.g. 10.244.3.2/24. */
    public String cidr() {
        return ip + "/" + prefixLength;
    }
}
