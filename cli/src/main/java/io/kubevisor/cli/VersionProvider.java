package io.kubevisor.cli;

import io.kubevisor.apiserver.KubernetesVersion;
import picocli.CommandLine.IVersionProvider;

/** Prints the Kubevisor and Kubernetes API versions. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"kubevisor " + (v == null ? "dev" : v), "kubernetes API " + KubernetesVersion.GIT_VERSION};
    }
}
