package io.kubevisor.node.registration;

import java.util.Locale;
import java.util.Objects;

/**
 * What the agent itself says about its node, as opposed to what the provider says.
 *
 * @param name            the Node's name
 * @param kubeletVersion  {@code status.nodeInfo.kubeletVersion} (kubectl's VERSION column)
 * @param kubeletPort     the port of the kubelet endpoint, advertised in {@code status.daemonEndpoints}
 * @param operatingSystem {@code kubernetes.io/os}, e.g. {@code linux}
 * @param architecture    {@code kubernetes.io/arch} in Go's naming, e.g. {@code amd64}
 */
public record NodeIdentity(String name, String kubeletVersion, int kubeletPort, String operatingSystem,
                           String architecture) {

    public NodeIdentity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kubeletVersion, "kubeletVersion");
        Objects.requireNonNull(operatingSystem, "operatingSystem");
        Objects.requireNonNull(architecture, "architecture");
    }

    /** This JVM's OS and architecture in Go's names ({@code amd64}, {@code arm64}). */
    public static NodeIdentity ofThisHost(String name, String kubeletVersion, int kubeletPort) {
        return new NodeIdentity(name, kubeletVersion, kubeletPort, goOs(System.getProperty("os.name", "linux")),
                goArch(System.getProperty("os.arch", "amd64")));
    }

    static String goOs(String javaOs) {
        String os = javaOs.toLowerCase(Locale.ROOT);
        return os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "darwin" : "linux";
    }

    static String goArch(String javaArch) {
        return switch (javaArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> javaArch;
        };
    }
}
