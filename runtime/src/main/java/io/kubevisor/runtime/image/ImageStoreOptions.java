package io.kubevisor.runtime.image;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How an {@link ImageStore} is set up.
 *
 * @param root       the store's directory (blobs, layers, rootfs, refs); created when missing
 * @param registries mirrors, credentials and TLS policy per registry host
 */
public record ImageStoreOptions(Path root, RegistryConfig registries) {

    public ImageStoreOptions {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(registries, "registries");
    }

    /** A store at {@code root} with no registry configuration. */
    public static ImageStoreOptions at(Path root) {
        return new ImageStoreOptions(root, RegistryConfig.empty());
    }
}
