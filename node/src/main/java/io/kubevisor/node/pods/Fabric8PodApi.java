package io.kubevisor.node.pods;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.informers.cache.Store;
import io.kubevisor.api.Json;
import io.kubevisor.controllers.Failures;
import io.kubevisor.node.KubeTime;
import io.kubevisor.node.provider.PodRef;
import tools.jackson.databind.node.ObjectNode;

/** {@link PodApi} over a fabric8 client and the informer watching this node's pods. Thread-safe. */
public final class Fabric8PodApi implements PodApi {

    private static final Logger LOG = LoggerFactory.getLogger(Fabric8PodApi.class);

    private final KubernetesClient client;
    private final Store<Pod> cache;
    private final String nodeName;
    private final Clock clock;

    /** @param cache the informer's store of the pods with {@code spec.nodeName=<node>} */
    public Fabric8PodApi(KubernetesClient client, Store<Pod> cache, String nodeName, Clock clock) {
        this.client = client;
        this.cache = cache;
        this.nodeName = nodeName;
        this.clock = clock;
    }

    @Override
    public Optional<Pod> cached(PodKey key) {
        return Optional.ofNullable(cache.getByKey(key.namespace() + "/" + key.name()));
    }

    @Override
    public List<Pod> cachedAll() {
        return List.copyOf(cache.list());
    }

    @Override
    public Optional<Pod> fresh(PodKey key) {
        return Optional.ofNullable(client.pods().inNamespace(key.namespace()).withName(key.name()).get());
    }

    /**
     * {@inheritDoc} Sent as a JSON merge patch of {@code pods/status} holding what changed and the
     * resourceVersion it was computed from (a precondition, as a PUT's): some hundred bytes instead
     * of the whole pod, which fabric8 deep-copied and serialized on every change.
     */
    @Override
    public Optional<Pod> writeStatus(Pod pod, PodStatus status) {
        var serialization = client.getKubernetesSerialization();
        ObjectNode before = pod.getStatus() == null ? Json.object()
                : (ObjectNode) Json.parse(serialization.asJson(pod.getStatus()));
        ObjectNode after = (ObjectNode) Json.parse(serialization.asJson(status));
        ObjectNode patch = Json.object();
        patch.putObject("metadata").put("resourceVersion", pod.getMetadata().getResourceVersion());
        patch.set("status", MergePatchDiff.of(before, after));
        PodRef ref = PodRef.of(pod);
        var response = send("PATCH", podUrl(ref) + "/status", "application/merge-patch+json", Json.string(patch),
                "writing the status of pod " + ref);
        int code = response.code();
        if (code == 409 || code == 404) {
            return Optional.empty();
        }
        failUnlessOk(response, "writing the status of pod " + ref);
        return Optional.of(serialization.unmarshal(new String(response.body(), StandardCharsets.UTF_8), Pod.class));
    }

    @Override
    public void deleteNow(PodRef pod) {
        // fabric8's delete has no uid precondition; without one a pod recreated under the same
        // name in between would be deleted too.
        var body = Json.object();
        body.put("kind", "DeleteOptions");
        body.put("apiVersion", "v1");
        body.put("gracePeriodSeconds", 0);
        body.putObject("preconditions").put("uid", pod.uid());
        var response = send("DELETE", podUrl(pod), "application/json", Json.string(body), "deleting pod " + pod);
        int code = response.code();
        if (code == 404 || code == 409) {
            LOG.debug("event=pod_object_already_gone pod={} code={}", pod, code);
            return;
        }
        failUnlessOk(response, "deleting pod " + pod);
    }

    private String podUrl(PodRef pod) {
        String base = client.getConfiguration().getMasterUrl();
        return (base.endsWith("/") ? base : base + "/") + "api/v1/namespaces/" + pod.namespace() + "/pods/"
                + pod.name();
    }

    /** One request through the client's HTTP client (its TLS, credentials and connections). */
    private HttpResponse<byte[]> send(String method, String url, String contentType, String body, String what) {
        var http = client.getHttpClient();
        var request = http.newHttpRequestBuilder().uri(url).method(method, contentType, body).build();
        try {
            return http.sendAsync(request, byte[].class).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted while " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KubernetesClientException(what + " failed: " + e.getMessage(), e);
        }
    }

    private static void failUnlessOk(HttpResponse<byte[]> response, String what) {
        int code = response.code();
        if (code / 100 != 2) {
            byte[] b = response.body();
            throw new KubernetesClientException(what + " failed: HTTP " + code + " "
                    + (b == null ? "" : new String(b, StandardCharsets.UTF_8)), code, null);
        }
    }

    @Override
    public void recordEvent(Pod pod, String type, String reason, String message) {
        var m = pod.getMetadata();
        String now = KubeTime.format(clock.instant());
        var event = new EventBuilder()
                .withNewMetadata()
                .withName(m.getName() + "." + Long.toHexString(System.nanoTime()))
                .withNamespace(m.getNamespace())
                .endMetadata()
                .withNewInvolvedObject().withApiVersion("v1").withKind("Pod").withNamespace(m.getNamespace())
                .withName(m.getName()).withUid(m.getUid()).withResourceVersion(m.getResourceVersion())
                .endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message)
                .withNewSource().withComponent("kubelet").withHost(nodeName).endSource()
                .withReportingComponent("kubelet").withReportingInstance(nodeName)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(m.getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            LOG.warn("event=event_record_failed pod={}/{} reason={} cause=\"{}\"", m.getNamespace(), m.getName(),
                    reason, Failures.describe(e));
        }
    }
}
