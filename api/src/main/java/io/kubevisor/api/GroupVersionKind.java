package io.kubevisor.api;

/**
 * A Kubernetes kind in one API version. The core group is the empty string.
 */
public record GroupVersionKind(String group, String version, String kind) {

    public GroupVersionKind {
        group = group == null ? "" : group;
    }

    /** Parses an object's {@code apiVersion} ("v1", "apps/v1") together with its kind. */
    public static GroupVersionKind of(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        return slash < 0
                ? new GroupVersionKind("", apiVersion, kind)
                : new GroupVersionKind(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), kind);
    }

    /** The value of {@code apiVersion} in an object of this kind. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    @Override
    public String toString() {
        return apiVersion() + ", Kind=" + kind;
    }
}
