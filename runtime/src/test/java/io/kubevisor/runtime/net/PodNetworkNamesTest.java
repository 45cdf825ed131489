package io.kubevisor.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.kubevisor.runtime.net.PodNetworkException.CommandFailed;

class PodNetworkNamesTest {

    private final NetnsNames names = new NetnsNames("kv1a2b");

    @Test
    void namesDeriveFromThePrefix() {
        String uid = "0b6c4a4e-9f55-4c4b-8f0e-6f3f1c2a9d11";
        assertThat(names.podNetns(uid)).isEqualTo("kv1a2b-p-" + uid);
        assertThat(names.bridgeNetns("team-a")).isEqualTo("kv1a2b-b-team-a");
        assertThat(NetnsNames.path(names.podNetns(uid))).isEqualTo(Path.of("/var/run/netns/kv1a2b-p-" + uid));
    }

    @Test
    void oddTokensAreHashedAndVethNamesFitIfnamsiz() {
        String pod = names.podNetns("../../etc/passwd");
        assertThat(pod).matches("kv1a2b-p-h[0-9a-f]{24}");
        assertThat(names.podNetns("A")).isNotEqualTo(names.podNetns("a"));
        String veth = names.hostVeth("0b6c4a4e-9f55-4c4b-8f0e-6f3f1c2a9d11");
        assertThat(veth).hasSizeLessThanOrEqualTo(15).matches("v[0-9a-f]{12}");
        assertThat(names.hostVeth("a")).isNotEqualTo(names.hostVeth("b"));
    }

    @Test
    void optionsValidate() {
        var dir = Path.of("/tmp/x");
        assertThat(new PodNetworkOptions("10.244.0.0/16", "kvab12", dir).subnetPrefixLength()).isEqualTo(24);
        assertThat(PodNetworkOptions.randomPrefix()).matches("kv[0-9a-f]{4}");
        assertThatThrownBy(() -> new PodNetworkOptions("10.244.0.0/16", "KV-1", dir))
                .hasMessageContaining("name prefix");
        assertThatThrownBy(() -> new PodNetworkOptions(Ipv4Cidr.parse("10.244.0.0/24"), 16, "kv", dir,
                java.time.Duration.ofSeconds(1))).hasMessageContaining("subnet prefix");
    }

    @Test
    void ipErrorsAreClassified() {
        var cmd = java.util.List.of("ip", "-n", "x", "link", "add");
        assertThat(new CommandFailed(cmd, 2, "RTNETLINK answers: File exists\n").kind())
                .isEqualTo(CommandFailed.Kind.EXISTS);
        assertThat(new CommandFailed(cmd, 1, "Cannot find device \"eth0\"").kind())
                .isEqualTo(CommandFailed.Kind.NOT_FOUND);
        assertThat(new CommandFailed(cmd, 255, "Cannot open network namespace \"x\": No such file or directory")
                .kind()).isEqualTo(CommandFailed.Kind.NOT_FOUND);
        assertThat(new CommandFailed(cmd, 2, "RTNETLINK answers: Operation not permitted").kind())
                .isEqualTo(CommandFailed.Kind.PERMISSION);
        var other = new CommandFailed(cmd, 1, "Error: argument \"x\" is wrong");
        assertThat(other.kind()).isEqualTo(CommandFailed.Kind.OTHER);
        assertThat(other.getMessage()).isEqualTo("ip -n x link add failed (exit 1): Error: argument \"x\" is wrong");
    }

    @Test
    void addressMatchIsExact() {
        String shown = "2: eth0    inet 10.244.0.21/24 scope global eth0\\       valid_lft forever preferred_lft forever";
        assertThat(Plumbing.containsAddress(shown, "10.244.0.21/24")).isTrue();
        assertThat(Plumbing.containsAddress(shown, "10.244.0.2/24")).isFalse();
        assertThat(Plumbing.containsAddress("", "10.244.0.2/24")).isFalse();
    }
}
