package io.kubevisor.http.spdy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

/** What counts as a SPDY upgrade request and which protocol is chosen. */
class SpdyUpgradeTest {

    private static final List<String> EXEC = List.of("v5.channel.k8s.io", "v4.channel.k8s.io");

    @Test
    void kubectlsUpgradeRequestIsRecognisedWithItsOffersInOrder() {
        // as kubectl 1.29 sends it: one header per protocol
        HttpHeaders h = new DefaultHttpHeaders().add("Connection", "Upgrade").add("Upgrade", "SPDY/3.1")
                .add("X-Stream-Protocol-Version", "v4.channel.k8s.io")
                .add("X-Stream-Protocol-Version", "v3.channel.k8s.io, v2.channel.k8s.io")
                .add("X-Stream-Protocol-Version", "channel.k8s.io");

        assertThat(SpdyUpgrade.requested(h)).isTrue();
        assertThat(SpdyUpgrade.offered(h)).containsExactly("v4.channel.k8s.io", "v3.channel.k8s.io",
                "v2.channel.k8s.io", "channel.k8s.io");
        assertThat(SpdyUpgrade.negotiate(SpdyUpgrade.offered(h), EXEC)).contains("v4.channel.k8s.io");
    }

    @Test
    void theClientsPreferenceWins() {
        assertThat(SpdyUpgrade.negotiate(List.of("v4.channel.k8s.io", "v5.channel.k8s.io"), EXEC))
                .contains("v4.channel.k8s.io");
        assertThat(SpdyUpgrade.negotiate(List.of("channel.k8s.io"), EXEC)).isEmpty();
    }

    @Test
    void aWebSocketOrPlainRequestIsNotASpdyUpgrade() {
        assertThat(SpdyUpgrade.requested(new DefaultHttpHeaders().add("Connection", "Upgrade").add("Upgrade", "websocket")))
                .isFalse();
        assertThat(SpdyUpgrade.requested(new DefaultHttpHeaders().add("Upgrade", "SPDY/3.1"))).isFalse();
        assertThat(SpdyUpgrade.requested(new DefaultHttpHeaders().add("Connection", "keep-alive, Upgrade")
                .add("Upgrade", "spdy/3.1"))).isTrue();
    }

    @Test
    void theTunnelSubprotocolIsFoundAmongTheWebSocketOffers() {
        HttpHeaders h = new DefaultHttpHeaders().add("Sec-WebSocket-Protocol", "v4.channel.k8s.io, SPDY/3.1+portforward.k8s.io");

        assertThat(SpdyUpgrade.tunnelSubprotocol(h, List.of("portforward.k8s.io"))).contains("SPDY/3.1+portforward.k8s.io");
        assertThat(SpdyUpgrade.tunnelSubprotocol(h, List.of("v4.channel.k8s.io"))).isEmpty();
    }
}
