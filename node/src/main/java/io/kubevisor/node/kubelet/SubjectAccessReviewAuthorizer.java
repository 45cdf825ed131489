package io.kubevisor.node.kubelet;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubevisor.api.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * Asks the API server, as the kubelet's webhook authorizer does: a SubjectAccessReview for the
 * caller, the verb and {@code nodes/<subresource>} named after this node. Answers are cached
 * (allowed 5 minutes, denied 30 seconds, as the kubelet's defaults); a failed review denies.
 * Thread-safe.
 */
public final class SubjectAccessReviewAuthorizer implements KubeletAuthorizer {

    private static final Logger LOG = LoggerFactory.getLogger(SubjectAccessReviewAuthorizer.class);
    static final Duration ALLOWED_TTL = Duration.ofMinutes(5);
    static final Duration DENIED_TTL = Duration.ofSeconds(30);

    private record Key(String user, List<String> groups, String verb, String subresource) {
    }

    private record Answer(boolean allowed, Instant expires) {
    }

    private final KubernetesClient client;
    private final String nodeName;
    private final Clock clock;
    private final Map<Key, Answer> cache = new ConcurrentHashMap<>();

    /** @param client used to create SubjectAccessReviews; not closed here */
    public SubjectAccessReviewAuthorizer(KubernetesClient client, String nodeName, Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.clock = clock;
    }

    @Override
    public boolean allowed(String user, List<String> groups, String verb, String subresource) {
        Key key = new Key(user, List.copyOf(groups), verb, subresource);
        Instant now = clock.instant();
        Answer cached = cache.get(key);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.allowed();
        }
        boolean allowed = review(key);
        cache.put(key, new Answer(allowed, now.plus(allowed ? ALLOWED_TTL : DENIED_TTL)));
        return allowed;
    }

    private boolean review(Key key) {
        ObjectNode sar = Json.object();
        sar.put("apiVersion", "authorization.k8s.io/v1");
        sar.put("kind", "SubjectAccessReview");
        ObjectNode spec = sar.putObject("spec");
        spec.put("user", key.user());
        var groups = spec.putArray("groups");
        key.groups().forEach(groups::add);
        ObjectNode attrs = spec.putObject("resourceAttributes");
        attrs.put("verb", key.verb());
        attrs.put("group", "");
        attrs.put("version", "v1");
        attrs.put("resource", "nodes");
        attrs.put("subresource", key.subresource());
        attrs.put("name", nodeName);
        String base = client.getConfiguration().getMasterUrl();
        String url = (base.endsWith("/") ? base : base + "/") + "apis/authorization.k8s.io/v1/subjectaccessreviews";
        var http = client.getHttpClient();
        var request = http.newHttpRequestBuilder().uri(url)
                .post("application/json", Json.string(sar)).build();
        try {
            var response = http.sendAsync(request, byte[].class).get(10, TimeUnit.SECONDS);
            if (response.code() / 100 != 2) {
                LOG.warn("event=kubelet_authz_review_failed user={} code={} body=\"{}\"", key.user(), response.code(),
                        response.body() == null ? "" : new String(response.body(), StandardCharsets.UTF_8));
                return false;
            }
            boolean allowed = Json.parse(response.body()).path("status").path("allowed").asBoolean(false);
            LOG.debug("event=kubelet_authz user={} verb={} subresource={} allowed={}", key.user(), key.verb(),
                    key.subresource(), allowed);
            return allowed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warn("event=kubelet_authz_review_failed user={} cause=\"{}\"", key.user(), e.toString());
            return false;
        }
    }
}
