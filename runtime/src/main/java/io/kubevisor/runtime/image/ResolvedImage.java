package io.kubevisor.runtime.image;

import java.nio.file.Path;

/**
 * An image ready to run, as returned by {@link ImageStore#pull}.
 *
 * @param name           the normalized reference it is known by, e.g. {@code docker.io/library/busybox:latest}
 *                       (what Kubernetes shows as a container's {@code image})
 * @param imageId        {@code repository@sha256:...} of the manifest (or index) the reference resolved
 *                       to, e.g. {@code docker.io/library/busybox@sha256:...}: what containerd reports and
 *                       Kubernetes shows as {@code status.containerStatuses[].imageID}
 * @param configDigest   the image config's digest: the image's identity in this store (and CRI's image id)
 * @param manifestDigest the platform manifest's digest (differs from imageId's digest for multi-arch images)
 * @param rootfs         the unpacked root filesystem, shared read-only by every pod using the image; owned
 *                       by the store, never to be written
 * @param config         entrypoint, command, environment and the rest of the image's runtime config
 * @param size           the sum of the image's compressed layer sizes, in bytes
 */
public record ResolvedImage(String name, String imageId, String configDigest, String manifestDigest, Path rootfs,
                            ImageConfig config, long size) {
}
