package io.kubevisor.store;

import java.util.List;

/**
 * One page of a list.
 *
 * @param items     key-ordered values at {@code revision}
 * @param revision  the revision the whole list (all pages) is consistent at
 * @param more      whether keys after the last item exist at that revision
 * @param remaining how many keys follow this page at that revision (0 when {@code more} is false)
 */
public record ListResult(List<KeyValue> items, long revision, boolean more, long remaining) {
    public ListResult {
        items = List.copyOf(items);
    }
}
