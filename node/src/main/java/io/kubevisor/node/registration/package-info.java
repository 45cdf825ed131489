/** The Node object and its status as the kubelet writes them, and the node Lease. */
package io.kubevisor.node.registration;
