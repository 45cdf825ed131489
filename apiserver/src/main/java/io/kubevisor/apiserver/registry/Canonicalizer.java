package io.kubevisor.apiserver.registry;

import tools.jackson.databind.node.ObjectNode;

/**
 * Puts an incoming object (storage version) in canonical form before defaults and validation,
 * as decoding into typed objects does in Kubernetes. May refuse it with an ApiException.
 * Implementations are thread-safe and may change the object in place.
 */
@FunctionalInterface
public interface Canonicalizer {

    ObjectNode canonicalize(ObjectNode obj);

    Canonicalizer NONE = obj -> obj;
}
