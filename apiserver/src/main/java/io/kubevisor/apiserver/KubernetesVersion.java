package io.kubevisor.apiserver;

import io.kubevisor.api.Json;
import tools.jackson.databind.node.ObjectNode;

/** The Kubernetes version whose API Kubevisor serves; kubectl picks its version skew from it. */
public final class KubernetesVersion {

    public static final String MAJOR = "1";
    public static final String MINOR = "32";
    public static final String GIT_VERSION = "v1.32.3+kubevisor";

    private KubernetesVersion() {
    }

    /** The body of {@code GET /version}. */
    public static ObjectNode info() {
        ObjectNode o = Json.object();
        o.put("major", MAJOR);
        o.put("minor", MINOR);
        o.put("gitVersion", GIT_VERSION);
        o.put("gitCommit", "");
        o.put("gitTreeState", "clean");
        o.put("buildDate", "");
        o.put("goVersion", "");
        o.put("compiler", "java");
        o.put("platform", "linux/amd64");
        return o;
    }
}
