package io.kubevisor.apiserver.registry;

import java.util.List;

/**
 * Checks a write may happen, after validation and before storage (also on dry run). Implementations
 * throw an {@link io.kubevisor.api.ApiException} to refuse; on create and update they may mutate
 * the object (mutating admission). Called on the request's thread; implementations are
 * thread-safe and must not block on the network.
 */
@FunctionalInterface
public interface Admission {

    /**
     * Admits or refuses one create (including create-on-update and apply-creates), update (of the
     * object or a subresource) or delete. May run more than once for one request when the store
     * retries a write that raced with another.
     */
    void admit(AdmissionRequest request);

    Admission NONE = request -> {
    };

    /** Runs each in order; the first refusal wins. */
    static Admission all(List<Admission> plugins) {
        List<Admission> copy = List.copyOf(plugins);
        return request -> copy.forEach(p -> p.admit(request));
    }
}
