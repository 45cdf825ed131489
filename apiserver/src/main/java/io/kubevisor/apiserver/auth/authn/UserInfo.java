package io.kubevisor.apiserver.auth.authn;

import java.util.List;
import java.util.Map;

/** An authenticated user. */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {
}
