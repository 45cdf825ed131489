/**
 * Container logs in the CRI format the kubelet uses: a size-rotated {@link
 * io.kubevisor.runtime.logs.CriLogWriter}, a {@link io.kubevisor.runtime.logs.CriLogReader} that
 * serves {@code kubectl logs} (follow, tail, since, timestamps, limit), and a {@link
 * io.kubevisor.runtime.logs.ContainerLogPump} that turns a sandbox's raw output files into CRI
 * entries and survives agent restarts.
 */
package io.kubevisor.runtime.logs;
