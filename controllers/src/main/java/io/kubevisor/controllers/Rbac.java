package io.kubevisor.controllers;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;

/** Grants controllers their permissions through the API. Stateless and thread-safe. */
public final class Rbac {

    private static final Logger LOG = LoggerFactory.getLogger(Rbac.class);

    private Rbac() {
    }

    /**
     * Creates each object, or replaces it if it exists (so a changed rule set takes effect on
     * the next start).
     *
     * @param admin a client allowed to write RBAC objects; not closed
     */
    public static void ensure(KubernetesClient admin, List<? extends HasMetadata> objects) {
        for (HasMetadata o : objects) {
            admin.resource(o).unlock().createOr(NonDeletingOperation::update);
            LOG.info("event=rbac_ensured kind={} name={}", o.getKind(), o.getMetadata().getName());
        }
    }
}
