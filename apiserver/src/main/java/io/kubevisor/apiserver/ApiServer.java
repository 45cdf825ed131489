package io.kubevisor.apiserver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.resource.ResourceCatalog;
import io.kubevisor.api.resource.ResourceType;
import io.kubevisor.api.schema.SchemaRegistry;
import io.kubevisor.apiserver.auth.authn.Authenticator;
import io.kubevisor.apiserver.auth.authn.Credentials;
import io.kubevisor.apiserver.auth.authn.Impersonation;
import io.kubevisor.apiserver.auth.authn.UserInfo;
import io.kubevisor.apiserver.auth.node.NodeRestriction;
import io.kubevisor.apiserver.auth.rbac.Attributes;
import io.kubevisor.apiserver.auth.rbac.Authorizer;
import io.kubevisor.apiserver.auth.rbac.Decision;
import io.kubevisor.apiserver.endpoints.BodyReader;
import io.kubevisor.apiserver.endpoints.NonResourceEndpoints;
import io.kubevisor.apiserver.endpoints.ObjectRenderer;
import io.kubevisor.apiserver.endpoints.OpenApiEndpoints;
import io.kubevisor.apiserver.endpoints.ResourceContext;
import io.kubevisor.apiserver.endpoints.ResourceEndpoints;
import io.kubevisor.apiserver.endpoints.ReviewEndpoint;
import io.kubevisor.apiserver.nodeproxy.KubeletClient;
import io.kubevisor.apiserver.endpoints.Responses;
import io.kubevisor.apiserver.endpoints.TableConverter;
import io.kubevisor.apiserver.endpoints.Warnings;
import io.kubevisor.http.HttpExchange;
import io.kubevisor.http.RequestHandler;
import io.kubevisor.apiserver.meta.Names;
import io.kubevisor.apiserver.metrics.ApiMetrics;
import io.kubevisor.apiserver.metrics.RecordingExchange;
import io.kubevisor.apiserver.admission.BuiltinAdmission;
import io.kubevisor.apiserver.admission.ServiceAllocator;
import io.kubevisor.apiserver.registry.Admission;
import io.kubevisor.apiserver.registry.ListOptions;
import io.kubevisor.apiserver.registry.ResourceLister;
import io.kubevisor.apiserver.registry.Canonicalizer;
import io.kubevisor.apiserver.registry.FieldTracker;
import io.kubevisor.apiserver.registry.ResourceStore;
import io.kubevisor.apiserver.registry.Strategy;
import io.kubevisor.apiserver.request.Query;
import io.kubevisor.apiserver.request.Rendering;
import io.kubevisor.apiserver.request.RequestInfo;
import io.kubevisor.store.Store;
import io.kubevisor.store.StoreException;

/**
 * One API server: the request pipeline (path prefix → authentication → authorization → route)
 * over one store. Holds no static state, so many can run in one JVM, each under its own prefix.
 */
