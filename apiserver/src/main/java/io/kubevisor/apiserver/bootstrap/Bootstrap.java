package io.kubevisor.apiserver.bootstrap;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.Json;
import io.kubevisor.apiserver.ApiServer;
import io.kubevisor.apiserver.registry.ResourceStore;
import io.kubevisor.apiserver.registry.WriteOptions;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every fresh cluster has, created in-process at start and re-created when missing:
 * the system namespaces, the {@code kubernetes} service and its endpoints, and the objects
 * given by {@link #extra} (the RBAC bootstrap policy). Idempotent.
 */
public final class Bootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
    private static final WriteOptions AS_BOOTSTRAP = new WriteOptions(false, "kubevisor-bootstrap");
    public static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public",
            "kube-node-lease");

    private Bootstrap() {
    }

    /**
     * @param advertiseIp   the address the kubernetes endpoints point at
     * @param advertisePort the secure port
     * @param extra         further objects to ensure, as (group, version, plural, object)
     */
    public static void run(ApiServer server, String advertiseIp, int advertisePort, List<Ensure> extra) {
        for (String ns : SYSTEM_NAMESPACES) {
            ObjectNode o = Json.object();
            o.put("apiVersion", "v1");
            o.put("kind", "Namespace");
            o.putObject("metadata").put("name", ns);
            ensure(server, "", "v1", "namespaces", o);
        }
        ObjectNode svc = Json.object();
        svc.put("apiVersion", "v1");
        svc.put("kind", "Service");
        ObjectNode meta = svc.putObject("metadata");
        meta.put("name", "kubernetes");
        meta.put("namespace", "default");
        meta.putObject("labels").put("component", "apiserver").put("provider", "kubernetes");
        ObjectNode spec = svc.putObject("spec");
        spec.put("type", "ClusterIP");
        spec.put("clusterIP", server.serviceAllocator().kubernetesServiceIp());
        spec.putArray("ports").addObject().put("name", "https").put("port", 443).put("protocol", "TCP")
                .put("targetPort", advertisePort);
        ensure(server, "", "v1", "services", svc);
        ObjectNode ep = Json.object();
        ep.put("apiVersion", "v1");
        ep.put("kind", "Endpoints");
        ObjectNode em = ep.putObject("metadata");
        em.put("name", "kubernetes");
        em.put("namespace", "default");
        em.putObject("labels").put("endpointslice.kubernetes.io/skip-mirror", "true");
        ObjectNode subset = ep.putArray("subsets").addObject();
        subset.putArray("addresses").addObject().put("ip", advertiseIp);
        subset.putArray("ports").addObject().put("name", "https").put("port", advertisePort).put("protocol", "TCP");
        ensure(server, "", "v1", "endpoints", ep);
        for (Ensure e : extra) {
            ensure(server, e.group(), e.version(), e.plural(), e.object());
        }
    }

    /** An object to create if missing. */
    public record Ensure(String group, String version, String plural, ObjectNode object) {
    }

    private static void ensure(ApiServer server, String group, String version, String plural, ObjectNode obj) {
        ResourceStore store = server.resource(group, version, plural)
                .orElseThrow(() -> new IllegalStateException("not served: " + group + "/" + version + "/" + plural));
        String ns = obj.path("metadata").path("namespace").asString("");
        String name = obj.path("metadata").path("name").asString("");
        if (store.find(ns, name).isPresent()) {
            return;
        }
        try {
            store.create(obj.deepCopy(), AS_BOOTSTRAP);
            LOG.info("event=bootstrapped resource={} namespace={} name={}", plural, ns, name);
        } catch (ApiException.AlreadyExists raced) {
            // created concurrently by another replica: fine
        }
    }
}
