/**
 * The gVisor ({@code runsc}) driver of the VM-container runtime SPI: {@link
 * io.kubevisor.runtime.runsc.RunscRuntime} built from {@link io.kubevisor.runtime.runsc.RunscOptions}.
 * One class per runtime verb (sandbox start, container start, exit watching, stop, remove, exec,
 * stats, checkpoint), OCI bundle generation apart; state lives under the options' bundle
 * directory so an agent restart loses nothing.
 */
package io.kubevisor.runtime.runsc;