public final class ApiServer implements RequestHandler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    /** Collaborators, wired by the assembly. */
    public record Dependencies(Store store, SchemaRegistry schemas, Authenticator authenticator, Authorizer authorizer,
                               TableConverter tables,
                               BodyReader bodies, StrategyFactory strategies, FieldTracker fieldTracker,
                               Canonicalizer canonicalizer,
                               OpenApiEndpoints openapi, ReviewEndpoint.RulesReviewer rules,
                               KubeletClient kubelet, InstantSource clock) {
    }

    /** Makes the strategy for a resource. */
    @FunctionalInterface
    public interface StrategyFactory {
        Strategy forType(ResourceType type);
    }

    private final ApiServerConfig config;
    private final ResourceCatalog catalog;
    private final Dependencies deps;
    private final Map<String, ResourceStore> resources = new LinkedHashMap<>();
    private final ResourceEndpoints resourceEndpoints;
    private final NonResourceEndpoints nonResource;
    private final ApiMetrics metrics = new ApiMetrics();
    private final ServiceAllocator services;
    private final RequestTimeouts timeouts = new RequestTimeouts();

    public ApiServer(ApiServerConfig config, ResourceCatalog catalog, Dependencies deps) {
        this.config = config;
        this.catalog = catalog;
        this.deps = deps;
        Names names = new Names();
        this.services = new ServiceAllocator(config.serviceCidr(), () -> new ResourceLister(
                resources.get(key("", "v1", "services"))).list("", ListOptions.everything()).items());
        Admission admission = Admission.all(List.of(
                new BuiltinAdmission(ns -> resources.get(key("", "v1", "namespaces")).find("", ns), services),
                new NodeRestriction(node -> resources.get(key("", "v1", "nodes")).find("", node))));
        for (ResourceType t : catalog.all()) {
            resources.put(key(t.group(), t.version(), t.plural()), new ResourceStore(t, deps.strategies().forType(t),
                    deps.store(), deps.clock(), names, deps.fieldTracker(), admission, deps.canonicalizer()));
        }
        ObjectRenderer renderer = new ObjectRenderer(deps.tables());
        this.resourceEndpoints = new ResourceEndpoints(deps.bodies(), renderer, config.minRequestTimeout(),
                deps.schemas(), deps.clock(), deps.authorizer(), deps.rules(), deps.kubelet(),
                node -> resources.get(key("", "v1", "nodes")).find("", node),
                () -> new ResourceLister(resources.get(key("", "v1", "nodes"))).list("", ListOptions.everything()).items(),
                () -> resources.get(key("", "v1", "pods")));
        this.nonResource = new NonResourceEndpoints(catalog, config, metrics, deps.store(), deps.openapi());
    }

    private static String key(String group, String version, String plural) {
        return group + "/" + version + "/" + plural;
    }

    public ApiServerConfig config() {
        return config;
    }

    public ResourceCatalog catalog() {
        return catalog;
    }

    /** The registry of a served resource, for in-process bootstrapping (default namespaces, RBAC). */
    public Optional<ResourceStore> resource(String group, String version, String plural) {
        return Optional.ofNullable(resources.get(key(group, version, plural)));
    }

    @Override
    public void handle(HttpExchange original) {
        RecordingExchange ex = new RecordingExchange(original);
        long start = System.nanoTime();
        String verb = original.method();
        String resource = "";
        try {
            int q = ex.uri().indexOf('?');
            String rawPath = q < 0 ? ex.uri() : ex.uri().substring(0, q);
            Query query = Query.parse(q < 0 ? "" : ex.uri().substring(q + 1));
            String path = decodePath(rawPath);
            if (!config.pathPrefix().isEmpty()) {
                if (!path.equals(config.pathPrefix()) && !path.startsWith(config.pathPrefix() + "/")) {
                    throw ApiException.NotFound.path();
                }
                path = path.substring(config.pathPrefix().length());
            }
            if (path.isEmpty()) {
                path = "/";
            }
            if (NonResourceEndpoints.isPublic(path)) {
                nonResource.serve(ex, path, query);
                return;
            }
            UserInfo user = authenticate(ex);
            Map<String, List<String>> headers = headerMap(ex);
            if (Impersonation.requested(headers)) {
                user = Impersonation.resolve(user, headers, deps.authorizer());
            }
            RequestInfo info = streamVerb(RequestInfo.parse(path, ex.method(), query));
            verb = info.verb();
            resource = info.resource();
            authorize(user, info);
            if (!info.verb().equals("watch")) {
                timeouts.arm(ex, query);
            }
            if (!info.resourceRequest()) {
                nonResource.serve(ex, path, query);
                return;
            }
            serveResource(ex, info, query, user);
        } catch (ApiException e) {
            respondError(ex, e);
        } catch (StoreException.Unavailable e) {
            LOG.warn("event=store_unavailable uri={} cause={}", ex.uri(), e.toString());
            respondError(ex, new ApiException.ServiceUnavailable("storage is unavailable: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respondError(ex, new ApiException.ServiceUnavailable("the server is shutting down"));
        } catch (RuntimeException e) {
            LOG.error("event=request_failed method={} uri={}", ex.method(), ex.uri(), e);
            respondError(ex, new ApiException.InternalError(e.toString()));
        } finally {
            long nanos = System.nanoTime() - start;
            metrics.record(verb, resource, ex.status(), nanos);
            if (LOG.isDebugEnabled()) {
                LOG.debug("event=request method={} uri={} contentType={} status={} micros={} protocol={}", ex.method(),
                        ex.uri(), ex.headers().get("Content-Type"), ex.status(), nanos / 1000, ex.protocol());
            }
        }
    }

    private static void respondError(RecordingExchange ex, ApiException e) {
        if (ex.answered()) {
            return;
        }
        Responses.error(ex, e);
    }

    private static String decodePath(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException.BadRequest("malformed path: " + raw);
        }
    }

    private UserInfo authenticate(HttpExchange ex) {
        String auth = ex.headers().get("Authorization");
        Credentials creds = new Credentials(ex.peerCertificates(), Credentials.bearerToken(auth));
        return deps.authenticator().authenticate(creds).orElseThrow(ApiException.Unauthorized::new);
    }

    private void authorize(UserInfo user, RequestInfo info) {
        Attributes a = info.resourceRequest()
                ? Attributes.resource(user, info.verb(), info.namespace(), info.group(), info.resource(),
                info.subresource(), info.name())
                : Attributes.nonResource(user, info.verb(), info.path());
        Decision d = deps.authorizer().authorize(a);
        if (!d.allowed()) {
            throw a.forbidden(d.reason());
        }
    }

    /**
     * exec, attach and port-forward need {@code create} even when reached by a GET (a WebSocket
     * upgrade), as Kubernetes 1.31+ authorizes them.
     */
    private static RequestInfo streamVerb(RequestInfo i) {
        if (i.resourceRequest() && i.resource().equals("pods") && i.verb().equals("get")
                && (i.subresource().equals("exec") || i.subresource().equals("attach")
                || i.subresource().equals("portforward"))) {
            return new RequestInfo(true, i.path(), "create", i.apiPrefix(), i.group(), i.version(), i.namespace(),
                    i.resource(), i.subresource(), i.name());
        }
        return i;
    }

    /** Header names (lower-cased) to values, for impersonation. */
    private static Map<String, List<String>> headerMap(HttpExchange ex) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : ex.headers()) {
            m.computeIfAbsent(h.getKey().toLowerCase(java.util.Locale.ROOT), k -> new java.util.ArrayList<>())
                    .add(h.getValue());
        }
        return m;
    }

    private void serveResource(HttpExchange ex, RequestInfo info, Query query, UserInfo user)
            throws InterruptedException {
        ResourceStore store = resources.get(key(info.group(), info.version(), info.resource()));
        if (store == null) {
            throw ApiException.NotFound.path();
        }
        ResourceType type = store.type();
        if (!info.subresource().isEmpty() && !type.has(info.subresource())) {
            throw ApiException.NotFound.path();
        }
        if (!type.namespaced() && !info.namespace().isEmpty() && !info.resource().equals("namespaces")) {
            throw ApiException.NotFound.path();
        }
        if (info.subresource().isEmpty() && !type.supports(info.verb())) {
            throw new ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
        boolean convertible = !info.verb().equals("create") || type.stored();
        Rendering rendering = Rendering.negotiate(ex.headers().get("Accept"), convertible);
        ResourceContext ctx = new ResourceContext(ex, info, query, user, type, store, rendering, new Warnings());
        resourceEndpoints.serve(ctx);
    }

    /** The service address allocator (the bootstrap gives the kubernetes service its address). */
    public ServiceAllocator serviceAllocator() {
        return services;
    }

    /** Stops the server's own timers; the store and listener belong to the caller. */
    @Override
    public void close() {
        timeouts.close();
    }

    /** Resources served, for tests and tools. */
    public List<ResourceType> served() {
        return catalog.all();
    }
}
