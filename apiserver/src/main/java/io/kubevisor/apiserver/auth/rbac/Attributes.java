package io.kubevisor.apiserver.auth.rbac;

import io.kubevisor.apiserver.auth.authn.UserInfo;

/** What a request asks to do. */
public record Attributes(UserInfo user, String verb, String namespace, String apiGroup, String resource,
                         String subresource, String name, boolean resourceRequest, String path) {
}
