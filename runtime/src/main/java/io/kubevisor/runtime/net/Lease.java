package io.kubevisor.runtime.net;

/**
 * One pod's address, as the allocator records it.
 *
 * @param uid       the pod's uid
 * @param namespace its Kubernetes namespace
 * @param name      its name (for logs and humans reading the state file)
 * @param subnet    the namespace's subnet
 * @param address   the pod's address (32 bits)
 * @param ready     whether the pod's netns, veth and routes were completed; false means an
 *                  attach was interrupted and its leftovers must be rebuilt
 */
record Lease(String uid, String namespace, String name, Ipv4Cidr subnet, int address, boolean ready) {

    String ip() {
        return Ipv4Cidr.format(address);
    }

    /** The bridge's address: the first host of the subnet. */
    String gateway() {
        return Ipv4Cidr.format(subnet.host(1));
    }

    Lease asReady() {
        return new Lease(uid, namespace, name, subnet, address, true);
    }
}
