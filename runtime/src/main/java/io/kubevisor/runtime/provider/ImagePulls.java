package io.kubevisor.runtime.provider;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubevisor.node.provider.PodResources;
import io.kubevisor.runtime.image.DockerConfigJson;
import io.kubevisor.runtime.image.ImageException;
import io.kubevisor.runtime.image.ImageRef;
import io.kubevisor.runtime.image.ImageStore;
import io.kubevisor.runtime.image.PullPolicy;
import io.kubevisor.runtime.image.RegistryCredential;
import io.kubevisor.runtime.image.ResolvedImage;

/**
 * Makes a container's image available as the kubelet's image manager does: by its pull policy,
 * with the pod's imagePullSecrets, and with a back-off per container: a failed pull is
 * {@code ErrImagePull} with the store's message, and until the back-off (10 s doubling to 5 min)
 * has passed the container waits in {@code ImagePullBackOff} without trying again.
 */
final class ImagePulls {

    private static final Logger LOG = LoggerFactory.getLogger(ImagePulls.class);

    private final ImageStore images;
    private final PodResources resources;
    private final EventSink events;
    private final Clock clock;

    ImagePulls(ImageStore images, PodResources resources, EventSink events, Clock clock) {
        this.images = images;
        this.resources = resources;
        this.events = events;
        this.clock = clock;
    }

    /**
     * The container's image, or null when it is not available (the slot then waits with the reason).
     * Called by the pod's worker only; updates the slot under the state's monitor.
     */
    ResolvedImage ensure(PodState state, ContainerSlot slot, Container c) {
        Pod pod = state.pod();
        Instant now = clock.instant();
        synchronized (state) {
            if (Backoff.KUBELET.inBackoffSinceUpdate(slot.pullBackoff, now)) {
                String msg = "Back-off pulling image \"" + c.getImage() + "\"";
                if (slot.waiting == null || !"ImagePullBackOff".equals(slot.waiting.reason())) {
                    events.event(state.ref, "Normal", "BackOff", msg);
                    events.event(state.ref, "Warning", "Failed", "Error: ImagePullBackOff");
                }
                slot.waiting = new ContainerSlot.Waiting("ImagePullBackOff",
                        slot.pullError == null ? msg : msg + ": ErrImagePull: " + slot.pullError);
                return null;
            }
        }
        try {
            ImageRef ref = ImageRef.parse(c.getImage());
            PullPolicy policy = PullPolicy.fromKubernetes(c.getImagePullPolicy(), ref);
            ResolvedImage image = images.pull(ref, policy, credentials(pod));
            synchronized (state) {
                slot.pullBackoff = null;
                slot.pullError = null;
            }
            return image;
        } catch (ImageException e) {
            LOG.info("event=image_pull_failed pod={} container={} image={} reason={} cause=\"{}\"", state.ref,
                    c.getName(), c.getImage(), e.reason(), e.getMessage());
            events.event(state.ref, "Warning", "Failed", "Failed to pull image \"" + c.getImage() + "\": "
                    + e.getMessage());
            events.event(state.ref, "Warning", "Failed", "Error: " + e.reason());
            synchronized (state) {
                if (!(e instanceof ImageException.InvalidImageName)) {
                    slot.pullBackoff = Backoff.KUBELET.next(slot.pullBackoff, now, now);
                }
                slot.pullError = e.getMessage();
                slot.waiting = new ContainerSlot.Waiting(e.reason(), e.getMessage());
            }
            return null;
        } catch (IllegalArgumentException e) {
            synchronized (state) {
                slot.waiting = new ContainerSlot.Waiting("InvalidImageName", e.getMessage());
            }
            return null;
        }
    }

    /** The pod's imagePullSecrets as registry credentials; unreadable ones are skipped (as the kubelet does). */
    private List<RegistryCredential> credentials(Pod pod) {
        List<RegistryCredential> out = new ArrayList<>();
        String ns = pod.getMetadata().getNamespace();
        for (LocalObjectReference ref : FieldRefs.nz(pod.getSpec().getImagePullSecrets())) {
            var secret = resources.secret(ns, ref.getName());
            if (secret.isEmpty()) {
                LOG.info("event=pull_secret_missing pod={}/{} secret={}", ns, pod.getMetadata().getName(),
                        ref.getName());
                continue;
            }
            var data = EnvResolver.secretBytes(secret.get());
            byte[] json = data.containsKey(".dockerconfigjson") ? data.get(".dockerconfigjson") : data.get(".dockercfg");
            if (json == null) {
                continue;
            }
            try {
                out.addAll(DockerConfigJson.parse(json));
            } catch (IllegalArgumentException e) {
                LOG.info("event=pull_secret_unreadable pod={}/{} secret={} cause=\"{}\"", ns,
                        pod.getMetadata().getName(), ref.getName(), e.getMessage());
            }
        }
        return out;
    }
}
