package io.kubevisor.apiserver.meta;

import java.util.List;
import java.util.function.Function;

/** Which syntax an object's name must follow; Kubernetes varies it by kind. */
public enum NameRule {
    DNS1123_SUBDOMAIN(Validation::dns1123Subdomain),
    DNS1123_LABEL(Validation::dns1123Label),
    DNS1035_LABEL(Validation::dns1035Label),
    PATH_SEGMENT(Validation::pathSegmentName);

    private final Function<String, List<String>> check;

    NameRule(Function<String, List<String>> check) {
        this.check = check;
    }

    /** Problems with a name; empty when valid. */
    public List<String> check(String name) {
        return check.apply(name);
    }
}
