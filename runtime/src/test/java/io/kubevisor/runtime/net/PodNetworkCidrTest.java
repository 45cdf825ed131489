package io.kubevisor.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PodNetworkCidrTest {

    @Test
    void parsesAndFormats() {
        var c = Ipv4Cidr.parse("10.244.0.0/16");
        assertThat(c.toString()).isEqualTo("10.244.0.0/16");
        assertThat(c.size()).isEqualTo(65536);
        assertThat(c.contains("10.244.255.254")).isTrue();
        assertThat(c.contains("10.245.0.1")).isFalse();
        assertThat(Ipv4Cidr.parse("0.0.0.0/0").size()).isEqualTo(1L << 32);
        assertThat(Ipv4Cidr.format(Ipv4Cidr.parseAddress("255.1.2.3"))).isEqualTo("255.1.2.3");
    }

    @Test
    void rejectsHostBitsAndGarbage() {
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.244.1.0/16")).hasMessageContaining("did you mean 10.244.0.0/16");
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.244.0.0")).hasMessageContaining("not a CIDR");
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.244.0.0/33")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.256.0.0/16")).hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.2x.0.0/16")).hasMessageContaining("not an IPv4 address");
    }

    @Test
    void carvesSubnets() {
        var c = Ipv4Cidr.parse("10.244.0.0/16");
        assertThat(c.subnetCount(24)).isEqualTo(256);
        assertThat(c.subnet(24, 0).toString()).isEqualTo("10.244.0.0/24");
        assertThat(c.subnet(24, 255).toString()).isEqualTo("10.244.255.0/24");
        assertThat(c.subnet(26, 5).toString()).isEqualTo("10.244.1.64/26");
        assertThatThrownBy(() -> c.subnet(24, 256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.subnet(15, 0)).isInstanceOf(IllegalArgumentException.class);
        var s = c.subnet(24, 3);
        assertThat(Ipv4Cidr.format(s.host(1))).isEqualTo("10.244.3.1");
        assertThat(s.offsetOf(Ipv4Cidr.parseAddress("10.244.3.200"))).isEqualTo(200);
    }

    @Test
    void highAddressesStayUnsigned() {
        var c = Ipv4Cidr.parse("192.168.0.0/16");
        var last = c.subnet(24, 255);
        assertThat(last.toString()).isEqualTo("192.168.255.0/24");
        assertThat(Ipv4Cidr.format(last.host(254))).isEqualTo("192.168.255.254");
        assertThat(c.contains(last.host(254))).isTrue();
    }
}
