package io.kubevisor.controllers.namespace;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubevisor.controllers.Failures;

/**
 * Deletes everything in a terminating namespace, type by type, the way Kubernetes' namespace
 * controller does (pkg/controller/namespace/deletion): discover the deletable namespaced types,
 * delete pods first and wait for them to go, then {@code deletecollection} every other type (or
 * delete each object where a type has no deletecollection), and list each type again to see what
 * is left. Objects held by finalizers or a grace period are not failures, they make the sweep
 * report an estimate of how long to wait. Thread-safe if the client is.
 */
final class NamespaceContentDeleter {

    private static final Logger LOG = LoggerFactory.getLogger(NamespaceContentDeleter.class);
    /** How long to expect objects held by finalizers to take, as Kubernetes assumes. */
    static final long FINALIZER_ESTIMATE_SECONDS = 15;

    private final KubernetesClient client;
    private final InstantSource clock;

    NamespaceContentDeleter(KubernetesClient client, InstantSource clock) {
        this.client = client;
        this.clock = clock;
    }

    /** What became of one resource type. */
    private record Outcome(long estimateSeconds, int remaining, Map<String, Integer> finalizers, String error) {
        static Outcome failed(long estimateSeconds, String error) {
            return new Outcome(estimateSeconds, 0, Map.of(), error);
        }
    }

    /** Deletes what it can in {@code namespace} (deleted at {@code deletedAt}) and reports what remains. */
    Sweep sweep(String namespace, Instant deletedAt) {
        ResourceDiscovery.Found found = ResourceDiscovery.discover(client);
        List<String> errors = new ArrayList<>();
        Map<String, Integer> byResource = new TreeMap<>();
        Map<String, Integer> byFinalizer = new TreeMap<>();
        long estimate = 0;
        // Pods go first, so workloads stop before the config, secrets and policies they use vanish.
        List<ApiResourceType> order = new ArrayList<>(found.resources().stream().filter(ApiResourceType::isPods).toList());
        found.resources().stream().filter(r -> !r.isPods()).forEach(order::add);
        for (ApiResourceType type : order) {
            Outcome o = deleteAll(type, namespace, deletedAt);
            if (o.error() != null) {
                errors.add(o.error());
            }
            estimate = Math.max(estimate, o.estimateSeconds());
            if (o.remaining() > 0) {
                byResource.merge(type.resourceDotGroup(), o.remaining(), Integer::sum);
                o.finalizers().forEach((f, n) -> byFinalizer.merge(f, n, Integer::sum));
            }
            if (type.isPods() && o.remaining() > 0) {
                LOG.info("event=namespace_pods_remaining namespace={} pods={} note=\"other content waits\"", namespace,
                        o.remaining());
                break;
            }
        }
        return new Sweep(found.discoveryError(), found.groupVersionError(), errors, new TreeMap<>(byResource),
                new TreeMap<>(byFinalizer), estimate);
    }

    private Outcome deleteAll(ApiResourceType type, String namespace, Instant deletedAt) {
        long estimate;
        try {
            estimate = type.isPods() ? podsEstimate(namespace, deletedAt) : 0;
        } catch (RuntimeException e) {
            return Outcome.failed(0, Failures.describe(e));
        }
        try {
            if (!type.supports("deletecollection") || !deleteCollection(type, namespace)) {
                deleteEach(type, namespace);
            }
        } catch (RuntimeException e) {
            return Outcome.failed(estimate, Failures.describe(e));
        }
        if (!type.supports("list")) {
            return new Outcome(estimate, 0, Map.of(), null);
        }
        List<GenericKubernetesResource> left;
        try {
            left = list(type, namespace);
        } catch (RuntimeException e) {
            return Outcome.failed(estimate, Failures.describe(e));
        }
        if (left == null || left.isEmpty()) {
            return new Outcome(0, 0, Map.of(), null);
        }
        Map<String, Integer> finalizers = new TreeMap<>();
        for (GenericKubernetesResource o : left) {
            List<String> fs = o.getMetadata().getFinalizers();
            if (fs != null) {
                fs.forEach(f -> finalizers.merge(f, 1, Integer::sum));
            }
        }
        if (estimate != 0) {
            return new Outcome(estimate, left.size(), finalizers, null);
        }
        if (!finalizers.isEmpty()) {
            return new Outcome(FINALIZER_ESTIMATE_SECONDS, left.size(), finalizers, null);
        }
        // Nothing holds them, so they should have gone: something else is wrong (or was created late).
        return new Outcome(0, left.size(), Map.of(),
                "unexpected items still remain in namespace: " + namespace + " for gvr: " + type.gvr());
    }

    /** @return false if the server turned out not to support it after all */
    private boolean deleteCollection(ApiResourceType type, String namespace) {
        try {
            int n = client.genericKubernetesResources(type.context()).inNamespace(namespace)
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete().size();
            if (n > 0) {
                LOG.info("event=namespace_content_deleted namespace={} resource={} verb=deletecollection count={}",
                        namespace, type.groupResource(), n);
            }
            return true;
        } catch (KubernetesClientException e) {
            if (unsupported(e)) {
                return false;
            }
            throw e;
        }
    }

    private void deleteEach(ApiResourceType type, String namespace) {
        List<GenericKubernetesResource> items = type.supports("list") ? list(type, namespace) : null;
        if (items == null) {
            return;
        }
        int n = 0;
        for (GenericKubernetesResource item : items) {
            try {
                client.genericKubernetesResources(type.context()).inNamespace(namespace)
                        .withName(item.getMetadata().getName())
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
                n++;
            } catch (KubernetesClientException e) {
                if (!unsupported(e)) {
                    throw e;
                }
            }
        }
        if (n > 0) {
            LOG.info("event=namespace_content_deleted namespace={} resource={} verb=delete count={}", namespace,
                    type.groupResource(), n);
        }
    }

    /** The objects of a type in the namespace, or null if the server does not list them. */
    private List<GenericKubernetesResource> list(ApiResourceType type, String namespace) {
        try {
            return client.genericKubernetesResources(type.context()).inNamespace(namespace).list().getItems();
        } catch (KubernetesClientException e) {
            if (unsupported(e)) {
                return null;
            }
            throw e;
        }
    }

    /**
     * How long running pods may still take to stop: the longest grace period of a pod that has
     * not finished, or 0 once that long has passed since the namespace was deleted.
     */
    private long podsEstimate(String namespace, Instant deletedAt) {
        long estimate = 0;
        for (Pod p : client.pods().inNamespace(namespace).list().getItems()) {
            String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
            if ("Succeeded".equals(phase) || "Failed".equals(phase) || p.getSpec() == null) {
                continue;
            }
            Long grace = p.getSpec().getTerminationGracePeriodSeconds();
            if (grace != null && grace > estimate) {
                estimate = grace;
            }
        }
        return Duration.between(deletedAt, clock.instant()).compareTo(Duration.ofSeconds(estimate)) >= 0 ? 0 : estimate;
    }

    /** Kubernetes treats NotFound and MethodNotAllowed on a listed type as "verb not supported". */
    private static boolean unsupported(KubernetesClientException e) {
        return e.getCode() == 404 || e.getCode() == 405;
    }
}
