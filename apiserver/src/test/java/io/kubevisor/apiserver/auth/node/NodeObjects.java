package io.kubevisor.apiserver.auth.node;

import java.util.List;

import io.kubevisor.api.Json;
import io.kubevisor.apiserver.auth.authn.UserInfo;
import tools.jackson.databind.node.ObjectNode;

/** Users and objects for the node authorization tests. */
final class NodeObjects {

    private NodeObjects() {
    }

    /** The user a node certificate for {@code name} authenticates as. */
    static UserInfo node(String name) {
        return UserInfo.of("system:node:" + name, List.of("system:nodes")).withAuthenticatedGroup();
    }

    static UserInfo user(String name, String... groups) {
        return UserInfo.of(name, List.of(groups)).withAuthenticatedGroup();
    }

    /** A pod in {@code ns} bound to {@code nodeName} ("" for unbound) with the given spec fields. */
    static ObjectNode pod(String ns, String name, String nodeName, String specJson) {
        ObjectNode pod = (ObjectNode) Json.parse("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"spec\":" + specJson + "}");
        pod.putObject("metadata").put("namespace", ns).put("name", name).put("uid", "uid-" + name);
        if (!nodeName.isEmpty()) {
            ((ObjectNode) pod.get("spec")).put("nodeName", nodeName);
        }
        return pod;
    }

    /** A pod with one container whose env reads {@code secret} and whose volume mounts {@code configMap}. */
    static ObjectNode podUsing(String ns, String name, String nodeName, String secret, String configMap) {
        return pod(ns, name, nodeName, """
                {"containers":[{"name":"c","image":"busybox",
                   "env":[{"name":"P","valueFrom":{"secretKeyRef":{"name":"%s","key":"k"}}}]}],
                 "volumes":[{"name":"v","configMap":{"name":"%s"}}]}""".formatted(secret, configMap));
    }
}
