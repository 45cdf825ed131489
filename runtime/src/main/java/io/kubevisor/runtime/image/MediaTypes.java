package io.kubevisor.runtime.image;

import java.util.Set;

/** The media types of the OCI image spec and Docker's image manifest v2 schema 2. */
final class MediaTypes {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";

    static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

    /** What a pull accepts, in order of preference (one Accept header, comma-separated). */
    static final String MANIFEST_ACCEPT = String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

    private static final Set<String> LAYERS = Set.of(
            OCI_LAYER_TAR, OCI_LAYER_GZIP, "application/vnd.oci.image.layer.v1.tar+zstd",
            "application/vnd.oci.image.layer.nondistributable.v1.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
            "application/vnd.docker.image.rootfs.diff.tar.gzip",
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
            "application/vnd.docker.image.rootfs.diff.tar");

    private MediaTypes() {
    }

    static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_LIST.equals(mediaType);
    }

    static boolean isManifest(String mediaType) {
        return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
    }

    static boolean isLayer(String mediaType) {
        return LAYERS.contains(mediaType);
    }

    static boolean isConfig(String mediaType) {
        return OCI_CONFIG.equals(mediaType) || DOCKER_CONFIG.equals(mediaType);
    }
}
