package io.kubevisor.runtime.image;

/** When {@link ImageStore#pull} contacts the registry: Kubernetes' {@code imagePullPolicy}. */
public enum PullPolicy {
    /** Resolve the tag at the registry every time; reuse local content whose digest matches. */
    ALWAYS("Always"),
    /** Use the local image when present; pull only when missing. */
    IF_NOT_PRESENT("IfNotPresent"),
    /** Never contact a registry; a missing image is {@link ImageException.ErrImageNeverPull}. */
    NEVER("Never");

    private final String kubernetesName;

    PullPolicy(String kubernetesName) {
        this.kubernetesName = kubernetesName;
    }

    /** The value as written in a pod spec. */
    public String kubernetesName() {
        return kubernetesName;
    }

    /**
     * Reads a pod spec's {@code imagePullPolicy}; null or empty means the API default for the
     * image ({@link #defaultFor}).
     */
    public static PullPolicy fromKubernetes(String value, ImageRef image) {
        if (value == null || value.isEmpty()) {
            return defaultFor(image);
        }
        for (PullPolicy p : values()) {
            if (p.kubernetesName.equals(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown imagePullPolicy \"" + value + "\"");
    }

    /** The API server's default: Always for {@code :latest} (or no tag), else IfNotPresent. */
    public static PullPolicy defaultFor(ImageRef image) {
        return image.digest() == null && "latest".equals(image.tag()) ? ALWAYS : IF_NOT_PRESENT;
    }
}
