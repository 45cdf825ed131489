package io.kubevisor.apiserver.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.resource.BuiltinResources;
import io.kubevisor.api.resource.ResourceType;
import io.kubevisor.apiserver.meta.NameRule;
import io.kubevisor.apiserver.registry.Strategy;

/** The per-kind registry settings Kubernetes 1.32 uses, for every served kind. */
class StrategiesTest {

    private final Strategies strategies = new Strategies();

    private Map<String, Strategy> byResource() {
        Map<String, Strategy> out = new TreeMap<>();
        for (ResourceType t : BuiltinResources.list()) {
            if (t.stored()) {
                out.put((t.group().isEmpty() ? "" : t.group() + "/") + t.plural(), strategies.forType(t));
            }
        }
        return out;
    }

    private Set<String> where(java.util.function.Predicate<Strategy> p) {
        return byResource().entrySet().stream().filter(e -> p.test(e.getValue())).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    @Test
    void everyServedKindHasItsOwnStrategy() {
        for (Map.Entry<String, Strategy> e : byResource().entrySet()) {
            assertThat(e.getValue().getClass().getPackageName()).as(e.getKey())
                    .startsWith("io.kubevisor.apiserver.kinds.");
        }
    }

    @Test
    void createOnUpdate() {
        assertThat(where(Strategy::allowCreateOnUpdate)).containsExactly("coordination.k8s.io/leases", "endpoints",
                "events", "events.k8s.io/events", "limitranges", "rbac.authorization.k8s.io/clusterrolebindings",
                "rbac.authorization.k8s.io/clusterroles", "rbac.authorization.k8s.io/rolebindings",
                "rbac.authorization.k8s.io/roles", "services");
    }

    @Test
    void deletesThatAnswerWithTheObject() {
        assertThat(where(Strategy::returnDeletedObject)).containsExactly("namespaces", "persistentvolumeclaims", "pods",
                "resourcequotas", "serviceaccounts", "services");
    }

    @Test
    void generationTracking() {
        assertThat(where(Strategy::tracksGeneration)).containsExactly("apps/daemonsets", "apps/deployments",
                "apps/replicasets", "apps/statefulsets", "batch/cronjobs", "batch/jobs",
                "discovery.k8s.io/endpointslices");
    }

    @Test
    void nameRules() {
        Map<String, Strategy> all = byResource();
        assertThat(all.get("services").nameRule()).isEqualTo(NameRule.DNS1035_LABEL);
        assertThat(all.get("namespaces").nameRule()).isEqualTo(NameRule.DNS1123_LABEL);
        assertThat(all.get("events").nameRule()).isEqualTo(NameRule.PATH_SEGMENT);
        for (String rbac : List.of("roles", "rolebindings", "clusterroles", "clusterrolebindings")) {
            assertThat(all.get("rbac.authorization.k8s.io/" + rbac).nameRule()).isEqualTo(NameRule.PATH_SEGMENT);
        }
        assertThat(all.get("apps/deployments").nameRule()).isEqualTo(NameRule.DNS1123_SUBDOMAIN);
        assertThat(all.get("configmaps").nameRule()).isEqualTo(NameRule.DNS1123_SUBDOMAIN);
    }

    @Test
    void fieldSelectors() {
        Map<String, Strategy> all = byResource();
        assertThat(all.get("secrets").selectableFieldNames()).containsExactly("type");
        assertThat(all.get("namespaces").selectableFieldNames()).containsExactly("status.phase");
        assertThat(all.get("nodes").selectableFieldNames()).containsExactly("spec.unschedulable");
        assertThat(all.get("services").selectableFieldNames()).containsExactly("spec.clusterIP", "spec.type");
        assertThat(all.get("apps/replicasets").selectableFieldNames()).containsExactly("status.replicas");
        assertThat(all.get("batch/jobs").selectableFieldNames()).containsExactly("status.successful");
        assertThat(all.get("pods").selectableFieldNames()).contains("spec.nodeName", "status.phase");
        assertThat(all.get("events").selectableFieldNames()).contains("involvedObject.name", "reason", "type");
        assertThat(all.get("configmaps").selectableFieldNames()).isEmpty();
        assertThat(all.get("apps/deployments").selectableFieldNames()).isEmpty();
    }
}
