package io.kubevisor.apiserver.endpoints;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.resource.ResourceType;
import io.kubevisor.apiserver.auth.authn.UserInfo;
import io.kubevisor.http.HttpExchange;
import io.kubevisor.apiserver.registry.ResourceStore;
import io.kubevisor.apiserver.registry.WriteOptions;
import io.kubevisor.apiserver.request.Query;
import io.kubevisor.apiserver.request.Rendering;
import io.kubevisor.apiserver.request.RequestInfo;

/**
 * Everything an endpoint needs about one resource request, already authenticated and
 * authorized.
 */
public record ResourceContext(HttpExchange exchange, RequestInfo info, Query query, UserInfo user, ResourceType type,
                              ResourceStore resources, Rendering rendering, Warnings warnings) {

    public String namespace() {
        return info.namespace();
    }

    public String name() {
        return info.name();
    }

    public String subresource() {
        return info.subresource();
    }

    /** {@code dryRun=All}, or nothing; other values are a 400 as in Kubernetes. */
    public boolean dryRun() {
        var values = query.all("dryRun");
        for (String v : values) {
            if (!v.equals("All")) {
                throw new ApiException.BadRequest("Invalid dry run value: " + v + ". Valid values are: All");
            }
        }
        return !values.isEmpty();
    }

    /** The field manager: the parameter, or the User-Agent's product name as Kubernetes defaults it. */
    public String fieldManager() {
        String fm = query.get("fieldManager", "");
        if (fm.isEmpty()) {
            String ua = exchange.headers().get("User-Agent", "");
            int slash = ua.indexOf('/');
            fm = slash < 0 ? ua : ua.substring(0, slash);
            if (fm.length() > 128) {
                fm = fm.substring(0, 128);
            }
            return fm;
        }
        if (fm.length() > 128) {
            throw new ApiException.BadRequest("fieldManager: Too long: may not be longer than 128");
        }
        for (int i = 0; i < fm.length(); i++) {
            char c = fm.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new ApiException.BadRequest("fieldManager: Invalid value: \"" + fm
                        + "\": may only contain printable characters");
            }
        }
        return fm;
    }

    /** The write's options, on behalf of the request's user (for admission). */
    public WriteOptions writeOptions() {
        return new WriteOptions(dryRun(), fieldManager(), false, user);
    }

    public String contentType() {
        return exchange.headers().get("Content-Type");
    }
}
