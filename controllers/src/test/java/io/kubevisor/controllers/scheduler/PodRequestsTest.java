package io.kubevisor.controllers.scheduler;

import static io.kubevisor.controllers.scheduler.Fixtures.container;
import static io.kubevisor.controllers.scheduler.Fixtures.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

class PodRequestsTest {

    private static final long MI = 1024L * 1024;
    private static final long GI = 1024 * MI;

    @Test
    void quantitiesBecomeMillicoresAndBytesRoundedUp() {
        Resources r = Resources.of(list("cpu", "500m", "memory", "1Gi", "ephemeral-storage", "2G"));
        assertThat(r.milliCpu()).isEqualTo(500);
        assertThat(r.memory()).isEqualTo(GI);
        assertThat(r.ephemeralStorage()).isEqualTo(2_000_000_000L);
        assertThat(Resources.of(list("cpu", "1.5", "memory", "128974848")).milliCpu()).isEqualTo(1500);
        assertThat(Resources.of(list("cpu", "0.1m")).milliCpu()).as("sub-millicore requests round up").isEqualTo(1);
        assertThat(Resources.of(list("memory", "1e3")).memory()).isEqualTo(1000);
        assertThat(Resources.of(list("memory", "1.5Ki")).memory()).isEqualTo(1536);
    }

    @Test
    void extendedResourcesAndHugePagesCountButPodsAndUnknownNamesDoNot() {
        Resources r = Resources.of(list("example.com/gpu", "2", "hugepages-2Mi", "4Mi", "pods", "110",
                "kubernetes.io/something", "3", "bogus", "7"));
        assertThat(r.scalars()).containsExactlyInAnyOrderEntriesOf(Map.of("example.com/gpu", 2L,
                "hugepages-2Mi", 4 * MI));
    }

    @Test
    void notAQuantityIsRefused() {
        assertThatThrownBy(() -> Resources.of(Map.of("cpu", new Quantity("lots"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void containersAddUp() {
        PodSpec spec = new PodSpecBuilder().withContainers(container("a", "cpu", "250m", "memory", "64Mi"),
                container("b", "cpu", "0.5", "memory", "1Gi")).build();
        Resources r = PodRequests.of(spec);
        assertThat(r.milliCpu()).isEqualTo(750);
        assertThat(r.memory()).isEqualTo(GI + 64 * MI);
    }

    @Test
    void theLargestInitContainerWinsWhenItNeedsMoreThanTheAppContainers() {
        PodSpec spec = new PodSpecBuilder()
                .withInitContainers(container("init-1", "cpu", "2", "memory", "10Mi"),
                        container("init-2", "cpu", "100m", "memory", "3Gi"))
                .withContainers(container("a", "cpu", "500m", "memory", "1Gi"),
                        container("b", "cpu", "500m", "memory", "1Gi"))
                .build();
        Resources r = PodRequests.of(spec);
        // CPU: max(1, 2) = 2; memory: max(2Gi, 3Gi) = 3Gi — per resource, not per container.
        assertThat(r.milliCpu()).isEqualTo(2000);
        assertThat(r.memory()).isEqualTo(3 * GI);
    }

    @Test
    void sidecarsRunAlongsideLaterInitContainersAndTheApp() {
        PodSpec spec = new PodSpecBuilder()
                .withInitContainers(
                        new ContainerBuilder(container("proxy", "cpu", "200m")).withRestartPolicy("Always").build(),
                        container("migrate", "cpu", "1"))
                .withContainers(container("app", "cpu", "300m"))
                .build();
        // App phase: 300m + 200m sidecar = 500m; migrate runs with the sidecar: 1 + 200m = 1200m.
        assertThat(PodRequests.of(spec).milliCpu()).isEqualTo(1200);
    }

    @Test
    void overheadIsAddedAndPodLevelRequestsReplaceTheContainersSum() {
        PodSpec spec = new PodSpecBuilder(Fixtures.spec("cpu", "1", "memory", "1Gi"))
                .withOverhead(list("cpu", "250m", "memory", "120Mi"))
                .withNewResources().withRequests(list("cpu", "3")).endResources()
                .build();
        Resources r = PodRequests.of(spec);
        assertThat(r.milliCpu()).isEqualTo(3250);
        assertThat(r.memory()).isEqualTo(GI + 120 * MI);
    }

    @Test
    void scoringAssumesDefaultsForMissingRequestsButKeepsExplicitZeros() {
        PodSpec none = new PodSpecBuilder().withContainers(container("a")).build();
        assertThat(PodRequests.of(none).isZero()).isTrue();
        assertThat(PodRequests.nonZero(none).milliCpu()).isEqualTo(100);
        assertThat(PodRequests.nonZero(none).memory()).isEqualTo(200 * MI);
        PodSpec zeroCpu = new PodSpecBuilder().withContainers(container("a", "cpu", "0")).build();
        assertThat(PodRequests.nonZero(zeroCpu).milliCpu()).isZero();
        assertThat(PodRequests.nonZero(zeroCpu).memory()).isEqualTo(200 * MI);
    }
}
