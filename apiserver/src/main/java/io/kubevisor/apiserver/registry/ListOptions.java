package io.kubevisor.apiserver.registry;

import io.kubevisor.apiserver.selection.FieldSelector;
import io.kubevisor.apiserver.selection.LabelSelector;

/**
 * What a list or watch selects.
 *
 * @param labels               label selector
 * @param fields               field selector
 * @param limit                page size; 0 = everything
 * @param continueToken        token from the previous page, or null
 * @param resourceVersion      "" (most recent), "0" (any), or a revision
 * @param resourceVersionMatch "", "NotOlderThan" or "Exact"
 */
public record ListOptions(LabelSelector labels, FieldSelector fields, long limit, String continueToken,
                          String resourceVersion, String resourceVersionMatch) {

    public static ListOptions everything() {
        return new ListOptions(LabelSelector.everything(), FieldSelector.everything(), 0, null, "", "");
    }

    public boolean selects() {
        return !labels.isEmpty() || !fields.isEmpty();
    }
}
