package io.kubevisor.apiserver.endpoints;

import io.kubevisor.api.ApiException;
import io.kubevisor.http.HttpExchange;
import io.kubevisor.apiserver.request.Query;

/** {@code /openapi/v2} and {@code /openapi/v3[/...]}. */
public interface OpenApiEndpoints {

    void serve(HttpExchange ex, String path, Query query);

    /** Serves nothing (every OpenAPI URL is a 404). */
    OpenApiEndpoints NONE = (ex, path, query) -> {
        throw ApiException.NotFound.path();
    };
}
