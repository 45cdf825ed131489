package io.kubevisor.apiserver.registry;

import java.util.List;

import tools.jackson.databind.node.ObjectNode;

/**
 * One page of objects, consistent at {@code resourceVersion}.
 *
 * @param continueToken      token for the next page, or null on the last page
 * @param remainingItemCount objects after this page, when known (no selector), else null
 */
public record ListPage(List<ObjectNode> items, String resourceVersion, String continueToken, Long remainingItemCount) {
}
