package io.kubevisor.runtime.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

class ServiceEnvTest {

    static Service service(String ns, String name, String clusterIp, String... ports) {
        var b = new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata().withNewSpec()
                .withClusterIP(clusterIp);
        for (String p : ports) {
            // "name:port/PROTOCOL", name and protocol optional
            String[] np = p.split(":");
            String portProto = np[np.length - 1];
            String[] pp = portProto.split("/");
            b.addNewPort().withName(np.length > 1 ? np[0] : null).withPort(Integer.parseInt(pp[0]))
                    .withProtocol(pp.length > 1 ? pp[1] : null).endPort();
        }
        return b.endSpec().build();
    }

    @Test
    void aServiceGivesTheKubeletsVariables() {
        Map<String, String> env = ServiceEnv.of(List.of(service("a", "redis-primary", "10.96.0.11", "redis:6379",
                "metrics:9121/UDP")));
        assertThat(env).containsExactly(
                Map.entry("REDIS_PRIMARY_SERVICE_HOST", "10.96.0.11"),
                Map.entry("REDIS_PRIMARY_SERVICE_PORT", "6379"),
                Map.entry("REDIS_PRIMARY_SERVICE_PORT_REDIS", "6379"),
                Map.entry("REDIS_PRIMARY_SERVICE_PORT_METRICS", "9121"),
                Map.entry("REDIS_PRIMARY_PORT", "tcp://10.96.0.11:6379"),
                Map.entry("REDIS_PRIMARY_PORT_6379_TCP", "tcp://10.96.0.11:6379"),
                Map.entry("REDIS_PRIMARY_PORT_6379_TCP_PROTO", "tcp"),
                Map.entry("REDIS_PRIMARY_PORT_6379_TCP_PORT", "6379"),
                Map.entry("REDIS_PRIMARY_PORT_6379_TCP_ADDR", "10.96.0.11"),
                Map.entry("REDIS_PRIMARY_PORT_9121_UDP", "udp://10.96.0.11:9121"),
                Map.entry("REDIS_PRIMARY_PORT_9121_UDP_PROTO", "udp"),
                Map.entry("REDIS_PRIMARY_PORT_9121_UDP_PORT", "9121"),
                Map.entry("REDIS_PRIMARY_PORT_9121_UDP_ADDR", "10.96.0.11"));
    }

    @Test
    void servicesWithoutAClusterIpGiveNone() {
        assertThat(ServiceEnv.of(List.of(service("a", "headless", "None", "80"), service("a", "external", null)))).isEmpty();
    }

    @Test
    void theResolverAddsThemWhereTheContainerSetNothingAndExpandsThem() {
        var resources = new FakePodResources();
        resources.putService(service("a", "web", "10.96.0.20", "80"));
        resources.putService(service("b", "other", "10.96.0.30", "80"));
        resources.putService(service("default", "kubernetes", "10.96.0.1", "https:443"));
        Container c = new ContainerBuilder().withName("c").addNewEnv().withName("WEB_SERVICE_PORT").withValue("8080")
                .endEnv().addNewEnv().withName("URL").withValue("http://$(WEB_SERVICE_HOST)/").endEnv().build();
        var ctx = new FieldRefs.Context("10.244.0.5", "127.0.0.1", Map.of());

        Map<String, String> env = new EnvResolver(resources).resolve(pod("a", null, c), c, ctx, keys -> { });
        assertThat(env).containsEntry("WEB_SERVICE_HOST", "10.96.0.20").containsEntry("WEB_SERVICE_PORT", "8080")
                .containsEntry("URL", "http://10.96.0.20/").containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1")
                .containsEntry("KUBERNETES_SERVICE_PORT_HTTPS", "443").doesNotContainKey("OTHER_SERVICE_HOST");

        Map<String, String> unlinked = new EnvResolver(resources).resolve(pod("a", false, c), c, ctx, keys -> { });
        assertThat(unlinked).doesNotContainKey("WEB_SERVICE_HOST").containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1");
    }

    private static Pod pod(String ns, Boolean links, Container c) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName("p").withUid("u").endMetadata()
                .withNewSpec().withEnableServiceLinks(links).withContainers(c).endSpec().build();
    }
}
