package io.kubevisor.runtime.runsc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.kubevisor.runtime.sandbox.ContainerSpec;
import io.kubevisor.runtime.sandbox.Resources;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OciBundleTest {

    private static final String SID = "0123456789abcdef0123456789abcdef";
    private static final String CID = "fedcba9876543210fedcba9876543210";

    private static SandboxRecord sandbox(String netns, String network, Resources r) {
        return new SandboxRecord(SID, "web-1", netns, "/kubevisor/" + SID, network, r, Map.of(), Instant.EPOCH, false,
                null);
    }

    private static ContainerSpec container(List<String> env, long uid) {
        return new ContainerSpec(CID, Path.of("/images/x"), List.of("/bin/app", "--flag"), env, "/work", uid, uid,
                List.of(new ContainerSpec.Mount(Path.of("/vol/a"), "/data", true)), Resources.none(), false, false,
                Path.of("/logs/0.log"), Map.of());
    }

    @Test
    void millicoresBecomeAQuotaPerPeriodAndPidsGetTheSandboxsOwn() {
        JsonNode r = OciBundle.resources(new Resources(250, 256, 64L << 20, 50));
        assertThat(r.at("/cpu/quota").asLong()).isEqualTo(25_000);
        assertThat(r.at("/cpu/period").asLong()).isEqualTo(100_000);
        assertThat(r.at("/cpu/shares").asLong()).isEqualTo(256);
        assertThat(r.at("/memory/limit").asLong()).isEqualTo(64L << 20);
        assertThat(r.at("/pids/limit").asLong()).isEqualTo(50 + OciBundle.SANDBOX_HOST_TASKS);
        assertThat(OciBundle.resources(Resources.none()).isEmpty()).isTrue();
        // The kernel refuses quotas under 1 ms.
        assertThat(OciBundle.resources(new Resources(1, 0, 0, 0)).at("/cpu/quota").asLong()).isEqualTo(1_000);
    }

    @Test
    void thePauseContainerRootsTheSandboxInItsNetworkNamespace() {
        JsonNode p = OciBundle.pause(sandbox("/var/run/netns/pod", "sandbox", new Resources(0, 0, 1 << 20, 0)),
                Path.of("/b/pause/rootfs"));
        assertThat(p.at("/annotations/io.kubernetes.cri.container-type").asString()).isEqualTo("sandbox");
        assertThat(p.at("/annotations/io.kubernetes.cri.sandbox-id").asString()).isEqualTo(SID);
        assertThat(p.at("/root/readonly").asBoolean()).isTrue();
        assertThat(p.at("/linux/cgroupsPath").asString()).isEqualTo("/kubevisor/" + SID);
        assertThat(p.at("/linux/resources/memory/limit").asLong()).isEqualTo(1 << 20);
        assertThat(p.at("/linux/namespaces").valueStream()
                .filter(n -> n.get("type").asString().equals("network")).findFirst().orElseThrow()
                .get("path").asString()).isEqualTo("/var/run/netns/pod");
        JsonNode none = OciBundle.pause(sandbox("/var/run/netns/pod", "none", Resources.none()), Path.of("/p"));
        assertThat(none.at("/linux/namespaces").valueStream().noneMatch(n -> n.has("path"))).isTrue();
    }

    @Test
    void anAppContainerJoinsItsSandbox() {
        JsonNode c = OciBundle.container(sandbox(null, "none", Resources.none()), container(List.of("A=1"), 1000),
                Path.of("/b/c/rootfs"), Path.of("/b/etc"));
        assertThat(c.at("/annotations/io.kubernetes.cri.container-type").asString()).isEqualTo("container");
        assertThat(c.at("/annotations/io.kubernetes.cri.sandbox-id").asString()).isEqualTo(SID);
        assertThat(c.at("/root/path").asString()).isEqualTo("/b/c/rootfs");
        assertThat(c.at("/root/readonly").asBoolean()).isFalse();
        assertThat(c.at("/process/args").valueStream().map(JsonNode::asString)).containsExactly("/bin/app", "--flag");
        assertThat(c.at("/process/env").valueStream().map(JsonNode::asString))
                .containsExactly(OciBundle.DEFAULT_PATH, "A=1");
        assertThat(c.at("/process/cwd").asString()).isEqualTo("/work");
        assertThat(c.at("/process/user/uid").asLong()).isEqualTo(1000);
        assertThat(c.at("/process/terminal").asBoolean()).isFalse();
        assertThat(c.at("/hostname").asString()).isEqualTo("web-1");
        assertThat(c.at("/linux/cgroupsPath").asString()).isEqualTo("/kubevisor/" + SID + "/" + CID);
        assertThat(c.at("/mounts").valueStream().map(m -> m.get("destination").asString()))
                .contains("/proc", "/dev", "/etc/hosts", "/etc/resolv.conf", "/etc/hostname", "/data");
        JsonNode data = c.at("/mounts").valueStream().filter(m -> m.get("destination").asString().equals("/data"))
                .findFirst().orElseThrow();
        assertThat(data.get("source").asString()).isEqualTo("/vol/a");
        assertThat(data.get("options").valueStream().map(JsonNode::asString)).contains("rbind", "ro");
        // An image's own PATH is kept; root when no user is given.
        JsonNode own = OciBundle.container(sandbox(null, "none", Resources.none()), container(List.of("PATH=/opt"), -1),
                Path.of("/r"), Path.of("/e"));
        assertThat(own.at("/process/env").valueStream().map(JsonNode::asString)).containsExactly("PATH=/opt");
        assertThat(own.at("/process/user/uid").asLong()).isZero();
    }

    @Test
    void anAppContainerWithTtyAsksForATerminal() {
        ContainerSpec plain = container(List.of(), -1);
        ContainerSpec tty = new ContainerSpec(plain.id(), plain.rootfs(), plain.args(), plain.env(), plain.workingDir(),
                -1, -1, plain.mounts(), plain.resources(), true, true, plain.logFile(), plain.labels());
        JsonNode c = OciBundle.container(sandbox(null, "none", Resources.none()), tty, Path.of("/r"), Path.of("/e"));
        assertThat(c.at("/process/terminal").asBoolean()).isTrue();
    }

    @Test
    void aSingleContainerIsTheRootWithThePodsCgroupAndLimits() {
        SandboxRecord s = new SandboxRecord(SID, "h", "/var/run/netns/pod", "/kubevisor/" + SID, "sandbox",
                new Resources(500, 0, 1 << 20, 0), Map.of(), Instant.EPOCH, true, null);
        JsonNode c = OciBundle.rootContainer(s, container(List.of(), -1), Path.of("/r"), Path.of("/e"),
                Path.of("/pause/bin/busybox"));
        assertThat(c.at("/annotations/io.kubernetes.cri.container-type").asString()).isEqualTo("sandbox");
        assertThat(c.at("/linux/cgroupsPath").asString()).isEqualTo("/kubevisor/" + SID);
        assertThat(c.at("/linux/resources/cpu/quota").asLong()).isEqualTo(50_000);
        assertThat(c.at("/linux/namespaces").valueStream()
                .filter(n -> n.get("type").asString().equals("network")).findFirst().orElseThrow()
                .get("path").asString()).isEqualTo("/var/run/netns/pod");
        JsonNode helper = c.at("/mounts").valueStream()
                .filter(m -> m.get("destination").asString().equals(OciBundle.HELPER_BUSYBOX)).findFirst().orElseThrow();
        assertThat(helper.get("source").asString()).isEqualTo("/pause/bin/busybox");
        assertThat(helper.get("options").valueStream().map(JsonNode::asString)).contains("ro");
    }

    @Test
    void idsAreThirtyTwoLowercaseHexDigits() {
        assertThat(Ids.check("sandbox", SID)).isEqualTo(SID);
        for (String bad : new String[]{"pod1", SID.toUpperCase(), SID + "0", SID.substring(1), null}) {
            assertThatThrownBy(() -> Ids.check("sandbox", bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
