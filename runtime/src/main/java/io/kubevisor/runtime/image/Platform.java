package io.kubevisor.runtime.image;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An OCI platform ({@code os}, {@code architecture}, {@code variant}) and the choice of one entry
 * of an image index for this machine.
 */
record Platform(String os, String architecture, String variant) {

    /** The platform this JVM runs on, in OCI/Go names (amd64, arm64, ...). */
    static Platform current() {
        String arch = switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            case "x86", "i386", "i686" -> "386";
            default -> System.getProperty("os.arch");
        };
        return new Platform("linux", arch, arch.equals("arm64") ? "v8" : "");
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
    }

    /** Whether an index entry's platform runs here (arm64 accepts no variant or v8). */
    boolean accepts(Platform p) {
        if (p == null || !os.equals(p.os()) || !architecture.equals(p.architecture())) {
            return false;
        }
        String v = p.variant() == null ? "" : p.variant();
        return v.isEmpty() || v.equals(variant) || (architecture.equals("arm64") && v.equals("v8"));
    }

    /** The first entry of an index whose platform is this one. */
    Optional<Manifests.Descriptor> choose(List<Manifests.Descriptor> entries) {
        return entries.stream().filter(d -> MediaTypes.isManifest(d.mediaType()) || MediaTypes.isIndex(d.mediaType())
                || d.mediaType().isEmpty()).filter(d -> accepts(d.platform())).findFirst();
    }
}
