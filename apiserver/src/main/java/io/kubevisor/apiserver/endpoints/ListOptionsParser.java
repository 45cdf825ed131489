package io.kubevisor.apiserver.endpoints;

import io.kubevisor.api.ApiException;
import io.kubevisor.apiserver.registry.ListOptions;
import io.kubevisor.apiserver.registry.Strategy;
import io.kubevisor.apiserver.request.Query;
import io.kubevisor.apiserver.selection.FieldSelector;
import io.kubevisor.apiserver.selection.LabelSelector;

/** Reads list and watch parameters from a query string. */
final class ListOptionsParser {

    private ListOptionsParser() {
    }

    static ListOptions parse(Query q, Strategy strategy) {
        java.util.Set<String> fields = new java.util.LinkedHashSet<>();
        fields.add("metadata.name");
        fields.add("metadata.namespace");
        fields.addAll(strategy.selectableFieldNames());
        String match = q.get("resourceVersionMatch", "");
        if (!match.isEmpty() && !match.equals("NotOlderThan") && !match.equals("Exact")) {
            throw new ApiException.BadRequest("resourceVersionMatch: Unsupported value: \"" + match
                    + "\": supported values: \"Exact\", \"NotOlderThan\"");
        }
        String rv = q.get("resourceVersion", "");
        if (!match.isEmpty() && rv.isEmpty()) {
            throw new ApiException.BadRequest("resourceVersionMatch is forbidden unless resourceVersion is provided");
        }
        if ("Exact".equals(match) && rv.equals("0")) {
            throw new ApiException.BadRequest(
                    "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"");
        }
        long limit = q.number("limit").orElse(0L);
        if (limit < 0) {
            throw new ApiException.BadRequest("limit must be non-negative");
        }
        return new ListOptions(LabelSelector.parse(q.get("labelSelector", "")),
                FieldSelector.parse(q.get("fieldSelector", ""), fields), limit, q.get("continue", null), rv, match);
    }
}
